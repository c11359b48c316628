import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionWaitingEvent } from '@gsd/core';
import { PersistentSessionManager } from '../../src/index.js';
import { makeTempDir } from '../helpers/temp.js';

const PROMPT = 'stty -echo; printf \'Continue? (y/n) \'; read x; sleep 1; echo "got $x"';

function waitingOf(manager: PersistentSessionManager): Promise<SessionWaitingEvent> {
  return new Promise((resolve) => manager.once('session:waiting', resolve));
}

describe('answering checkpoints', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let manager: PersistentSessionManager;

  beforeEach(() => {
    temp = makeTempDir();
    manager = new PersistentSessionManager({ dbPath: temp.dbPath, checkpointQuietMs: 150 });
  });
  afterEach(async () => {
    await manager.close();
    temp.remove();
  });

  it('counts a session as running as soon as it is answered, before it prints anything', async () => {
    const waiting = waitingOf(manager);
    const session = await manager.spawn(temp.dir, PROMPT, { pty: true });
    expect((await waiting).checkpoint.details.type).toBe('input');
    manager.respondToCheckpoint(session.id, 'y', 'mcp');
    expect(manager.getSession(session.id)?.status).toBe('running');
    expect(manager.sessionStore.get(session.id)?.status).toBe('running');
    // A wait right after the answer does not return the answered checkpoint again.
    const result = await manager.waitForChange({ sessionIds: [session.id], timeoutMs: 5_000 });
    expect(result.changes[0]?.session.status).toBe('completed');
    expect(manager.checkpointStore.listBySession(session.id)).toHaveLength(1);
  });

  it('records input typed into a waiting session as its answer', async () => {
    const waiting = waitingOf(manager);
    const session = await manager.spawn(temp.dir, PROMPT, { pty: true });
    await waiting;
    manager.type(session.id, 'n', true, 'dashboard');
    expect(manager.getCheckpoint(session.id)).toMatchObject({ response: 'n', responder: 'dashboard' });
    expect(manager.getSession(session.id)?.status).toBe('running');
    await manager.waitForEnd(session.id);
  });

  it('presses Enter on a pipe with a newline', async () => {
    const session = await manager.spawn(temp.dir, 'read -r x; echo "got:$x"');
    expect(manager.type(session.id, 'hello', true)).toBe('hello\n');
    await manager.waitForEnd(session.id);
    expect(manager.getOutput(session.id).toString()).toBe('got:hello\n');
  });

  it('ends pending waits when the manager closes', async () => {
    const session = await manager.spawn(temp.dir, 'sleep 30');
    const pending = manager.waitForChange({ sessionIds: [session.id], timeoutMs: 30_000 });
    await manager.close();
    expect(await pending).toMatchObject({ timedOut: true, changes: [] });
  });
});
