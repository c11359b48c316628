import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endDurableSessions } from '../../session-manager/test/helpers/hosts.js';
import { makeTempDir, pollUntil } from '../../session-manager/test/helpers/temp.js';
import { CLI, collect } from './cli-runner.js';

const FAKE_AGENT = fileURLToPath(
  new URL('../../session-manager/test/fixtures/fake-gsd-agent.mjs', import.meta.url),
);

describe('gsd-harness respond and ls with a waiting session', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess | undefined;

  beforeEach(() => {
    temp = makeTempDir('gsd-respond-');
    env = {
      ...process.env,
      GSD_HARNESS_HOME: join(temp.dir, 'home'),
      GSD_HARNESS_DB: join(temp.dir, 'home', 'sessions.db'),
      GSD_AGENT_COMMAND: `'${process.execPath}' '${FAKE_AGENT}'`,
      GSD_CHECKPOINT_QUIET_MS: '250',
    };
  });
  afterEach(async () => {
    if (server !== undefined && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    await endDurableSessions(env.GSD_HARNESS_DB as string);
    temp.remove();
  });

  function cli(args: string[]) {
    return collect(spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  it('shows the checkpoint type in ls and answers it from the command line', async () => {
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
    const started = await fetch(new URL('/api/sessions', base), {
      method: 'POST',
      headers,
      body: JSON.stringify({ workingDir: temp.dir, prompt: 'decision' }),
    });
    const session = (await started.json()) as { id: string };

    const busy = (await (
      await fetch(new URL('/api/sessions', base), {
        method: 'POST',
        headers,
        body: JSON.stringify({ workingDir: temp.dir, command: 'sleep 30' }),
      })
    ).json()) as { id: string };
    const refused = await cli(['respond', busy.id.slice(0, 8), 'clerk']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not waiting at a checkpoint/);

    await pollUntil(async () => {
      const reply = await fetch(new URL(`/api/sessions/${session.id}`, base), { headers });
      return ((await reply.json()) as { status: string }).status === 'waiting_checkpoint';
    });
    const listed = await cli(['ls']);
    expect(listed.stdout).toMatch(new RegExp(`${session.id.slice(0, 8)}\\s+waiting \\(decision\\)`));

    const answered = await cli(['respond', session.id.slice(0, 8), 'clerk']);
    expect(answered.code).toBe(0);
    expect(answered.stdout).toMatch(/Answered the decision checkpoint of session [0-9a-f]{8}: "clerk"/);

    await pollUntil(async () => {
      const reply = await fetch(new URL(`/api/sessions/${session.id}`, base), { headers });
      return ((await reply.json()) as { status: string }).status === 'completed';
    });
    const checkpoint = await fetch(new URL(`/api/sessions/${session.id}/checkpoint`, base), { headers });
    expect(await checkpoint.json()).toMatchObject({
      waiting: false,
      checkpoint: { type: 'decision', response: 'clerk', responder: 'cli' },
    });
  });

  it('explains that answering needs the harness server', async () => {
    const result = await cli(['respond', 'abc', 'approved']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No harness server is running/);
  });
});
