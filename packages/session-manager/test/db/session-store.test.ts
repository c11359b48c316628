import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseConnection, OutputStore, SessionError, SessionStore } from '../../src/index.js';
import { thrownBy } from '../helpers/errors.js';
import { makeSession } from '../helpers/sessions.js';
import { makeTempDir } from '../helpers/temp.js';

describe('SessionStore', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let connection: DatabaseConnection;
  let store: SessionStore;

  beforeEach(() => {
    temp = makeTempDir();
    connection = new DatabaseConnection(temp.dbPath);
    store = new SessionStore(connection);
  });
  afterEach(() => {
    connection.close();
    temp.remove();
  });

  it('creates a session and gets it back with every field intact', () => {
    const session = makeSession({
      slot: 2,
      workingDir: '/work/project',
      command: "printf 'a b'",
      mode: 'pty',
      status: 'failed',
      pid: 4242,
      pidStartTime: 'boot:123',
      ownerId: 'owner-1',
      endedAt: new Date(1_700_000_100_000),
      exitCode: 3,
      signal: 'SIGTERM',
      failureReason: 'exited with code 3',
      outputBytes: 17,
    });
    store.create(session);
    expect(store.get(session.id)).toEqual(session);
  });

  it('returns undefined for an unknown id', () => {
    expect(store.get('missing')).toBeUndefined();
  });

  it('refuses a duplicate id', () => {
    const session = makeSession();
    store.create(session);
    expect(() => store.create({ ...session, command: 'other' })).toThrow(/UNIQUE/);
    expect(store.get(session.id)?.command).toBe(session.command);
  });

  it('updates only the given fields', () => {
    const session = makeSession({ pid: 10 });
    store.create(session);
    const endedAt = new Date(1_800_000_000_000);
    expect(store.update(session.id, { status: 'completed', endedAt, exitCode: 0 })).toBe(true);
    expect(store.get(session.id)).toEqual({ ...session, status: 'completed', endedAt, exitCode: 0 });
  });

  it('can set a field back to null', () => {
    const session = makeSession({ pid: 10, failureReason: 'x' });
    store.create(session);
    store.update(session.id, { pid: null, failureReason: null });
    expect(store.get(session.id)).toMatchObject({ pid: null, failureReason: null });
  });

  it('reports no change for an unknown id or an empty update', () => {
    const session = makeSession();
    store.create(session);
    expect(store.update('missing', { status: 'failed' })).toBe(false);
    expect(store.update(session.id, {})).toBe(false);
    expect(store.get(session.id)).toEqual(session);
  });

  it('updates conditionally on the stored status', () => {
    const running = makeSession({ status: 'running' });
    const completed = makeSession({ status: 'completed', endedAt: new Date(1_800_000_000_000) });
    store.create(running);
    store.create(completed);
    const live = ['idle', 'running', 'waiting_checkpoint'] as const;

    expect(store.update(completed.id, { status: 'failed', failureReason: 'late' }, live)).toBe(false);
    expect(store.get(completed.id)).toEqual(completed);

    expect(store.update(running.id, { status: 'failed', failureReason: 'gone' }, live)).toBe(true);
    expect(store.get(running.id)).toMatchObject({ status: 'failed', failureReason: 'gone' });

    expect(store.update(running.id, { status: 'completed' }, ['running'])).toBe(false);
    expect(store.get(running.id)?.status).toBe('failed');
  });

  it('deletes a session together with its output', () => {
    const outputs = new OutputStore(connection);
    const doomed = makeSession();
    const kept = makeSession();
    store.create(doomed);
    store.create(kept);
    for (const session of [doomed, kept]) {
      outputs.append({
        sessionId: session.id,
        seq: 0,
        offset: 0,
        bytes: Buffer.from('output'),
        timestamp: new Date(),
      });
    }

    expect(store.delete(doomed.id)).toBe(true);
    expect(store.get(doomed.id)).toBeUndefined();
    expect(outputs.chunkCount(doomed.id)).toBe(0);
    expect(outputs.getFullOutput(kept.id).toString()).toBe('output');
    expect(store.delete(doomed.id)).toBe(false);
  });

  it('lists newest first', () => {
    const old = makeSession({ startedAt: new Date(1_000) });
    const newest = makeSession({ startedAt: new Date(3_000) });
    const middle = makeSession({ startedAt: new Date(2_000) });
    for (const session of [old, newest, middle]) store.create(session);
    expect(store.list().map((s) => s.id)).toEqual([newest.id, middle.id, old.id]);
  });

  it('breaks ties in start time by insertion order, newest first', () => {
    const startedAt = new Date(5_000);
    const first = makeSession({ startedAt });
    const second = makeSession({ startedAt });
    store.create(first);
    store.create(second);
    expect(store.list().map((s) => s.id)).toEqual([second.id, first.id]);
  });

  it('lists at most `limit` sessions', () => {
    const sessions = [1, 2, 3, 4].map((n) => makeSession({ startedAt: new Date(n * 1000) }));
    for (const session of sessions) store.create(session);
    expect(store.list({ limit: 2 }).map((s) => s.id)).toEqual([sessions[3]?.id, sessions[2]?.id]);
    expect(store.list({ limit: 0 })).toEqual([]);
    expect(store.list({ limit: 10 })).toHaveLength(4);
  });

  it('rejects a bad limit with INVALID_ARGUMENT', () => {
    for (const limit of [-1, 1.5, Number.NaN]) {
      const error = thrownBy(() => store.list({ limit }));
      expect(error).toBeInstanceOf(SessionError);
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('filters by one status or several', () => {
    const running = makeSession({ status: 'running', startedAt: new Date(1_000) });
    const waiting = makeSession({ status: 'waiting_checkpoint', startedAt: new Date(2_000) });
    const failed = makeSession({ status: 'failed', startedAt: new Date(3_000) });
    const completed = makeSession({ status: 'completed', startedAt: new Date(4_000) });
    const idle = makeSession({ status: 'idle', startedAt: new Date(5_000) });
    for (const session of [running, waiting, failed, completed, idle]) store.create(session);

    expect(store.list({ status: 'failed' }).map((s) => s.id)).toEqual([failed.id]);
    expect(store.list({ status: ['completed', 'running'] }).map((s) => s.id)).toEqual([
      completed.id,
      running.id,
    ]);
    expect(store.list({ status: ['completed', 'running'], limit: 1 }).map((s) => s.id)).toEqual([
      completed.id,
    ]);
    expect(store.listByStatus('waiting_checkpoint').map((s) => s.id)).toEqual([waiting.id]);
    expect(store.listByStatus(['failed', 'idle']).map((s) => s.id)).toEqual([idle.id, failed.id]);
    expect(store.findRunning().map((s) => s.id)).toEqual([idle.id, waiting.id, running.id]);
  });

  it('finds sessions by id prefix, newest first', () => {
    const a = makeSession({ id: 'abc-1', startedAt: new Date(1_000) });
    const b = makeSession({ id: 'abc-2', startedAt: new Date(2_000) });
    const c = makeSession({ id: 'abd-3', startedAt: new Date(3_000) });
    for (const session of [a, b, c]) store.create(session);
    expect(store.findByPrefix('abc').map((s) => s.id)).toEqual([b.id, a.id]);
    expect(store.findByPrefix('ab').map((s) => s.id)).toEqual([c.id, b.id, a.id]);
    expect(store.findByPrefix('abd-3').map((s) => s.id)).toEqual([c.id]);
    expect(store.findByPrefix('zzz')).toEqual([]);
  });

  it('returns at most 10 prefix matches', () => {
    for (let n = 0; n < 12; n++) store.create(makeSession({ id: `many-${n}` }));
    expect(store.findByPrefix('many-')).toHaveLength(10);
  });

  it('treats LIKE metacharacters in a prefix literally', () => {
    const ids = ['a%b-1', 'axb-1', 'a_c-1', 'ayc-1', 'a\\d-1', 'a\\\\d-1'];
    ids.forEach((id, n) => store.create(makeSession({ id, startedAt: new Date(n * 1000) })));
    expect(store.findByPrefix('a%').map((s) => s.id)).toEqual(['a%b-1']);
    expect(store.findByPrefix('a%b').map((s) => s.id)).toEqual(['a%b-1']);
    expect(store.findByPrefix('a_').map((s) => s.id)).toEqual(['a_c-1']);
    expect(store.findByPrefix('a_c').map((s) => s.id)).toEqual(['a_c-1']);
    expect(store.findByPrefix('a\\d').map((s) => s.id)).toEqual(['a\\d-1']);
    expect(store.findByPrefix('%')).toEqual([]);
    expect(store.findByPrefix('_')).toEqual([]);
  });

  describe('filters', () => {
    function ids(options: Parameters<SessionStore['list']>[0]): string[] {
      return store.list(options).map((s) => s.id);
    }

    it('matches a substring of the working directory or the command, ignoring ASCII case', () => {
      const api = makeSession({ id: 'api', workingDir: '/home/me/Projects/API', command: 'npm run Build' });
      const web = makeSession({ id: 'web', workingDir: '/home/me/projects/web', command: 'claude "fix it"' });
      const other = makeSession({ id: 'other', workingDir: '/srv/other', command: 'make build' });
      for (const session of [api, web, other]) store.create(session);

      expect(ids({ workingDirContains: 'projects' })).toEqual(['web', 'api']);
      expect(ids({ workingDirContains: 'PROJECTS/api' })).toEqual(['api']);
      expect(ids({ workingDirContains: '/srv/' })).toEqual(['other']);
      expect(ids({ workingDirContains: 'nowhere' })).toEqual([]);
      expect(ids({ commandContains: 'build' })).toEqual(['other', 'api']);
      expect(ids({ commandContains: '"fix' })).toEqual(['web']);
      expect(ids({ workingDirContains: 'projects', commandContains: 'BUILD' })).toEqual(['api']);
      expect(ids({ workingDirContains: '' })).toEqual(['other', 'web', 'api']);
    });

    it('takes %, _ and \\ in a filter literally', () => {
      const commands = ['echo 100%', 'echo 1000', 'a_b', 'axb', 'back\\slash', 'back\\\\slash'];
      commands.forEach((command, n) => store.create(makeSession({ id: `c${n}`, command })));
      const matching = (text: string): string[] =>
        store.list({ commandContains: text }).map((s) => s.command);

      expect(matching('%')).toEqual(['echo 100%']);
      expect(matching('0%')).toEqual(['echo 100%']);
      expect(matching('_')).toEqual(['a_b']);
      expect(matching('a_b')).toEqual(['a_b']);
      expect(matching('\\s')).toEqual(['back\\\\slash', 'back\\slash']);
      expect(matching('\\\\')).toEqual(['back\\\\slash']);
      expect(matching('%%')).toEqual([]);
    });

    it('pages newest first with startedBefore', () => {
      for (let n = 1; n <= 7; n++) store.create(makeSession({ id: `s${n}`, startedAt: new Date(n * 1000) }));
      const first = store.list({ limit: 3 });
      expect(first.map((s) => s.id)).toEqual(['s7', 's6', 's5']);
      const second = store.list({ limit: 3, startedBefore: first.at(-1)?.startedAt });
      expect(second.map((s) => s.id)).toEqual(['s4', 's3', 's2']);
      const third = store.list({ limit: 3, startedBefore: second.at(-1)?.startedAt });
      expect(third.map((s) => s.id)).toEqual(['s1']);
      expect(ids({ startedBefore: new Date(1000) })).toEqual([]);
    });

    it('combines every filter with the status filter', () => {
      store.create(
        makeSession({ id: 'old-done', status: 'completed', command: 'gsd x', startedAt: new Date(1000) }),
      );
      store.create(
        makeSession({ id: 'new-done', status: 'completed', command: 'gsd y', startedAt: new Date(5000) }),
      );
      store.create(
        makeSession({ id: 'old-run', status: 'running', command: 'gsd z', startedAt: new Date(2000) }),
      );
      store.create(
        makeSession({ id: 'other', status: 'completed', command: 'ls', startedAt: new Date(3000) }),
      );
      expect(
        ids({ status: ['completed', 'failed'], commandContains: 'gsd', startedBefore: new Date(4000) }),
      ).toEqual(['old-done']);
    });

    it('rejects an invalid date with INVALID_ARGUMENT', () => {
      const error = thrownBy(() => store.list({ startedBefore: new Date('not a date') }));
      expect(error).toBeInstanceOf(SessionError);
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    });
  });
});
