import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionEvent } from '@gsd/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_COLS,
  DEFAULT_ROWS,
  readProcessStartTime,
  SessionError,
  SessionManager,
  type SessionManagerOptions,
} from '../src/index.js';
import { thrownBy } from './helpers/errors.js';
import { isProcessRunning, killGroup } from './helpers/process.js';
import { makeTempDir, pollUntil } from './helpers/temp.js';

const TERMINATE_GRACE_MS = 300;

describe('SessionManager', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let managers: SessionManager[];
  let strayPids: number[];

  function makeManager(options: SessionManagerOptions = {}): SessionManager {
    const manager = new SessionManager({ terminateGraceMs: TERMINATE_GRACE_MS, ...options });
    managers.push(manager);
    return manager;
  }

  /** Every event the manager emits, in order. */
  function recordEvents(manager: SessionManager): SessionEvent[] {
    const events: SessionEvent[] = [];
    manager.on('session:started', (event) => events.push(event));
    manager.on('session:output', (event) => events.push(event));
    manager.on('session:completed', (event) => events.push(event));
    manager.on('session:failed', (event) => events.push(event));
    return events;
  }

  function outputOf(manager: SessionManager, sessionId: string): string {
    return manager.getOutput(sessionId)?.toString() ?? '';
  }

  /** The number the session prints on its first line, once that line is complete. */
  async function firstNumberPrinted(manager: SessionManager, sessionId: string): Promise<number> {
    const match = await pollUntil(() => /^(\d+)\r?\n/.exec(outputOf(manager, sessionId)));
    return Number(match?.[1]);
  }

  beforeEach(() => {
    temp = makeTempDir();
    managers = [];
    strayPids = [];
  });
  afterEach(async () => {
    await Promise.all(managers.map((manager) => manager.terminateAll()));
    for (const pid of strayPids) killGroup(pid);
    temp.remove();
  });

  describe('spawn', () => {
    it('resolves with a running session holding slot 1', async () => {
      const manager = makeManager();
      const session = await manager.spawn(temp.dir, 'sleep 30');
      expect(session).toMatchObject({
        slot: 1,
        status: 'running',
        mode: 'pipe',
        workingDir: temp.dir,
        command: 'sleep 30',
        endedAt: null,
        exitCode: null,
        signal: null,
        failureReason: null,
        ownerId: null,
        outputBytes: 0,
      });
      expect(session.pid).toBeGreaterThan(0);
      expect(isProcessRunning(session.pid as number)).toBe(true);
      expect(session.pidStartTime).toBe(readProcessStartTime(session.pid as number));
      expect(manager.activeCount).toBe(1);
      expect(manager.getSession(session.id)).toEqual(session);
      expect(manager.listSessions()).toEqual([session]);
    });

    it('records the owner id it was given', async () => {
      const manager = makeManager({ ownerId: 'owner-7' });
      const session = await manager.spawn(temp.dir, 'true');
      expect(session.ownerId).toBe('owner-7');
    });

    it('emits started, then output, then completed', async () => {
      const manager = makeManager();
      const events = recordEvents(manager);
      const session = await manager.spawn(temp.dir, "printf 'one\\n'; printf 'two\\n'");
      const final = await manager.waitForEnd(session.id);

      const types = events.map((event) => event.type);
      expect(types[0]).toBe('session:started');
      expect(types.at(-1)).toBe('session:completed');
      expect(types.slice(1, -1).every((type) => type === 'session:output')).toBe(true);
      expect(types.length).toBeGreaterThanOrEqual(3);

      const outputs = events.filter((event) => event.type === 'session:output');
      expect(outputs.map((event) => event.data).join('')).toBe('one\ntwo\n');
      let offset = 0;
      outputs.forEach((event, seq) => {
        expect(event).toMatchObject({ sessionId: session.id, seq, offset });
        offset += event.bytes.length;
      });

      expect(final).toMatchObject({ status: 'completed', exitCode: 0, signal: null, failureReason: null });
      expect(final.outputBytes).toBe(8);
      expect(final.endedAt).toBeInstanceOf(Date);
      expect(events.at(-1)).toMatchObject({ type: 'session:completed', session: final });
      expect(manager.activeCount).toBe(0);
    });

    it('merges stderr into the output', async () => {
      const manager = makeManager();
      const session = await manager.spawn(temp.dir, 'echo out; echo err >&2');
      await manager.waitForEnd(session.id);
      expect(outputOf(manager, session.id).split('\n').sort()).toEqual(['', 'err', 'out']);
    });

    it('keeps only the last outputBufferBytes in memory', async () => {
      const manager = makeManager({ outputBufferBytes: 10 });
      const session = await manager.spawn(temp.dir, 'printf 0123456789abcdef');
      const final = await manager.waitForEnd(session.id);
      expect(outputOf(manager, session.id)).toBe('6789abcdef');
      expect(final.outputBytes).toBe(16);
    });
  });

  describe('exit', () => {
    for (const pty of [false, true]) {
      const mode = pty ? 'pty' : 'pipe';

      it(`records a non-zero exit as failed (${mode})`, async () => {
        const manager = makeManager();
        const events = recordEvents(manager);
        const session = await manager.spawn(temp.dir, 'exit 3', { pty });
        const final = await manager.waitForEnd(session.id);
        expect(final).toMatchObject({
          status: 'failed',
          exitCode: 3,
          signal: null,
          failureReason: 'exited with code 3',
        });
        expect(events.at(-1)).toMatchObject({ type: 'session:failed', reason: 'exited with code 3' });
        expect(events.some((event) => event.type === 'session:completed')).toBe(false);
      });

      it(`records a process killed by a signal as failed, never completed (${mode})`, async () => {
        const manager = makeManager();
        const events = recordEvents(manager);
        const session = await manager.spawn(temp.dir, 'kill -9 $$', { pty });
        const final = await manager.waitForEnd(session.id);
        expect(final).toMatchObject({
          status: 'failed',
          exitCode: null,
          signal: 'SIGKILL',
          failureReason: 'killed by SIGKILL',
        });
        expect(events.some((event) => event.type === 'session:completed')).toBe(false);
        expect(events.at(-1)?.type).toBe('session:failed');
      });

      it(`records exit code 0 as completed (${mode})`, async () => {
        const manager = makeManager();
        const session = await manager.spawn(temp.dir, 'exit 0', { pty });
        const final = await manager.waitForEnd(session.id);
        expect(final).toMatchObject({ status: 'completed', exitCode: 0, failureReason: null });
      });
    }
  });

  describe('terminate', () => {
    it('ends a running process with SIGTERM', async () => {
      const manager = makeManager();
      const events = recordEvents(manager);
      const session = await manager.spawn(temp.dir, 'sleep 30');
      const final = await manager.terminate(session.id);
      expect(final).toMatchObject({
        status: 'failed',
        signal: 'SIGTERM',
        failureReason: 'terminated on request',
      });
      expect(final.endedAt).not.toBeNull();
      expect(events.at(-1)).toMatchObject({ type: 'session:failed', reason: 'terminated on request' });
      expect(isProcessRunning(session.pid as number)).toBe(false);
      expect(manager.activeCount).toBe(0);
    });

    it('sends SIGKILL after terminateGraceMs to a process that ignores SIGTERM', async () => {
      const manager = makeManager();
      const session = await manager.spawn(temp.dir, "trap '' TERM; echo ready; sleep 30");
      await pollUntil(() => outputOf(manager, session.id).includes('ready'));

      const started = Date.now();
      const final = await manager.terminate(session.id);
      expect(Date.now() - started).toBeGreaterThanOrEqual(TERMINATE_GRACE_MS - 5);
      expect(final).toMatchObject({ status: 'failed', signal: 'SIGKILL' });
      expect(final.failureReason).toContain('terminated on request');
      expect(final.failureReason).toContain(`${TERMINATE_GRACE_MS} ms`);
      expect(final.failureReason).toContain('SIGKILL');
    });

    it('kills the whole process group', async () => {
      const manager = makeManager();
      const session = await manager.spawn(temp.dir, 'sleep 30 & echo $!; wait');
      const grandchild = await firstNumberPrinted(manager, session.id);
      strayPids.push(grandchild);
      expect(isProcessRunning(grandchild)).toBe(true);

      await manager.terminate(session.id);
      await pollUntil(() => !isProcessRunning(grandchild), 5_000);
      expect(isProcessRunning(session.pid as number)).toBe(false);
    });

    it('kills the process group of a PTY session', async () => {
      const manager = makeManager();
      const session = await manager.spawn(temp.dir, 'sleep 30 & echo $!; wait', { pty: true });
      const grandchild = await firstNumberPrinted(manager, session.id);
      strayPids.push(grandchild);

      const final = await manager.terminate(session.id);
      expect(final.status).toBe('failed');
      await pollUntil(() => !isProcessRunning(grandchild), 5_000);
    });

    it('returns an ended session unchanged', async () => {
      const manager = makeManager();
      const session = await manager.spawn(temp.dir, 'exit 0');
      const final = await manager.waitForEnd(session.id);
      expect(await manager.terminate(session.id)).toEqual(final);
    });

    it('ends every live session with terminateAll', async () => {
      const manager = makeManager();
      const sessions = await Promise.all([
        manager.spawn(temp.dir, 'sleep 30'),
        manager.spawn(temp.dir, 'sleep 30', { pty: true }),
      ]);
      await manager.terminateAll();
      for (const session of sessions) {
        expect(manager.getSession(session.id)).toMatchObject({
          status: 'failed',
          failureReason: 'terminated on request',
        });
      }
      expect(manager.activeCount).toBe(0);
    });
  });

  describe('input', () => {
    it('writes input exactly as given to a pipe session', async () => {
      const manager = makeManager();
      const session = await manager.spawn(temp.dir, 'cat');
      manager.sendInput(session.id, 'abc');
      await pollUntil(() => outputOf(manager, session.id) === 'abc');
      manager.sendInput(session.id, new Uint8Array([0x64, 0x65, 0x66, 0x0a]));
      await pollUntil(() => outputOf(manager, session.id) === 'abcdef\n');
      expect(outputOf(manager, session.id)).toBe('abcdef\n');
    });

    it('writes input to a PTY session, which echoes it', async () => {
      const manager = makeManager();
      const session = await manager.spawn(temp.dir, 'cat', { pty: true });
      manager.sendInput(session.id, 'hello\n');
      await pollUntil(() => outputOf(manager, session.id) === 'hello\r\nhello\r\n');
      manager.sendInput(session.id, '\x04');
      const final = await manager.waitForEnd(session.id);
      expect(final.status).toBe('completed');
    });

    it('refuses input to an ended session with SESSION_ENDED', async () => {
      const manager = makeManager();
      const session = await manager.spawn(temp.dir, 'true');
      await manager.waitForEnd(session.id);
      const error = thrownBy(() => manager.sendInput(session.id, 'late\n'));
      expect(error).toBeInstanceOf(SessionError);
      expect(error).toMatchObject({ code: 'SESSION_ENDED' });
      expect((error as Error).message).toContain(session.id);
    });

    it('refuses input once termination has begun', async () => {
      const manager = makeManager();
      const session = await manager.spawn(temp.dir, 'sleep 30');
      const ending = manager.terminate(session.id);
      expect(thrownBy(() => manager.sendInput(session.id, 'x'))).toMatchObject({ code: 'SESSION_ENDED' });
      await ending;
    });

    it('reports an unknown session with SESSION_NOT_FOUND', async () => {
      const manager = makeManager();
      for (const call of [() => manager.sendInput('nope', 'x'), () => manager.resize('nope', 80, 24)]) {
        expect(thrownBy(call)).toMatchObject({ name: 'SessionError', code: 'SESSION_NOT_FOUND' });
      }
      await expect(manager.terminate('nope')).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
      await expect(manager.waitForEnd('nope')).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
      expect(manager.getSession('nope')).toBeUndefined();
      expect(manager.getOutput('nope')).toBeUndefined();
    });
  });

  describe('validation', () => {
    async function expectRefused(
      manager: SessionManager,
      spawn: () => Promise<unknown>,
      code: string,
      message?: RegExp,
    ): Promise<void> {
      const error = await spawn().then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(SessionError);
      expect(error).toMatchObject({ code });
      if (message !== undefined) expect((error as Error).message).toMatch(message);
      expect(manager.activeCount).toBe(0);
      expect(manager.listSessions()).toEqual([]);
    }

    it('refuses a missing working directory', async () => {
      const manager = makeManager();
      const missing = join(temp.dir, 'missing');
      await expectRefused(manager, () => manager.spawn(missing, 'true'), 'WORKING_DIR_NOT_FOUND');
      await expectRefused(
        manager,
        () => manager.spawn(missing, 'true'),
        'WORKING_DIR_NOT_FOUND',
        new RegExp(missing),
      );
    });

    it('refuses a file as the working directory', async () => {
      const manager = makeManager();
      const file = join(temp.dir, 'file.txt');
      writeFileSync(file, 'x');
      await expectRefused(
        manager,
        () => manager.spawn(file, 'true'),
        'WORKING_DIR_NOT_DIRECTORY',
        /not a directory/,
      );
    });

    it('refuses an empty working directory', async () => {
      const manager = makeManager();
      await expectRefused(manager, () => manager.spawn('', 'true'), 'INVALID_ARGUMENT');
    });

    it('refuses an empty, blank or NUL-containing command', async () => {
      const manager = makeManager();
      for (const command of ['', '   ', '\t\n', 'echo a\0b']) {
        await expectRefused(manager, () => manager.spawn(temp.dir, command), 'INVALID_ARGUMENT');
      }
      await expectRefused(
        manager,
        () => manager.spawn(temp.dir, undefined as unknown as string),
        'INVALID_ARGUMENT',
        /non-empty shell command line, got undefined/,
      );
    });

    it('refuses bad terminal dimensions', async () => {
      const manager = makeManager();
      for (const cols of [0, -1, 1.5, 10_001, Number.NaN, '80' as unknown as number]) {
        await expectRefused(
          manager,
          () => manager.spawn(temp.dir, 'true', { pty: true, cols }),
          'INVALID_ARGUMENT',
          /`cols` option/,
        );
      }
      await expectRefused(
        manager,
        () => manager.spawn(temp.dir, 'true', { pty: true, rows: 0 }),
        'INVALID_ARGUMENT',
        /`rows` option/,
      );
    });

    it('refuses non-string environment values', async () => {
      const manager = makeManager();
      await expectRefused(
        manager,
        () => manager.spawn(temp.dir, 'true', { env: { COUNT: 1 as unknown as string } }),
        'INVALID_ARGUMENT',
        /env\.COUNT/,
      );
    });

    it('refuses a bad maxSessions option', () => {
      for (const maxSessions of [0, -1, 1.5]) {
        expect(thrownBy(() => new SessionManager({ maxSessions }))).toMatchObject({
          code: 'INVALID_ARGUMENT',
        });
      }
    });

    it('still spawns after refusing bad input', async () => {
      const manager = makeManager({ maxSessions: 1 });
      await expectRefused(manager, () => manager.spawn(temp.dir, ' '), 'INVALID_ARGUMENT');
      const session = await manager.spawn(temp.dir, 'true');
      expect(session.slot).toBe(1);
    });
  });

  describe('session limit', () => {
    it('refuses a spawn past maxSessions and reuses a slot once a session ends', async () => {
      const manager = makeManager({ maxSessions: 2 });
      const first = await manager.spawn(temp.dir, 'sleep 30');
      const second = await manager.spawn(temp.dir, 'sleep 30');
      expect([first.slot, second.slot]).toEqual([1, 2]);

      const error = await manager.spawn(temp.dir, 'sleep 30').catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(SessionError);
      expect(error).toMatchObject({ code: 'SESSION_LIMIT' });
      const message = (error as Error).message;
      expect(message).toMatch(/All 2 session slots are in use/);
      expect(message).toContain(first.id.slice(0, 8));
      expect(message).toContain(second.id.slice(0, 8));
      expect(message).toMatch(/maxSessions/);
      expect(manager.activeCount).toBe(2);
      expect(manager.listSessions()).toHaveLength(2);

      await manager.terminate(first.id);
      expect(manager.activeCount).toBe(1);
      const third = await manager.spawn(temp.dir, 'sleep 30');
      expect(third.slot).toBe(1);
      expect(third.status).toBe('running');
      expect(manager.activeCount).toBe(2);
    });

    it('frees the slot of a session that exits by itself', async () => {
      const manager = makeManager({ maxSessions: 1 });
      const first = await manager.spawn(temp.dir, 'exit 1');
      await manager.waitForEnd(first.id);
      const second = await manager.spawn(temp.dir, 'true');
      expect(second.slot).toBe(1);
    });
  });

  describe('environment', () => {
    it('passes env to the command on top of the inherited environment', async () => {
      const manager = makeManager();
      const session = await manager.spawn(temp.dir, 'printf "%s|%s" "$GSD_TEST_VALUE" "${PATH:+set}"', {
        env: { GSD_TEST_VALUE: 'a b=c' },
      });
      await manager.waitForEnd(session.id);
      expect(outputOf(manager, session.id)).toBe('a b=c|set');
    });

    it('runs in the working directory', async () => {
      const manager = makeManager();
      const session = await manager.spawn(temp.dir, 'pwd -P');
      await manager.waitForEnd(session.id);
      expect(outputOf(manager, session.id)).toBe(`${realpathSync(temp.dir)}\n`);
    });

    it('resolves a relative working directory', async () => {
      const manager = makeManager();
      const relative = join(temp.dir, '.', 'sub', '..');
      const session = await manager.spawn(relative, 'true');
      expect(session.workingDir).toBe(temp.dir);
    });

    it('runs pipe sessions without a terminal and PTY sessions on one', async () => {
      const manager = makeManager();
      const command = 'if [ -t 0 ] && [ -t 1 ]; then echo tty; else echo no-tty; fi';
      const pipe = await manager.spawn(temp.dir, command);
      const pty = await manager.spawn(temp.dir, command, { pty: true });
      await Promise.all([manager.waitForEnd(pipe.id), manager.waitForEnd(pty.id)]);
      expect(outputOf(manager, pipe.id)).toBe('no-tty\n');
      expect(outputOf(manager, pty.id)).toBe('tty\r\n');
      expect(pty.mode).toBe('pty');
    });

    it('opens the PTY with the requested size', async () => {
      const manager = makeManager();
      const sized = await manager.spawn(temp.dir, 'stty size', { pty: true, cols: 77, rows: 21 });
      const defaults = await manager.spawn(temp.dir, 'stty size', { pty: true });
      await Promise.all([manager.waitForEnd(sized.id), manager.waitForEnd(defaults.id)]);
      expect(outputOf(manager, sized.id)).toBe('21 77\r\n');
      expect(outputOf(manager, defaults.id)).toBe(`${DEFAULT_ROWS} ${DEFAULT_COLS}\r\n`);
    });

    it('resizes a PTY session', async () => {
      const manager = makeManager();
      const session = await manager.spawn(temp.dir, 'read line; stty size', {
        pty: true,
        cols: 40,
        rows: 10,
      });
      manager.resize(session.id, 90, 30);
      manager.sendInput(session.id, '\n');
      await manager.waitForEnd(session.id);
      expect(outputOf(manager, session.id)).toBe('\r\n30 90\r\n');
      expect(thrownBy(() => manager.resize(session.id, 0, 30))).toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    });
  });

  describe('forget', () => {
    it('drops ended sessions only', async () => {
      const manager = makeManager();
      const ended = await manager.spawn(temp.dir, 'true');
      const live = await manager.spawn(temp.dir, 'sleep 30');
      await manager.waitForEnd(ended.id);
      manager.forget(ended.id);
      manager.forget(live.id);
      expect(manager.getSession(ended.id)).toBeUndefined();
      expect(manager.getSession(live.id)?.status).toBe('running');
    });
  });
});
