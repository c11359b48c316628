import { pbkdf2 } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quoteShellWord, type Session, type SessionEventMap, type SessionOutputEvent } from '@gsd/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DatabaseConnection,
  PersistentSessionManager,
  SessionError,
  SessionManager,
  SessionStore,
  type PersistentSessionManagerOptions,
  type SessionManagerOptions,
} from '../src/index.js';
import type { TypedEmitter } from '../src/typed-emitter.js';
import { thrownBy } from './helpers/errors.js';
import { isProcessRunning, killGroup } from './helpers/process.js';
import { makeTempDir, pollUntil } from './helpers/temp.js';
import { settleWithin, TIMED_OUT } from './helpers/settle.js';

const WRITE_CHUNKS = fileURLToPath(new URL('./fixtures/write-chunks.mjs', import.meta.url));
/** Makes the final status update of any session fail until it is dropped. */
const BLOCK_END_TRIGGER = `
  CREATE TRIGGER block_end BEFORE UPDATE OF status ON sessions
  WHEN NEW.status IN ('completed', 'failed')
  BEGIN SELECT RAISE(ABORT, 'blocked'); END;
`;

/** An observation window, to show that something does not happen in it. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What `seq 1 n` prints, with `newline` after each number. */
function seqLength(n: number, newline: string): number {
  let length = 0;
  for (let i = 1; i <= n; i++) length += String(i).length + newline.length;
  return length;
}

function nodeCommand(...args: string[]): string {
  return [process.execPath, WRITE_CHUNKS, ...args].map(quoteShellWord).join(' ');
}

/** Keeps every thread of libuv's pool busy until the returned function is called. */
function keepThreadPoolBusy(): () => void {
  let busy = true;
  const spin = (): void => {
    if (busy) pbkdf2('password', 'salt', 20_000, 32, 'sha256', spin);
  };
  for (let i = 0; i < Number(process.env.UV_THREADPOOL_SIZE ?? 4); i++) spin();
  return () => {
    busy = false;
  };
}

interface ListenerError {
  event: string;
  error: unknown;
}

