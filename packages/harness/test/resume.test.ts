import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { quoteShellWord, type Session } from '@gsd/core';
import { PersistentSessionManager, startSession } from '@gsd/session-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endDurableSessions } from '../../session-manager/test/helpers/hosts.js';
import { makeTempDir, pollUntil } from '../../session-manager/test/helpers/temp.js';
import { CLI, collect } from './cli-runner.js';

const RECORD_ARGS = fileURLToPath(
  new URL('../../session-manager/test/fixtures/record-args.mjs', import.meta.url),
);

interface SessionJson {
  id: string;
  status: string;
  workingDir: string;
  endedAt: string | null;
  agentSessionId: string | null;
  resumedFrom: string | null;
}

describe('gsd-harness resume', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let env: NodeJS.ProcessEnv;
  let argsFile: string;
  let project: string;
  let server: ChildProcess | undefined;

  beforeEach(() => {
    temp = makeTempDir('gsd-resume-cli-');
    argsFile = join(temp.dir, 'args.jsonl');
    project = join(temp.dir, 'project');
    mkdirSync(project);
    env = {
      ...process.env,
      GSD_HARNESS_HOME: join(temp.dir, 'home'),
      GSD_HARNESS_DB: join(temp.dir, 'home', 'sessions.db'),
      GSD_AGENT_COMMAND: `${quoteShellWord(process.execPath)} ${quoteShellWord(RECORD_ARGS)}`,
      RECORD_ARGS_FILE: argsFile,
    };
  });
  afterEach(async () => {
    if (server !== undefined && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    server = undefined;
    await endDurableSessions(env.GSD_HARNESS_DB as string);
    temp.remove();
  });

  function cli(args: string[]) {
    return collect(
      spawn(process.execPath, [CLI, ...args], { env, cwd: temp.dir, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
  }

  function recordedArgs(): string[][] {
    return readFileSync(argsFile, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { argv: string[] }).argv);
  }

  /** An ended prompt session in the database, started by a manager of this test's own. */
  async function endedPromptSession(prompt: string): Promise<Session> {
    const manager = new PersistentSessionManager({ dbPath: env.GSD_HARNESS_DB });
    try {
      const agent = `RECORD_ARGS_FILE=${quoteShellWord(argsFile)} ${env.GSD_AGENT_COMMAND as string}`;
      const started = await startSession(manager, agent, { workingDir: project, prompt });
      return await manager.waitForEnd(started.id);
    } finally {
      await manager.close();
    }
  }

  async function listed(): Promise<SessionJson[]> {
    return JSON.parse((await cli(['ls', '--json'])).stdout) as SessionJson[];
  }

  it('without a server, runs the resumed conversation here and exits with its status', async () => {
    const first = await endedPromptSession('/gsd:plan-phase 2');
    const result = await cli(['resume', first.id.slice(0, 8), 'go', 'on']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`record-args: --resume ${first.agentSessionId} go on`);
    expect(result.stderr).toMatch(/session [0-9a-f]{8} completed \(exit 0\)/);
    expect(recordedArgs()).toEqual([
      ['--session-id', first.agentSessionId, '/gsd:plan-phase 2'],
      ['--resume', first.agentSessionId, 'go on'],
    ]);

    const [resumed] = await listed();
    expect(resumed).toMatchObject({
      status: 'completed',
      workingDir: project,
      agentSessionId: first.agentSessionId,
      resumedFrom: first.id,
    });
    const table = await cli(['ls']);
    expect(table.stdout).toMatch(
      new RegExp(`^${resumed?.id.slice(0, 8)}\\s+completed .*\\(resumes ${first.id.slice(0, 8)}\\)`, 'm'),
    );
  });

  it('refuses sessions it cannot resume, saying why', async () => {
    const unknown = await cli(['resume', 'ffffffff']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No session matches "ffffffff"/);

    await cli(['run', '--', 'true']);
    const [shell] = await listed();
    const notAgent = await cli(['resume', shell?.id.slice(0, 8) as string]);
    expect(notAgent.code).toBe(1);
    expect(notAgent.stderr).toMatch(/was not started from a prompt; only agent sessions can be resumed/);
  });

  it('with a server running, the server runs it; --foreground runs it here anyway', async () => {
    server = spawn(process.execPath, [CLI, 'start', '--port', '0'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let base: URL | undefined;
    let token = '';
    for await (const line of createInterface({ input: server.stdout as NodeJS.ReadableStream })) {
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)/.exec(line);
      if (match !== null) {
        base = new URL(match[1] as string);
        token = match[2] as string;
        break;
      }
    }
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const get = async (id: string): Promise<SessionJson> =>
      (await (await fetch(new URL(`/api/sessions/${id}`, base), { headers })).json()) as SessionJson;
    const started = await fetch(new URL('/api/sessions', base), {
      method: 'POST',
      headers,
      body: JSON.stringify({ workingDir: project, prompt: 'first' }),
    });
    const first = (await started.json()) as SessionJson;
    await pollUntil(async () => (await get(first.id)).endedAt !== null);

    const result = await cli(['resume', first.id.slice(0, 8), 'second']);
    expect(result.code, result.stderr).toBe(0);
    const match = /Resumed session [0-9a-f]{8} as session ([0-9a-f-]{36}) on the harness server/.exec(
      result.stdout,
    );
    expect(match, result.stdout).not.toBeNull();
    expect(result.stdout).toMatch(/gsd-harness logs [0-9a-f]{8} --follow/);
    const resumedId = match?.[1] as string;
    const resumed = await pollUntil(async () => {
      const session = await get(resumedId);
      return session.endedAt === null ? undefined : session;
    });
    expect(resumed).toMatchObject({
      status: 'completed',
      workingDir: project,
      agentSessionId: first.agentSessionId,
      resumedFrom: first.id,
    });

    const here = await cli(['resume', '--foreground', resumedId.slice(0, 8)]);
    expect(here.code, here.stderr).toBe(0);
    expect(here.stdout).toContain(`record-args: --resume ${first.agentSessionId}`);
    expect(recordedArgs()).toEqual([
      ['--session-id', first.agentSessionId, 'first'],
      ['--resume', first.agentSessionId, 'second'],
      ['--resume', first.agentSessionId],
    ]);
  });

  it('has --help with an example', async () => {
    const help = await cli(['resume', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: gsd-harness resume \[options\] <id> \[prompt\.\.\.\]/);
    expect(help.stdout).toMatch(/gsd-harness resume 1a2b3c4d/);
  });
});
