import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quoteShellWord } from '@gsd/core';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../session-manager/test/helpers/temp.js';
import { startTestServer, waitForEnded, type SessionView, type TestServer } from './helpers/server.js';

const RECORD_ARGS = fileURLToPath(
  new URL('../../session-manager/test/fixtures/record-args.mjs', import.meta.url),
);

interface ErrorBody {
  error: string;
  message: string;
}

describe('REST API POST /api/sessions/:id/resume', () => {
  let test: TestServer | undefined;
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    await test?.close();
    test = undefined;
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  /** A server whose agent CLI records its arguments (and, with `wait`, stays live until it reads a line). */
  async function start(
    options: { wait?: boolean } = {},
  ): Promise<{ test: TestServer; recordedArgs(): string[][] }> {
    const temp = makeTempDir('gsd-resume-api-');
    cleanups.push(temp.remove);
    const file = join(temp.dir, 'args.jsonl');
    const agentCommand =
      `RECORD_ARGS_FILE=${quoteShellWord(file)}${options.wait === true ? ' RECORD_ARGS_WAIT=1' : ''} ` +
      `${quoteShellWord(process.execPath)} ${quoteShellWord(RECORD_ARGS)}`;
    test = await startTestServer({ agentCommand });
    return {
      test,
      recordedArgs: () =>
        readFileSync(file, 'utf8')
          .trimEnd()
          .split('\n')
          .map((line) => (JSON.parse(line) as { argv: string[] }).argv),
    };
  }

  function post<T>(server: TestServer, path: string, body: unknown) {
    return server.json<T & ErrorBody>(path, { method: 'POST', body: JSON.stringify(body) });
  }

  it('starts the resumed conversation in the same directory: 201 with the new session, linked', async () => {
    const { test, recordedArgs } = await start();
    const first = await post<SessionView>(test, '/api/sessions', { workingDir: test.dir, prompt: 'plan' });
    expect(first.status).toBe(201);
    expect(first.body.agentSessionId).toMatch(/^[0-9a-f-]{36}$/);
    await waitForEnded(test, first.body.id);

    const resumed = await post<SessionView>(test, `/api/sessions/${first.body.id}/resume`, {
      prompt: 'and now build it',
    });
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(201);
    expect(resumed.body).toMatchObject({
      workingDir: test.dir,
      mode: 'pty',
      agentSessionId: first.body.agentSessionId,
      resumedFrom: first.body.id,
      durable: false,
    });
    await waitForEnded(test, resumed.body.id);
    // Without a prompt the body may be left out.
    const again = await test.json<SessionView>(`/api/sessions/${resumed.body.id}/resume`, { method: 'POST' });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    await waitForEnded(test, again.body.id);

    expect(recordedArgs()).toEqual([
      ['--session-id', first.body.agentSessionId, 'plan'],
      ['--resume', first.body.agentSessionId, 'and now build it'],
      ['--resume', first.body.agentSessionId],
    ]);
    const listed = await test.json<{ sessions: SessionView[] }>('/api/sessions');
    expect(listed.body.sessions.map((s) => s.resumedFrom)).toEqual([resumed.body.id, first.body.id, null]);
  });

  it('maps refusals to 404, 409 and 400 with a readable message', async () => {
    const { test } = await start();
    const unknown = await post(test, '/api/sessions/nope/resume', {});
    expect(unknown).toMatchObject({
      status: 404,
      body: { error: 'SESSION_NOT_FOUND', message: 'No session with id "nope"' },
    });

    const shell = await post<SessionView>(test, '/api/sessions', { workingDir: test.dir, command: 'true' });
    await waitForEnded(test, shell.body.id);
    const notAgent = await post(test, `/api/sessions/${shell.body.id}/resume`, {});
    expect(notAgent.status).toBe(409);
    expect(notAgent.body).toMatchObject({
      error: 'NOT_RESUMABLE',
      message: expect.stringMatching(/not started from a prompt; only agent sessions can be resumed/),
    });

    const bad = await post(test, `/api/sessions/${shell.body.id}/resume`, { prompt: { text: 'x' } });
    expect(bad.status).toBe(400);
    const extra = await post(test, `/api/sessions/${shell.body.id}/resume`, { command: 'rm -rf /' });
    expect(extra.status).toBe(400);
  });

  it('refuses to resume a session that is still running', async () => {
    const { test } = await start({ wait: true });
    const { body: live } = await post<SessionView>(test, '/api/sessions', {
      workingDir: test.dir,
      prompt: 'x',
    });
    const refused = await post(test, `/api/sessions/${live.id}/resume`, {});
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: 'SESSION_LIVE',
      message: expect.stringMatching(/still running .*; end it first/),
    });
  });

  it('the start route accepts durable and rejects a durable that is not a boolean', async () => {
    const { test } = await start();
    const accepted = await post(test, '/api/sessions', {
      workingDir: test.dir,
      command: 'true',
      durable: false,
    });
    expect(accepted.status).toBe(201);
    const refused = await post(test, '/api/sessions', {
      workingDir: test.dir,
      command: 'true',
      durable: 'yes',
    });
    expect(refused.status).toBe(400);
  });
});