describe('session robustness', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let cleanups: (() => unknown)[];

  beforeEach(() => {
    temp = makeTempDir();
    cleanups = [];
  });
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    temp.remove();
  });

  function persistent(options: PersistentSessionManagerOptions = {}): PersistentSessionManager {
    const manager = new PersistentSessionManager({ dbPath: temp.dbPath, terminateGraceMs: 300, ...options });
    cleanups.push(() => manager.close());
    return manager;
  }

  function plain(options: SessionManagerOptions = {}): SessionManager {
    const manager = new SessionManager({ terminateGraceMs: 300, ...options });
    cleanups.push(() => manager.terminateAll());
    return manager;
  }

  /** Kills, at cleanup, the process group (or session) led by `pid`. */
  function killAtCleanup(pid: number): void {
    cleanups.push(() => killGroup(pid));
  }

  /** The stored record of a session, read through a connection of its own. */
  function storedSession(sessionId: string): Session | undefined {
    const connection = new DatabaseConnection(temp.dbPath);
    try {
      return new SessionStore(connection).get(sessionId);
    } finally {
      connection.close();
    }
  }

  /** A shell line starting a writer that escapes into a session of its own, its PID in `pidFile`. */
  function escapedWriter(pidFile: string): string {
    return `setsid sh -c 'echo $$ > "${pidFile}"; while :; do echo x; sleep 0.01; done' &`;
  }

  async function writerPid(pidFile: string): Promise<number> {
    const text = await pollUntil(() => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8') : '').trim());
    const pid = Number(text);
    killAtCleanup(pid);
    return pid;
  }

  describe('PTY input still queued at the end of a session', () => {
    for (const busyThreadPool of [false, true]) {
      it(`does not reach the next PTY session${busyThreadPool ? ' (thread pool busy)' : ''}`, async () => {
        // A busy thread pool (as under load) delays asynchronous writes: one queued before a
        // terminal's descriptor closes would run after the next terminal has reused the number.
        if (busyThreadPool) cleanups.push(keepThreadPoolBusy());
        const manager = persistent();
        // Far more than a terminal's input buffer holds: most of it has to wait in a queue.
        const flood = 'a'.repeat(300 * 1024);
        for (let round = 0; round < 6; round++) {
          const first = await manager.spawn(temp.dir, 'stty raw -echo && echo go && sleep 0.5', {
            pty: true,
          });
          await pollUntil(() => manager.getOutput(first.id).toString().includes('go'));
          manager.sendInput(first.id, flood);
          expect((await manager.waitForEnd(first.id)).status).toBe('completed');

          // Echo is on: anything written to this terminal would show in its output.
          const second = await manager.spawn(temp.dir, 'sleep 1', { pty: true });
          expect((await manager.waitForEnd(second.id)).status).toBe('completed');
          expect(manager.getOutput(second.id).toString()).not.toContain('a');
        }
      });
    }
  });

  describe('a final write the database refuses', () => {
    it('is retried, and the end is announced only once it is committed', async () => {
      const manager = persistent();
      manager.connection.db.exec(BLOCK_END_TRIGGER);
      const storageErrors: unknown[] = [];
      manager.on('storage:error', (event) => storageErrors.push(event.error));
      const ends: Session[] = [];
      manager.on('session:completed', (event) => ends.push(event.session));
      manager.on('session:failed', (event) => ends.push(event.session));

      const session = await manager.spawn(temp.dir, 'echo hello');
      let waited: Session | undefined;
      void manager.waitForEnd(session.id).then((final) => (waited = final));

      await pollUntil(() => storageErrors.length > 0);
      expect(String(storageErrors[0])).toMatch(/blocked/);
      // The output is committed before the status; only the status is missing.
      expect(manager.outputStore.getFullOutput(session.id).toString()).toBe('hello\n');
      expect(ends).toEqual([]);
      expect(waited).toBeUndefined();

      // The first retry fails too, and still nothing is announced.
      await pollUntil(() => storageErrors.length >= 2);
      expect(ends).toEqual([]);
      expect(waited).toBeUndefined();
      expect(storedSession(session.id)?.status).toBe('running');

      manager.connection.db.exec('DROP TRIGGER block_end');
      await pollUntil(() => ends.length > 0);
      expect(ends).toHaveLength(1);
      expect(ends[0]).toMatchObject({ id: session.id, status: 'completed', exitCode: 0 });
      // The row was committed before the end was announced.
      expect(storedSession(session.id)).toMatchObject({ status: 'completed', exitCode: 0, outputBytes: 6 });
      await pollUntil(() => waited !== undefined);
      expect(waited).toMatchObject({ id: session.id, status: 'completed' });
      expect(await manager.waitForEnd(session.id)).toMatchObject({ status: 'completed' });
    });

    it('does not keep close() or waitForEnd waiting', async () => {
      const manager = persistent();
      manager.connection.db.exec(BLOCK_END_TRIGGER);
      const storageErrors: unknown[] = [];
      manager.on('storage:error', (event) => storageErrors.push(event.error));
      const ends: Session[] = [];
      manager.on('session:completed', (event) => ends.push(event.session));

      const session = await manager.spawn(temp.dir, 'echo hello');
      const ended = manager.waitForEnd(session.id);
      await pollUntil(() => storageErrors.length > 0);
      expect(ends).toEqual([]);

      expect(await settleWithin(manager.close(), 10_000)).not.toBe(TIMED_OUT);
      expect(ends).toHaveLength(1);
      expect(ends[0]).toMatchObject({ id: session.id, status: 'completed' });
      expect(await settleWithin(ended, 1_000)).toMatchObject({ id: session.id, status: 'completed' });
    });
  });

  describe('listeners that throw', () => {
    const kinds = ['persistent', 'plain'] as const;
    const modes = ['pipe', 'pty'] as const;
    for (const kind of kinds) {
      for (const mode of modes) {
        it(`are isolated: ${kind} manager, ${mode} session`, async () => {
          const manager = kind === 'persistent' ? persistent() : plain();
          const emitter = manager as TypedEmitter<SessionEventMap>;
          const listenerErrors: ListenerError[] = [];
          (manager as EventEmitter).on('listener:error', (event: ListenerError) =>
            listenerErrors.push(event),
          );
          emitter.on('session:output', () => {
            throw new Error('output listener failed');
          });
          emitter.on('session:completed', () => {
            throw new Error('completed listener failed');
          });
          // Listeners after the throwing ones still receive every event.
          const data: string[] = [];
          emitter.on('session:output', (event) => data.push(event.data));
          const completed: Session[] = [];
          emitter.on('session:completed', (event) => completed.push(event.session));

          const session = await manager.spawn(temp.dir, 'echo one; sleep 0.2; echo two', {
            pty: mode === 'pty',
          });
          const final = await settleWithin(manager.waitForEnd(session.id), 15_000);
          const newline = mode === 'pty' ? '\r\n' : '\n';
          expect(final).toMatchObject({ status: 'completed', exitCode: 0 });
          expect(data.join('')).toBe(`one${newline}two${newline}`);
          expect(manager.getOutput(session.id)?.toString()).toBe(`one${newline}two${newline}`);
          expect(completed.map((s) => s.id)).toEqual([session.id]);

          const outputErrors = listenerErrors.filter((e) => e.event === 'session:output');
          expect(outputErrors.length).toBe(data.length);
          expect(outputErrors.every((e) => String(e.error) === 'Error: output listener failed')).toBe(true);
          expect(listenerErrors.filter((e) => e.event === 'session:completed')).toEqual([
            { event: 'session:completed', error: new Error('completed listener failed') },
          ]);
        });
      }
    }

    it('are reported as process warnings when nobody listens for listener:error', async () => {
      const warnings: Error[] = [];
      const onWarning = (warning: Error): void => {
        if (warning.name === 'ListenerError') warnings.push(warning);
      };
      process.on('warning', onWarning);
      cleanups.push(() => process.off('warning', onWarning));

      const manager = persistent();
      manager.on('session:completed', () => {
        throw new Error('completed listener failed');
      });
      const session = await manager.spawn(temp.dir, 'echo hello');
      const final = await settleWithin(manager.waitForEnd(session.id), 15_000);
      expect(final).toMatchObject({ status: 'completed' });
      expect(storedSession(session.id)?.status).toBe('completed');
      await pollUntil(() => warnings.length > 0);
      expect(warnings[0]?.message).toMatch(
        /session:completed listener threw: Error: completed listener failed/,
      );
    });
  });

  describe('output that never ends', () => {
    it('does not keep terminate() waiting: SIGKILL, then the session ends', async () => {
      const pidFile = join(temp.dir, 'writer.pid');
      // The drain would wait for a long time: only terminate's own limit can end this session.
      const manager = plain({ terminateGraceMs: 300, drainMaxMs: 120_000 });
      const session = await manager.spawn(temp.dir, `${escapedWriter(pidFile)} sleep 30`);
      killAtCleanup(session.pid as number);
      await writerPid(pidFile);
      await pollUntil(() => manager.getOutput(session.id)?.toString().includes('x'));

      const final = await settleWithin(manager.terminate(session.id), 15_000);
      expect(final).not.toBe(TIMED_OUT);
      expect(final).toMatchObject({ id: session.id, status: 'failed' });
      expect((final as Session).failureReason).toMatch(/terminated on request.*SIGKILL/);
      expect(manager.activeCount).toBe(0);
    });

    it('is read for at most drainMaxMs after the shell exits', async () => {
      const pidFile = join(temp.dir, 'writer.pid');
      const manager = plain({ drainIdleMs: 120_000, drainMaxMs: 500 });
      let writerAliveAtEnd: boolean | undefined;
      manager.on('session:completed', () => {
        writerAliveAtEnd = isProcessRunning(Number(readFileSync(pidFile, 'utf8')));
      });
      // The shell exits as soon as the writer is running; the writer keeps the output open.
      const session = await manager.spawn(
        temp.dir,
        `${escapedWriter(pidFile)} while [ ! -s "${pidFile}" ]; do sleep 0.01; done`,
      );
      await writerPid(pidFile);

      const final = await settleWithin(manager.waitForEnd(session.id), 15_000);
      expect(final).not.toBe(TIMED_OUT);
      expect(final).toMatchObject({ status: 'completed', exitCode: 0 });
      expect(writerAliveAtEnd).toBe(true);
      expect(manager.getOutput(session.id)?.toString()).toMatch(/^(x\n)+$/);
    });
  });

  describe('pause and resume', () => {
    const cases = [
      { mode: 'pipe', count: 2_000_000, newline: '\n' },
      { mode: 'pty', count: 500_000, newline: '\r\n' },
    ] as const;
    for (const { mode, count, newline } of cases) {
      it(`hold a ${mode} session's output, then let all of it through`, async () => {
        const manager = plain();
        const session = await manager.spawn(temp.dir, `seq 1 ${count}`, { pty: mode === 'pty' });
        manager.pause(session.id);
        const outputBytes = (): number => manager.getSession(session.id)?.outputBytes ?? -1;
        const expected = seqLength(count, newline);

        await pause(200);
        const before = outputBytes();
        await pause(300);
        const after = outputBytes();
        expect(after).toBe(before);
        expect(after).toBeLessThan(expected / 10);
        expect(manager.getSession(session.id)?.status).toBe('running');

        manager.resume(session.id);
        const final = await manager.waitForEnd(session.id);
        expect(final).toMatchObject({ status: 'completed', exitCode: 0 });
        expect(final.outputBytes).toBe(expected);
        expect(manager.getOutput(session.id)?.toString().endsWith(`\n${count}${newline}`)).toBe(true);
      });
    }

    for (const { mode, newline } of cases) {
      it(`lose nothing when a ${mode} session's process exits while it is paused`, async () => {
        const manager = plain();
        // Small enough to fit in the pipe or terminal buffer: the process exits without being read.
        const session = await manager.spawn(temp.dir, 'seq 1 1000', { pty: mode === 'pty' });
        manager.pause(session.id);
        await pollUntil(() => !isProcessRunning(session.pid as number));
        // Longer than node-pty waits for a terminal's stream after its process exits (200 ms).
        await pause(600);
        manager.resume(session.id);

        const final = await settleWithin(manager.waitForEnd(session.id), 15_000);
        expect(final).toMatchObject({ status: 'completed', exitCode: 0 });
        expect((final as Session).outputBytes).toBe(seqLength(1000, newline));
        expect(manager.getOutput(session.id)?.toString().endsWith(`\n1000${newline}`)).toBe(true);
      });
    }
  });

  describe('close() while a spawn is in progress', () => {
    it('waits for the spawn and terminates the new session', async () => {
      const manager = persistent();
      const spawning = manager.spawn(temp.dir, 'sleep 30');
      const closing = manager.close();
      const session = await spawning;
      expect(session).toMatchObject({ status: 'running', command: 'sleep 30' });
      await closing;
      expect(storedSession(session.id)).toMatchObject({
        status: 'failed',
        failureReason: 'terminated on request',
      });
      expect(isProcessRunning(session.pid as number)).toBe(false);
    });
  });

  describe('PersistentSessionManager options', () => {
    it('are validated before the database is opened', () => {
      const error = thrownBy(() => new PersistentSessionManager({ dbPath: temp.dbPath, maxSessions: 0 }));
      expect(error).toBeInstanceOf(SessionError);
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(existsSync(temp.dbPath)).toBe(false);
    });
  });

  describe('output through a real process', () => {
    for (const mode of ['pipe', 'pty'] as const) {
      it(`keeps a UTF-8 character split across chunks whole in \`data\` (${mode})`, async () => {
        const manager = persistent();
        const events: SessionOutputEvent[] = [];
        manager.on('session:output', (event) => events.push(event));
        // '€' is e2 82 ac: its last byte comes 300 ms after the first two.
        const session = await manager.spawn(temp.dir, nodeCommand('e282', 'wait:300', 'ac0a'), {
          pty: mode === 'pty',
        });
        const final = await manager.waitForEnd(session.id);
        expect(final.status).toBe('completed');

        const mine = events.filter((event) => event.sessionId === session.id);
        expect(mine.length).toBeGreaterThanOrEqual(2);
        const text = mine.map((event) => event.data).join('');
        expect(text).toBe(mode === 'pty' ? '€\r\n' : '€\n');
        expect(text).not.toContain('\uFFFD');
        expect(manager.getOutput(session.id).toString('hex')).toBe(
          mode === 'pty' ? 'e282ac0d0a' : 'e282ac0a',
        );
      });
    }

    it('stores every byte value exactly (pipe)', async () => {
      const manager = persistent();
      const session = await manager.spawn(temp.dir, nodeCommand('all-bytes'));
      const final = await manager.waitForEnd(session.id);
      expect(final).toMatchObject({ status: 'completed', outputBytes: 256 });
      const expected = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      expect(manager.getOutput(session.id).equals(expected)).toBe(true);
    });

    it('keeps CRLF as printed (pipe)', async () => {
      const manager = persistent();
      const events: SessionOutputEvent[] = [];
      manager.on('session:output', (event) => events.push(event));
      const session = await manager.spawn(temp.dir, "printf 'a\\r\\nb\\r\\n'");
      await manager.waitForEnd(session.id);
      expect(manager.getOutput(session.id).toString()).toBe('a\r\nb\r\n');
      expect(events.map((event) => event.data).join('')).toBe('a\r\nb\r\n');
    });
  });
});
