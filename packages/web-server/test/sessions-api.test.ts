import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_WINDOW_BYTES } from '@gsd/session-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, waitForEnded, type SessionView, type TestServer } from './helpers/server.js';

const FAKE_AGENT = fileURLToPath(new URL('./fixtures/fake-agent.sh', import.meta.url));

interface OutputWindow {
  format: string;
  data: string;
  fromOffset: number;
  nextOffset: number;
  totalBytes: number;
}

interface ErrorBody {
  error: string;
  message: string;
}

interface SessionList {
  sessions: SessionView[];
  slots: { max: number; used: number; free: number };
}

describe('REST API /api/sessions', () => {
  const servers: TestServer[] = [];

  async function start(options?: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
    const server = await startTestServer(options);
    servers.push(server);
    return server;
  }

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  function post(test: TestServer, body: unknown) {
    return test.json<SessionView & ErrorBody>('/api/sessions', {
      method: 'POST',
      body: JSON.stringify(body),
    });
  }

  function output(test: TestServer, id: string, query: Record<string, string | number> = {}) {
    const search = new URLSearchParams(
      Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
    );
    return test.json<OutputWindow & ErrorBody>(`/api/sessions/${id}/output?${search}`);
  }

  async function startSession(test: TestServer, body: Record<string, unknown>): Promise<SessionView> {
    const { status, body: session } = await post(test, { workingDir: test.dir, ...body });
    expect(status, JSON.stringify(session)).toBe(201);
    return session;
  }

  describe('happy paths', () => {
    it('POST starts a session and answers 201 with it', async () => {
      const test = await start();
      const { status, body } = await post(test, { workingDir: test.dir, command: 'sleep 30' });
      expect(status).toBe(201);
      expect(body).toMatchObject({
        slot: 1,
        status: 'running',
        workingDir: test.dir,
        command: 'sleep 30',
        mode: 'pipe',
        exitCode: null,
        endedAt: null,
      });
      expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.pid).toEqual(expect.any(Number));
      expect(test.manager.getSession(body.id)?.status).toBe('running');
    });

    it('GET lists sessions with slots, and GET /:id returns one', async () => {
      const test = await start();
      const sleeper = await startSession(test, { command: 'sleep 30' });
      const quick = await startSession(test, { command: 'echo quick' });
      await waitForEnded(test, quick.id);

      const list = await test.json<SessionList>('/api/sessions');
      expect(list.status).toBe(200);
      expect(list.body.slots).toEqual({ max: 3, used: 1, free: 2 });
      expect(list.body.sessions.map((s) => s.id).sort()).toEqual([sleeper.id, quick.id].sort());

      const running = await test.json<SessionList>('/api/sessions?status=running');
      expect(running.body.sessions.map((s) => s.id)).toEqual([sleeper.id]);
      const completed = await test.json<SessionList>('/api/sessions?status=completed&limit=1');
      expect(completed.body.sessions.map((s) => s.id)).toEqual([quick.id]);

      const one = await test.json<SessionView>(`/api/sessions/${quick.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({
        id: quick.id,
        status: 'completed',
        exitCode: 0,
        command: 'echo quick',
        outputBytes: 'quick\n'.length,
      });
      expect(one.body.endedAt).toEqual(expect.any(String));
    });

    it('pages output with fromOffset/maxBytes and nextOffset, reassembling it exactly', async () => {
      const test = await start();
      // Multi-byte characters, so that some page boundaries fall inside a character.
      const session = await startSession(test, { command: "seq 1 5000 | sed 's/$/ é€😀/'" });
      await waitForEnded(test, session.id);
      const expected = Array.from({ length: 5000 }, (_, i) => `${i + 1} é€😀\n`).join('');
      const totalBytes = Buffer.byteLength(expected);
      expect(test.manager.getOutput(session.id).toString()).toBe(expected);

      let offset = 0;
      let pages = 0;
      let assembled = '';
      while (offset < totalBytes) {
        const { status, body } = await output(test, session.id, { fromOffset: offset, maxBytes: 1001 });
        expect(status).toBe(200);
        expect(body.format).toBe('raw');
        expect(body.fromOffset).toBe(offset);
        expect(body.totalBytes).toBe(totalBytes);
        expect(body.nextOffset).toBeGreaterThan(offset);
        expect(body.nextOffset - offset).toBeLessThanOrEqual(1001);
        expect(Buffer.byteLength(body.data)).toBe(body.nextOffset - body.fromOffset);
        assembled += body.data;
        offset = body.nextOffset;
        pages++;
      }
      expect(offset).toBe(totalBytes);
      expect(pages).toBeGreaterThan(totalBytes / 1001 - 1);
      expect(assembled).toBe(expected);

      const past = await output(test, session.id, { fromOffset: totalBytes });
      expect(past.body).toMatchObject({ data: '', fromOffset: totalBytes, nextOffset: totalBytes });
    });

    it('tailBytes returns the end of the output', async () => {
      const test = await start();
      const session = await startSession(test, { command: "seq 1 5000 | sed 's/$/ é€😀/'" });
      await waitForEnded(test, session.id);
      const totalBytes = test.manager.getOutput(session.id).length;
      const lastLine = '5000 é€😀\n';
      const { status, body } = await output(test, session.id, { tailBytes: Buffer.byteLength(lastLine) });
      expect(status).toBe(200);
      expect(body).toEqual({
        format: 'raw',
        data: lastLine,
        fromOffset: totalBytes - Buffer.byteLength(lastLine),
        nextOffset: totalBytes,
        totalBytes,
      });
    });

    it('format=text strips ANSI escapes; raw keeps them', async () => {
      const test = await start();
      const session = await startSession(test, { command: "printf '\\033[31mred\\033[0m plain\\n'" });
      await waitForEnded(test, session.id);
      const raw = await output(test, session.id);
      expect(raw.body.data).toBe('\u001b[31mred\u001b[0m plain\n');
      const text = await output(test, session.id, { format: 'text' });
      expect(text.status).toBe(200);
      expect(text.body).toMatchObject({ format: 'text', data: 'red plain\n' });
    });

    it('format=screen shows what a terminal shows now', async () => {
      const test = await start();
      const session = await startSession(test, {
        command: "printf 'one\\ntwo\\n\\033[2J\\033[Hclean'",
        pty: true,
      });
      expect(session.mode).toBe('pty');
      await waitForEnded(test, session.id);
      const raw = await output(test, session.id);
      expect(raw.body.data).toContain('one');
      const screen = await output(test, session.id, { format: 'screen' });
      expect(screen.status).toBe(200);
      expect(screen.body).toMatchObject({ format: 'screen', data: 'clean' });
    });

    it('POST /:id/input with enter:true answers a prompt on a PTY', async () => {
      const test = await start();
      const session = await startSession(test, { command: 'read line; echo got:$line', pty: true });
      const sent = await test.json(`/api/sessions/${session.id}/input`, {
        method: 'POST',
        body: JSON.stringify({ input: 'hello', enter: true }),
      });
      expect(sent).toEqual({ status: 200, body: { sessionId: session.id, bytesWritten: 6 } });
      const ended = await waitForEnded(test, session.id);
      expect(ended).toMatchObject({ status: 'completed', exitCode: 0 });
      const text = await output(test, session.id, { format: 'text' });
      expect(text.body.data).toContain('got:hello');
    });

    it('POST /:id/input writes exactly the input to a pipe session', async () => {
      const test = await start();
      const session = await startSession(test, { command: 'read line; echo "got:[$line]"' });
      const sent = await test.json(`/api/sessions/${session.id}/input`, {
        method: 'POST',
        body: JSON.stringify({ input: 'a b\n' }),
      });
      expect(sent).toEqual({ status: 200, body: { sessionId: session.id, bytesWritten: 4 } });
      await waitForEnded(test, session.id);
      expect((await output(test, session.id)).body.data).toBe('got:[a b]\n');
    });

    it('DELETE /:id terminates a running session', async () => {
      const test = await start();
      const session = await startSession(test, { command: 'sleep 30' });
      const started = Date.now();
      const { status, body } = await test.json<SessionView>(`/api/sessions/${session.id}`, {
        method: 'DELETE',
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        id: session.id,
        status: 'failed',
        failureReason: 'terminated on request',
      });
      expect(body.endedAt).toEqual(expect.any(String));
      // Ended by SIGTERM, not by waiting out the sleep or the grace period.
      expect(Date.now() - started).toBeLessThan(4_000);
      const after = await test.json<SessionView>(`/api/sessions/${session.id}`);
      expect(after.body).toMatchObject({ status: 'failed', failureReason: 'terminated on request' });
      const list = await test.json<SessionList>('/api/sessions');
      expect(list.body.slots.used).toBe(0);
    });

    it('a prompt session runs the configured agent command in a PTY', async () => {
      const test = await start({ agentCommand: FAKE_AGENT });
      const prompt = "/gsd:execute-plan .planning/phases/02-x/02-03-PLAN.md it's $HOME";
      const session = await startSession(test, { prompt });
      expect(session.mode).toBe('pty');
      expect(session.command.startsWith(`${FAKE_AGENT} `)).toBe(true);
      const ended = await waitForEnded(test, session.id);
      expect(ended).toMatchObject({ status: 'completed', exitCode: 0 });
      const text = await output(test, session.id, { format: 'text' });
      expect(text.body.data.replace(/\r\n/g, '\n')).toBe(`agent got: ${prompt}\n`);
    });
  });

  describe('bad input', () => {
    async function expectNoSessions(test: TestServer): Promise<void> {
      const list = await test.json<SessionList>('/api/sessions');
      expect(list.body.sessions).toEqual([]);
      expect(list.body.slots.used).toBe(0);
    }

    it('unknown session id → 404 SESSION_NOT_FOUND on every route', async () => {
      const test = await start();
      const id = '00000000-0000-0000-0000-000000000000';
      const requests: Array<[string, RequestInit | undefined]> = [
        [`/api/sessions/${id}`, undefined],
        [`/api/sessions/${id}/output`, undefined],
        [`/api/sessions/${id}/output?format=screen`, undefined],
        [`/api/sessions/${id}/input`, { method: 'POST', body: JSON.stringify({ input: 'x' }) }],
        [`/api/sessions/${id}`, { method: 'DELETE' }],
      ];
      for (const [path, init] of requests) {
        const { status, body } = await test.json<ErrorBody>(path, init);
        expect(status, path).toBe(404);
        expect(body.error).toBe('SESSION_NOT_FOUND');
        expect(body.message).toContain(id);
      }
    });

    it('missing, missing-directory and non-directory workingDir → 400', async () => {
      const test = await start();
      const missing = await post(test, { command: 'echo hi' });
      expect(missing.status).toBe(400);
      expect(missing.body.message).toMatch(/workingDir/);

      const absent = await post(test, { workingDir: join(test.dir, 'absent'), command: 'echo hi' });
      expect(absent.status).toBe(400);
      expect(absent.body.error).toBe('WORKING_DIR_NOT_FOUND');

      const file = join(test.dir, 'a-file');
      writeFileSync(file, 'not a directory');
      const notDir = await post(test, { workingDir: file, command: 'echo hi' });
      expect(notDir.status).toBe(400);
      expect(notDir.body.error).toBe('WORKING_DIR_NOT_DIRECTORY');
      expect(notDir.body.message).toContain(file);

      const wrongType = await post(test, { workingDir: 42, command: 'echo hi' });
      expect(wrongType.status).toBe(400);
      await expectNoSessions(test);
    });

    it('both or neither of command and prompt → 400', async () => {
      const test = await start({ agentCommand: FAKE_AGENT });
      const both = await post(test, { workingDir: test.dir, command: 'echo hi', prompt: 'hi' });
      expect(both.status).toBe(400);
      expect(both.body.error).toBe('INVALID_ARGUMENT');
      expect(both.body.message).toMatch(/not both/);

      for (const body of [{ workingDir: test.dir }, { workingDir: test.dir, command: '  ', prompt: '' }]) {
        const neither = await post(test, body);
        expect(neither.status, JSON.stringify(body)).toBe(400);
        expect(neither.body.error).toBe('INVALID_ARGUMENT');
      }

      // Unknown (e.g. misspelled) fields are refused rather than ignored.
      const extra = await post(test, { workingDir: test.dir, command: 'echo hi', ptty: true });
      expect(extra.status).toBe(400);
      expect(extra.body.message).toMatch(/additional properties/);
      const malformed = await test.api('/api/sessions', { method: 'POST', body: '{"workingDir": ' });
      expect(malformed.status).toBe(400);
      await expectNoSessions(test);
    });

    it('negative, huge or malformed output sizes → 400', async () => {
      const test = await start();
      const session = await startSession(test, { command: 'echo hi' });
      await waitForEnded(test, session.id);
      const queries: Array<Record<string, string | number>> = [
        { maxBytes: -1 },
        { maxBytes: 0 },
        { maxBytes: MAX_WINDOW_BYTES + 1 },
        { maxBytes: 1e12 },
        { maxBytes: 'lots' },
        { fromOffset: -1, maxBytes: 10 },
        { fromOffset: 1.5 },
        { tailBytes: -1 },
        { tailBytes: MAX_WINDOW_BYTES + 1 },
        { tailBytes: 10, fromOffset: 0 },
        { format: 'html' },
      ];
      for (const query of queries) {
        const { status, body } = await output(test, session.id, query);
        expect(status, JSON.stringify(query)).toBe(400);
        expect(body.message, JSON.stringify(query)).toEqual(expect.any(String));
      }
      const largest = await output(test, session.id, { maxBytes: MAX_WINDOW_BYTES, fromOffset: 0 });
      expect(largest).toMatchObject({ status: 200, body: { data: 'hi\n' } });
    });

    it('input to an ended session → 409 SESSION_ENDED; bad input bodies → 400', async () => {
      const test = await start();
      const session = await startSession(test, { command: 'echo done' });
      await waitForEnded(test, session.id);
      const ended = await test.json<ErrorBody>(`/api/sessions/${session.id}/input`, {
        method: 'POST',
        body: JSON.stringify({ input: 'late', enter: true }),
      });
      expect(ended.status).toBe(409);
      expect(ended.body.error).toBe('SESSION_ENDED');

      const live = await startSession(test, { command: 'sleep 30' });
      for (const body of [
        {},
        { input: { text: 'x' } },
        { input: '', enter: false },
        { input: 'x'.repeat(65537) },
        { input: 'x', bytes: 1 },
      ]) {
        const { status } = await test.json(`/api/sessions/${live.id}/input`, {
          method: 'POST',
          body: JSON.stringify(body),
        });
        expect(status, JSON.stringify(body).slice(0, 40)).toBe(400);
      }
    });

    it('starting beyond the session limit → 429 SESSION_LIMIT', async () => {
      const test = await start({ manager: { maxSessions: 1 } });
      const first = await startSession(test, { command: 'sleep 30' });
      const refused = await post(test, { workingDir: test.dir, command: 'echo second' });
      expect(refused.status).toBe(429);
      expect(refused.body.error).toBe('SESSION_LIMIT');
      expect(refused.body.message).toContain(first.id.slice(0, 8));

      const list = await test.json<SessionList>('/api/sessions');
      expect(list.body.slots).toEqual({ max: 1, used: 1, free: 0 });
      expect(list.body.sessions.map((s) => s.id)).toEqual([first.id]);

      // The slot is usable again once the session ends.
      await test.api(`/api/sessions/${first.id}`, { method: 'DELETE' });
      const second = await startSession(test, { command: 'echo second' });
      expect(second.slot).toBe(1);
    });
  });
});
