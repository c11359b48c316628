import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecoveryResult, SessionOutputEvent } from '@gsd/core';
import {
  DatabaseConnection,
  OutputStore,
  PersistentSessionManager,
  SessionError,
  SessionStore,
} from '../src/index.js';
import { makeSession } from './helpers/sessions.js';
import { makeTempDir, pollUntil } from './helpers/temp.js';

describe('PersistentSessionManager', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let manager: PersistentSessionManager;

  beforeEach(() => {
    temp = makeTempDir();
    manager = new PersistentSessionManager({ dbPath: temp.dbPath });
  });
  afterEach(async () => {
    await manager.close();
    temp.remove();
  });

  /** A second connection, as another process would read the file. */
  function openStores(): { sessions: SessionStore; output: OutputStore; close(): void } {
    const connection = new DatabaseConnection(temp.dbPath);
    return {
      sessions: new SessionStore(connection),
      output: new OutputStore(connection),
      close: () => connection.close(),
    };
  }

  it('spawn() persists session to database', async () => {
    const session = await manager.spawn(temp.dir, 'sleep 5');
    const stores = openStores();
    try {
      const stored = stores.sessions.get(session.id);
      expect(stored).toMatchObject({
        id: session.id,
        status: 'running',
        workingDir: temp.dir,
        command: 'sleep 5',
        pid: session.pid,
        ownerId: manager.ownerId,
        slot: 1,
      });
      expect(stored?.pidStartTime).toEqual(expect.any(String));
    } finally {
      stores.close();
    }
  });

  it('output is persisted as events arrive', async () => {
    const session = await manager.spawn(temp.dir, 'echo first; read line; echo "got $line"');
    const stores = openStores();
    try {
      // The first line reaches the database while the process still waits for input.
      await pollUntil(() => stores.output.getFullOutput(session.id).toString() === 'first\n');
      expect(manager.getSession(session.id)?.status).toBe('running');
      manager.sendInput(session.id, 'abc\n');
      await manager.waitForEnd(session.id);
      expect(stores.output.getFullOutput(session.id).toString()).toBe('first\ngot abc\n');
      expect(stores.output.getBySession(session.id).length).toBeGreaterThan(0);
    } finally {
      stores.close();
    }
  });

  it('completed sessions are updated in store', async () => {
    const session = await manager.spawn(temp.dir, 'echo done');
    const completed = new Promise((resolve) => manager.once('session:completed', resolve));
    await completed;
    const stores = openStores();
    try {
      const stored = stores.sessions.get(session.id);
      expect(stored?.status).toBe('completed');
      expect(stored?.exitCode).toBe(0);
      expect(stored?.endedAt).toBeInstanceOf(Date);
      expect(stored?.outputBytes).toBe(5);
    } finally {
      stores.close();
    }
  });

  it('recovery marks orphaned sessions as failed', async () => {
    const stores = openStores();
    const orphanId = randomUUID();
    try {
      stores.sessions.create(
        makeSession({
          id: orphanId,
          command: 'claude',
          mode: 'pty',
          pid: 2 ** 22 + 12345, // above Linux's pid_max: no such process
          ownerId: randomUUID(), // an owner that never registered: gone
          startedAt: new Date(Date.now() - 60_000),
        }),
      );
    } finally {
      stores.close();
    }
    const second = new PersistentSessionManager({ dbPath: temp.dbPath });
    try {
      const result = await new Promise<RecoveryResult>((resolve) =>
        second.once('recovery:complete', resolve),
      );
      expect(result.orphanedCount).toBe(1);
      expect(result.markedFailed).toEqual([orphanId]);
      expect(result.orphans[0]?.cause).toBe('process_gone');
      expect(await second.ready).toEqual(result);
      const recovered = second.getSession(orphanId);
      expect(recovered?.status).toBe('failed');
      expect(recovered?.endedAt).toBeInstanceOf(Date);
      expect(recovered?.failureReason).toMatch(/harness that ran it is gone/);
    } finally {
      await second.close();
    }
  });

  it('getOutput() returns historical output for completed sessions', async () => {
    const session = await manager.spawn(temp.dir, 'printf "line one\\nline two\\n"');
    await manager.waitForEnd(session.id);
    await manager.close();
    const reopened = new PersistentSessionManager({ dbPath: temp.dbPath });
    try {
      expect(reopened.getOutput(session.id).toString()).toBe('line one\nline two\n');
      expect(reopened.getSession(session.id)?.status).toBe('completed');
    } finally {
      await reopened.close();
    }
  });

  it('listSessions() includes both live and completed', async () => {
    const done = await manager.spawn(temp.dir, 'true');
    await manager.waitForEnd(done.id);
    const live = await manager.spawn(temp.dir, 'sleep 5');
    const listed = manager.listSessions();
    expect(listed.map((s) => s.id)).toEqual([live.id, done.id]);
    expect(listed.map((s) => s.status)).toEqual(['running', 'completed']);
    expect(manager.getHistoricalSessions(1).map((s) => s.id)).toEqual([live.id]);
  });

  it('listSessions() filters live sessions as the store filters stored ones', async () => {
    const done = await manager.spawn(temp.dir, 'echo Finished');
    await manager.waitForEnd(done.id);
    const live = await manager.spawn(temp.dir, 'sleep 5 # Live');
    const ids = (options: Parameters<typeof manager.listSessions>[0]): string[] =>
      manager.listSessions(options).map((s) => s.id);

    expect(ids({ commandContains: 'live' })).toEqual([live.id]);
    expect(ids({ commandContains: 'FINISHED' })).toEqual([done.id]);
    expect(ids({ workingDirContains: temp.dir.toUpperCase() })).toEqual([live.id, done.id]);
    expect(ids({ workingDirContains: '/elsewhere' })).toEqual([]);
    expect(ids({ startedBefore: live.startedAt })).toEqual([done.id]);
    expect(ids({ startedBefore: new Date(live.startedAt.getTime() + 1) })).toEqual([live.id, done.id]);
    expect(ids({ status: ['running'], commandContains: 'sleep' })).toEqual([live.id]);
    expect(ids({ status: ['completed'], commandContains: 'sleep' })).toEqual([]);
  });

  it('works with the API the plan gives', async () => {
    const outputs: string[] = [];
    manager.on('session:output', (event) => outputs.push(event.data));
    const session = await manager.spawn(temp.dir, 'echo hello');
    await manager.waitForEnd(session.id);
    expect(outputs.join('')).toBe('hello\n');
  });

  it('emits session:completed only after every byte and the final status are committed', async () => {
    const observed: { status?: string; bytes: number; expected: number }[] = [];
    manager.on('session:completed', (event) => {
      const stores = openStores();
      try {
        observed.push({
          status: stores.sessions.get(event.session.id)?.status,
          bytes: stores.output.totalBytes(event.session.id),
          expected: event.session.outputBytes,
        });
      } finally {
        stores.close();
      }
    });
    const session = await manager.spawn(temp.dir, 'seq 1 200000', { pty: true });
    await manager.waitForEnd(session.id);
    expect(observed).toHaveLength(1);
    expect(observed[0]).toEqual({ status: 'completed', bytes: 1288895 + 200000, expected: 1288895 + 200000 });
  });

  it('delivers recovery:complete to a listener attached right after construction', async () => {
    const third = new PersistentSessionManager({ dbPath: temp.dbPath });
    const received = await new Promise<RecoveryResult>((resolve) => third.on('recovery:complete', resolve));
    expect(received).toMatchObject({ orphanedCount: 0, markedFailed: [] });
    await third.close();
  });

  it('does not run recovery when autoRecover is false', async () => {
    const quiet = new PersistentSessionManager({ dbPath: temp.dbPath, autoRecover: false });
    expect(await quiet.ready).toBeNull();
    await quiet.close();
  });

  it('output events carry exact bytes with contiguous offsets', async () => {
    const events: SessionOutputEvent[] = [];
    manager.on('session:output', (event) => events.push(event));
    const session = await manager.spawn(temp.dir, 'head -c 300000 /dev/zero | tr "\\0" x');
    await manager.waitForEnd(session.id);
    let expectedOffset = 0;
    for (const [index, event] of events.entries()) {
      expect(event.seq).toBe(index);
      expect(event.offset).toBe(expectedOffset);
      expectedOffset += event.bytes.length;
    }
    expect(expectedOffset).toBe(300000);
    expect(manager.tailOutput(session.id, 10).data.toString()).toBe('x'.repeat(10));
  });

  it('close() terminates live sessions and records them as failed', async () => {
    const session = await manager.spawn(temp.dir, 'sleep 30');
    await manager.close();
    const stores = openStores();
    try {
      const stored = stores.sessions.get(session.id);
      expect(stored?.status).toBe('failed');
      expect(stored?.failureReason).toBe('terminated on request');
      expect(stored?.signal).toBe('SIGTERM');
    } finally {
      stores.close();
    }
    await expect(manager.spawn(temp.dir, 'true')).rejects.toMatchObject({ code: 'MANAGER_CLOSED' });
  });

  it('answers ended sessions from the store: input is refused, terminate returns the record', async () => {
    const session = await manager.spawn(temp.dir, 'true');
    await manager.waitForEnd(session.id);
    expect(() => manager.sendInput(session.id, 'x')).toThrow(/has ended \(completed\)/);
    expect((await manager.terminate(session.id)).status).toBe('completed');
    expect(() => manager.getOutput('no-such-id')).toThrow(/No session with id/);
  });
});

describe('PersistentSessionManager refusing a spawn', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let manager: PersistentSessionManager;

  beforeEach(() => {
    temp = makeTempDir();
    manager = new PersistentSessionManager({ dbPath: temp.dbPath, maxSessions: 1 });
  });
  afterEach(async () => {
    await manager.close();
    temp.remove();
  });

  it('leaves no row for a spawn past the session limit', async () => {
    const running = await manager.spawn(temp.dir, 'sleep 30');
    const error = await manager.spawn(temp.dir, 'sleep 30').catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(SessionError);
    expect(error).toMatchObject({ code: 'SESSION_LIMIT' });
    expect(manager.sessionStore.list().map((s) => s.id)).toEqual([running.id]);
    expect(manager.activeCount).toBe(1);
  });

  it('leaves no row for a bad working directory or command', async () => {
    await expect(manager.spawn(join(temp.dir, 'missing'), 'true')).rejects.toMatchObject({
      code: 'WORKING_DIR_NOT_FOUND',
    });
    await expect(manager.spawn(temp.dir, '  ')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(manager.sessionStore.list()).toEqual([]);
    expect(manager.activeCount).toBe(0);
  });
});
