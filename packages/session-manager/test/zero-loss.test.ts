import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PersistentSessionManager } from '../src/index.js';
import { makeTempDir } from './helpers/temp.js';

function seqOutput(n: number, newline: string): string {
  let out = '';
  for (let i = 1; i <= n; i++) out += `${i}${newline}`;
  return out;
}

describe('zero lost output', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let manager: PersistentSessionManager;

  beforeEach(() => {
    temp = makeTempDir();
    manager = new PersistentSessionManager({ dbPath: temp.dbPath, maxSessions: 20 });
  });
  afterEach(async () => {
    await manager.close();
    temp.remove();
  });

  const ptyExpected = seqOutput(20000, '\r\n');

  it('stores every byte of 20 sequential `seq 1 20000` runs in a PTY', async () => {
    for (let run = 0; run < 20; run++) {
      const session = await manager.spawn(temp.dir, 'seq 1 20000', { pty: true });
      const final = await manager.waitForEnd(session.id);
      expect(final.status).toBe('completed');
      expect(final.outputBytes).toBe(ptyExpected.length);
      expect(manager.getOutput(session.id).toString()).toBe(ptyExpected);
    }
  });

  it('stores every byte of 20 concurrent `seq 1 20000` runs in a PTY', async () => {
    const sessions = await Promise.all(
      Array.from({ length: 20 }, () => manager.spawn(temp.dir, 'seq 1 20000', { pty: true })),
    );
    const finals = await Promise.all(sessions.map((s) => manager.waitForEnd(s.id)));
    for (const final of finals) {
      expect(final.status).toBe('completed');
      expect(manager.getOutput(final.id).toString()).toBe(ptyExpected);
    }
  });

  it('stores every byte of concurrent `seq 1 20000` runs on pipes', async () => {
    const expected = seqOutput(20000, '\n');
    const sessions = await Promise.all(
      Array.from({ length: 20 }, () => manager.spawn(temp.dir, 'seq 1 20000')),
    );
    const finals = await Promise.all(sessions.map((s) => manager.waitForEnd(s.id)));
    for (const final of finals) {
      expect(final.status).toBe('completed');
      expect(manager.getOutput(final.id).toString()).toBe(expected);
    }
  });
});
