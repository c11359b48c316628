import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RecoveryResult, Session } from '@gsd/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DatabaseConnection,
  OwnerStore,
  PersistentSessionManager,
  readProcessStartTime,
  recoverOrphanedSessions,
  SessionStore,
} from '../src/index.js';
import { thrownBy } from './helpers/errors.js';
import { deadPid, isProcessRunning, killGroup } from './helpers/process.js';
import { makeSession } from './helpers/sessions.js';
import { makeTempDir, pollUntil } from './helpers/temp.js';

const holdSessionFixture = fileURLToPath(new URL('./fixtures/hold-session.mjs', import.meta.url));

describe('recoverOrphanedSessions', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let connection: DatabaseConnection;
  let sessions: SessionStore;
  let owners: OwnerStore;
  let sleeper: ChildProcess | undefined;

  /** An owner row for a manager process that has died. */
  async function deadOwner(id: string): Promise<string> {
    const pid = await deadPid();
    connection.db
      .prepare('INSERT INTO owners (id, pid, pid_start_time, hostname, started_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, pid, 'boot:1', hostname(), Date.now());
    return id;
  }

  /** A live `sleep 30` in its own process group, killed after the test. */
  async function liveSleep(): Promise<number> {
    sleeper = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    await once(sleeper, 'spawn');
    return sleeper.pid as number;
  }

  function orphanOf(result: RecoveryResult, sessionId: string) {
    return result.orphans.find((orphan) => orphan.sessionId === sessionId);
  }

  beforeEach(() => {
    temp = makeTempDir();
    connection = new DatabaseConnection(temp.dbPath);
    sessions = new SessionStore(connection);
    owners = new OwnerStore(connection);
  });
  afterEach(() => {
    if (sleeper?.pid !== undefined) killGroup(sleeper.pid);
    sleeper = undefined;
    connection.close();
    temp.remove();
  });

  it('marks a session whose process has exited failed: process_gone', async () => {
    const pid = await deadPid();
    const session = makeSession({ pid, pidStartTime: 'boot:1', ownerId: await deadOwner('o1') });
    sessions.create(session);
    const now = new Date(1_800_000_000_000);

    const result = recoverOrphanedSessions(sessions, { ownerStore: owners, now });

    expect(result.markedFailed).toEqual([session.id]);
    expect(result.orphanedCount).toBe(1);
    expect(result.skippedLiveOwner).toEqual([]);
    const orphan = orphanOf(result, session.id);
    expect(orphan?.cause).toBe('process_gone');
    expect(orphan?.reason).toContain(`pid ${pid}`);
    expect(orphan?.reason).toMatch(/has exited/);
    const stored = sessions.get(session.id);
    expect(stored).toMatchObject({ status: 'failed', endedAt: now, failureReason: orphan?.reason });
    expect(result.recoveredSessions).toEqual([stored]);
  });

  it('sets endedAt to the recovery time by default', async () => {
    const session = makeSession({ pid: await deadPid() });
    sessions.create(session);
    const before = Date.now();
    recoverOrphanedSessions(sessions);
    const endedAt = sessions.get(session.id)?.endedAt;
    expect(endedAt).toBeInstanceOf(Date);
    expect(endedAt?.getTime()).toBeGreaterThanOrEqual(before);
    expect(endedAt?.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('marks a session whose process still runs process_unreachable, without killing it', async () => {
    const pid = await liveSleep();
    const session = makeSession({
      pid,
      pidStartTime: readProcessStartTime(pid),
      ownerId: await deadOwner('dead-owner'),
    });
    sessions.create(session);

    const result = recoverOrphanedSessions(sessions, { ownerStore: owners });

    const orphan = orphanOf(result, session.id);
    expect(orphan?.cause).toBe('process_unreachable');
    expect(orphan?.reason).toContain(`pid ${pid}`);
    expect(orphan?.reason).toMatch(/not killed/);
    expect(sessions.get(session.id)).toMatchObject({ status: 'failed', failureReason: orphan?.reason });
    expect(sessions.get(session.id)?.endedAt).not.toBeNull();
    expect(isProcessRunning(pid)).toBe(true);
  });

  it('treats a PID now held by another process as process_gone', async () => {
    const pid = await liveSleep();
    const session = makeSession({ pid, pidStartTime: 'another-boot:12345', ownerId: null });
    sessions.create(session);

    const result = recoverOrphanedSessions(sessions, { ownerStore: owners });

    const orphan = orphanOf(result, session.id);
    expect(orphan?.cause).toBe('process_gone');
    expect(orphan?.reason).toMatch(/another process/);
    expect(sessions.get(session.id)?.status).toBe('failed');
    expect(isProcessRunning(pid)).toBe(true);
  });

  it('leaves alone the sessions of an owner that is still running', async () => {
    owners.register('live-owner');
    const session = makeSession({ pid: await deadPid(), ownerId: 'live-owner' });
    sessions.create(session);

    const result = recoverOrphanedSessions(sessions, { ownerStore: owners });

    expect(result.skippedLiveOwner).toEqual([session.id]);
    expect(result.markedFailed).toEqual([]);
    expect(result.orphanedCount).toBe(0);
    expect(sessions.get(session.id)).toEqual(session);
  });

  it('leaves alone the sessions of an owner on another host', async () => {
    connection.db
      .prepare('INSERT INTO owners (id, pid, pid_start_time, hostname, started_at) VALUES (?, ?, ?, ?, ?)')
      .run('remote-owner', await deadPid(), null, 'some-other-host.invalid', Date.now());
    const session = makeSession({ pid: await deadPid(), ownerId: 'remote-owner' });
    sessions.create(session);

    const result = recoverOrphanedSessions(sessions, { ownerStore: owners });
    expect(result.skippedLiveOwner).toEqual([session.id]);
    expect(sessions.get(session.id)?.status).toBe('running');
  });

  it('recovers the sessions of an owner that closed', async () => {
    owners.register('closed-owner');
    owners.markClosed('closed-owner');
    const session = makeSession({ pid: await deadPid(), ownerId: 'closed-owner' });
    sessions.create(session);

    const result = recoverOrphanedSessions(sessions, { ownerStore: owners });
    expect(result.markedFailed).toEqual([session.id]);
    expect(sessions.get(session.id)?.status).toBe('failed');
  });

  it('recovers the sessions of an owner whose PID was reused', async () => {
    const owner = owners.register('reused-owner');
    connection.db
      .prepare('UPDATE owners SET pid_start_time = ? WHERE id = ?')
      .run(`${owner.pidStartTime ?? 'x'}-earlier`, owner.id);
    const session = makeSession({ pid: await deadPid(), ownerId: owner.id });
    sessions.create(session);

    const result = recoverOrphanedSessions(sessions, { ownerStore: owners });
    expect(result.markedFailed).toEqual([session.id]);
  });

  it('recovers sessions with a missing owner row or no owner', async () => {
    const missing = makeSession({ pid: await deadPid(), ownerId: 'never-registered' });
    const none = makeSession({ pid: null, ownerId: null });
    sessions.create(missing);
    sessions.create(none);

    const result = recoverOrphanedSessions(sessions, { ownerStore: owners });

    expect([...result.markedFailed].sort()).toEqual([missing.id, none.id].sort());
    expect(orphanOf(result, none.id)?.cause).toBe('process_gone');
    expect(orphanOf(result, none.id)?.reason).toContain('pid unknown');
    expect(sessions.get(missing.id)?.status).toBe('failed');
    expect(sessions.get(none.id)?.status).toBe('failed');
  });

  it('recovers idle and waiting_checkpoint sessions too', async () => {
    const idle = makeSession({ status: 'idle', pid: await deadPid() });
    const waiting = makeSession({ status: 'waiting_checkpoint', pid: await deadPid() });
    sessions.create(idle);
    sessions.create(waiting);

    const result = recoverOrphanedSessions(sessions, { ownerStore: owners });
    expect(result.orphanedCount).toBe(2);
    expect(sessions.listByStatus('failed')).toHaveLength(2);
  });

  it('does not touch sessions that already ended', async () => {
    const ended: Session[] = [
      makeSession({ status: 'completed', exitCode: 0, endedAt: new Date(1_700_000_500_000) }),
      makeSession({
        status: 'failed',
        exitCode: 2,
        endedAt: new Date(1_700_000_600_000),
        failureReason: 'exited with code 2',
      }),
    ];
    for (const session of ended) sessions.create({ ...session, pid: await deadPid() });

    const result = recoverOrphanedSessions(sessions, { ownerStore: owners });

    expect(result).toEqual({
      orphanedCount: 0,
      markedFailed: [],
      recoveredSessions: [],
      orphans: [],
      skippedLiveOwner: [],
      reattached: [],
      reattachedSessions: [],
      notReattached: [],
    });
    for (const session of ended) {
      expect(sessions.get(session.id)).toMatchObject({
        status: session.status,
        endedAt: session.endedAt,
        failureReason: session.failureReason,
      });
    }
  });

  it('finds nothing left to do when run a second time', async () => {
    sessions.create(makeSession({ pid: await deadPid() }));
    expect(recoverOrphanedSessions(sessions, { ownerStore: owners }).orphanedCount).toBe(1);
    expect(recoverOrphanedSessions(sessions, { ownerStore: owners }).orphanedCount).toBe(0);
  });
});

describe('recovery across processes', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let holder: ChildProcess | undefined;
  let sleepPid: number | undefined;
  const managers: PersistentSessionManager[] = [];

  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(async () => {
    for (const manager of managers.splice(0)) await manager.close();
    if (holder !== undefined && holder.exitCode === null && holder.signalCode === null) {
      holder.kill('SIGKILL');
      await once(holder, 'exit');
    }
    holder = undefined;
    if (sleepPid !== undefined) killGroup(sleepPid);
    sleepPid = undefined;
    temp.remove();
  });

  function openManager(): { manager: PersistentSessionManager; recovery: Promise<RecoveryResult> } {
    const manager = new PersistentSessionManager({ dbPath: temp.dbPath });
    managers.push(manager);
    const recovery = new Promise<RecoveryResult>((resolve) => {
      manager.once('recovery:complete', resolve);
    });
    return { manager, recovery };
  }

  it('leaves another live manager’s session alone, and recovers it once that manager dies', async () => {
    holder = spawn(process.execPath, [holdSessionFixture, temp.dbPath], {
      cwd: temp.dir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const holderExit = once(holder, 'exit');
    const lines = createInterface({ input: holder.stdout as NodeJS.ReadableStream });
    const [line] = (await once(lines, 'line')) as [string];
    lines.close();
    const held = JSON.parse(line) as { sessionId: string; pid: number };
    sleepPid = held.pid;
    expect(isProcessRunning(held.pid)).toBe(true);

    const second = openManager();
    const secondRecovery = await second.recovery;
    expect(secondRecovery.skippedLiveOwner).toContain(held.sessionId);
    expect(secondRecovery.markedFailed).not.toContain(held.sessionId);
    expect(second.manager.getSession(held.sessionId)?.status).toBe('running');
    expect(thrownBy(() => second.manager.sendInput(held.sessionId, 'x'))).toMatchObject({
      code: 'SESSION_NOT_OWNED',
    });

    holder.kill('SIGKILL');
    await holderExit;

    const third = openManager();
    const thirdRecovery = await third.recovery;
    expect(thirdRecovery.markedFailed).toEqual([held.sessionId]);
    expect(thirdRecovery.orphans[0]?.cause).toBe('process_unreachable');
    const stored = third.manager.getSession(held.sessionId);
    expect(stored?.status).toBe('failed');
    expect(stored?.endedAt).not.toBeNull();
    expect(stored?.failureReason).toMatch(/still running/);
    expect(isProcessRunning(held.pid)).toBe(true);

    killGroup(held.pid);
    await pollUntil(() => !isProcessRunning(held.pid), 5_000);
  });
});
