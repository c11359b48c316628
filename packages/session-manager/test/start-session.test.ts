import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quoteShellWord, type Session } from '@gsd/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DatabaseConnection,
  PersistentSessionManager,
  SessionError,
  SessionStore,
  resumeSession,
  startSession,
  type SpawnOptions,
} from '../src/index.js';
import { makeTempDir, pollUntil } from './helpers/temp.js';

const RECORD_ARGS = fileURLToPath(new URL('./fixtures/record-args.mjs', import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Recorded {
  argv: string[];
  cwd: string;
}

describe('agent sessions: --session-id on start, --resume on resume', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let manager: PersistentSessionManager;
  let argsFile: string;
  /** A project directory other than the test's own working directory. */
  let project: string;

  beforeEach(() => {
    temp = makeTempDir('gsd-resume-');
    manager = new PersistentSessionManager({ dbPath: temp.dbPath, terminateGraceMs: 300 });
    argsFile = join(temp.dir, 'args.jsonl');
    project = join(temp.dir, 'project');
    mkdirSync(project);
  });
  afterEach(async () => {
    await manager.close();
    temp.remove();
  });

  /** The agent command line: record-args.mjs, told where to record (and whether to wait for a line). */
  function agent(options: { wait?: boolean } = {}): string {
    const env = `RECORD_ARGS_FILE=${quoteShellWord(argsFile)}${options.wait === true ? ' RECORD_ARGS_WAIT=1' : ''}`;
    return `${env} ${quoteShellWord(process.execPath)} ${quoteShellWord(RECORD_ARGS)}`;
  }

  function recorded(): Recorded[] {
    if (!existsSync(argsFile)) return [];
    return readFileSync(argsFile, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Recorded);
  }

  function stored(id: string): Session | undefined {
    const connection = new DatabaseConnection(temp.dbPath);
    try {
      return new SessionStore(connection).get(id);
    } finally {
      connection.close();
    }
  }

  async function promptSession(prompt: string, options: { wait?: boolean } = {}): Promise<Session> {
    const session = await startSession(manager, agent(options), { workingDir: project, prompt });
    if (options.wait !== true) await manager.waitForEnd(session.id);
    return session;
  }

  it('a prompt session gets --session-id <uuid>, the same id that is stored as agentSessionId', async () => {
    const prompt = "/gsd:execute-plan .planning/phases/02-x/02-03-PLAN.md (it's $HOME)";
    const session = await promptSession(prompt);
    expect(session.agentSessionId).toMatch(UUID);
    expect(session).toMatchObject({ mode: 'pty', resumedFrom: null, durable: false });
    expect(recorded()).toEqual([{ argv: ['--session-id', session.agentSessionId, prompt], cwd: project }]);
    expect(stored(session.id)).toMatchObject({
      status: 'completed',
      agentSessionId: session.agentSessionId,
      resumedFrom: null,
    });
  });

  it('each prompt session gets its own conversation id', async () => {
    const first = await promptSession('one');
    const second = await promptSession('two');
    expect(first.agentSessionId).not.toBe(second.agentSessionId);
  });

  it('resuming runs --resume <that uuid> and the prompt, in the same directory, linked to the old session', async () => {
    const first = await promptSession('/gsd:plan-phase 3');
    const resumed = await resumeSession(manager, agent(), {
      sessionId: first.id,
      prompt: "go on, it's fine",
    });
    const ended = await manager.waitForEnd(resumed.id);
    expect(ended).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(resumed).toMatchObject({
      workingDir: project,
      mode: 'pty',
      agentSessionId: first.agentSessionId,
      resumedFrom: first.id,
    });
    expect(recorded()[1]).toEqual({
      argv: ['--resume', first.agentSessionId, "go on, it's fine"],
      cwd: project,
    });
    expect(stored(resumed.id)).toMatchObject({
      agentSessionId: first.agentSessionId,
      resumedFrom: first.id,
      workingDir: project,
    });
  });

  it('without a prompt only --resume <uuid> is passed, and a resumed session can be resumed again', async () => {
    const first = await promptSession('start');
    const second = await resumeSession(manager, agent(), { sessionId: first.id });
    await manager.waitForEnd(second.id);
    const third = await resumeSession(manager, agent(), { sessionId: second.id, prompt: '  ' });
    await manager.waitForEnd(third.id);
    const calls = recorded();
    expect(calls[1]?.argv).toEqual(['--resume', first.agentSessionId]);
    expect(calls[2]?.argv).toEqual(['--resume', first.agentSessionId]);
    expect(third).toMatchObject({ agentSessionId: first.agentSessionId, resumedFrom: second.id });
  });

  describe('refusals say what was expected and start nothing', () => {
    function refusal(request: Parameters<typeof resumeSession>[2]): SessionError {
      try {
        void resumeSession(manager, agent(), request);
      } catch (error) {
        expect(error).toBeInstanceOf(SessionError);
        return error as SessionError;
      }
      throw new Error('expected resumeSession to throw');
    }

    it('an unknown session', () => {
      expect(refusal({ sessionId: 'nope' })).toMatchObject({
        code: 'SESSION_NOT_FOUND',
        message: 'No session with id "nope"',
      });
    });

    it('a session that ran a shell command, not the agent', async () => {
      const shell = await manager.spawn(project, 'true');
      await manager.waitForEnd(shell.id);
      expect(refusal({ sessionId: shell.id })).toMatchObject({
        code: 'NOT_RESUMABLE',
        message: `Session ${shell.id} was not started from a prompt; only agent sessions can be resumed`,
      });
    });

    it('a session still running, and a conversation already resumed in a live session', async () => {
      const live = await promptSession('hold on', { wait: true });
      await pollUntil(() => recorded().length === 1);
      expect(refusal({ sessionId: live.id })).toMatchObject({
        code: 'SESSION_LIVE',
        message: expect.stringMatching(/is still running \(running\); end it first/),
      });
      manager.sendInput(live.id, '\r');
      await manager.waitForEnd(live.id);

      const holder = await resumeSession(manager, agent({ wait: true }), { sessionId: live.id });
      await pollUntil(() => recorded().length === 2);
      expect(refusal({ sessionId: live.id })).toMatchObject({
        code: 'SESSION_LIVE',
        message: expect.stringContaining(`already resumed in session ${holder.id}, which is still running`),
      });
      expect(manager.listSessions().map((s) => s.id)).toHaveLength(2);
      await manager.terminate(holder.id);
      expect(recorded()).toHaveLength(2);
    });
  });
});

describe('startSession options', () => {
  function recordingSpawner(): { calls: [string, string, SpawnOptions | undefined][] } & {
    spawn(workingDir: string, command: string, options?: SpawnOptions): Promise<Session>;
  } {
    const calls: [string, string, SpawnOptions | undefined][] = [];
    return {
      calls,
      spawn(workingDir, command, options) {
        calls.push([workingDir, command, options]);
        return Promise.resolve({} as Session);
      },
    };
  }

  it('passes durable through only when it is given', async () => {
    const spawner = recordingSpawner();
    await startSession(spawner, 'agent', { workingDir: '/w', command: 'make' });
    await startSession(spawner, 'agent', { workingDir: '/w', command: 'make', durable: true });
    await startSession(spawner, 'agent', { workingDir: '/w', prompt: 'hi', durable: false });
    expect(spawner.calls.map(([, , options]) => options)).toEqual([
      { pty: false },
      { pty: false, durable: true },
      { pty: true, agentSessionId: expect.stringMatching(UUID), durable: false },
    ]);
    expect(spawner.calls[2]?.[1]).toBe(`agent --session-id ${spawner.calls[2]?.[2]?.agentSessionId} hi`);
  });
});
