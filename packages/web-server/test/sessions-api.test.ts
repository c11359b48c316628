import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_COLS, DEFAULT_ROWS, MAX_WINDOW_BYTES } from '@gsd/session-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { render } from '../../session-manager/test/helpers/terminal.js';
import {
  pollUntil,
  startTestServer,
  waitForEnded,
  type SessionView,
  type TestServer,
} from './helpers/server.js';

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

interface Screen {
  sessionId: string;
  cols: number;
  rows: number;
  offset: number;
  data: string;
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

  describe('screen, resize and listing filters', () => {
    function resize(test: TestServer, id: string, body: unknown) {
      return test.json<SessionView & ErrorBody>(`/api/sessions/${id}/resize`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
    }

    function list(test: TestServer, query: string) {
      return test.json<SessionList & ErrorBody>(`/api/sessions?${query}`);
    }

    it('GET /:id/screen serializes the screen of a live and of an ended session', async () => {
      const test = await start();
      const command = "printf '\\033[32mgreen\\033[0m\\nnext\\n'";
      const live = await startSession(test, { command: `${command}; sleep 30`, pty: true });
      await pollUntil(() => test.manager.getOutput(live.id).toString().includes('next'));
      const screen = await test.json<Screen>(`/api/sessions/${live.id}/screen`);
      expect(screen.status).toBe(200);
      expect(screen.body).toMatchObject({
        sessionId: live.id,
        cols: DEFAULT_COLS,
        rows: DEFAULT_ROWS,
        offset: test.manager.getOutput(live.id).length,
      });
      expect(Object.keys(screen.body).sort()).toEqual(['cols', 'data', 'offset', 'rows', 'sessionId']);
      expect(screen.body.data).toContain('\u001b[');
      expect((await render(screen.body.data, DEFAULT_COLS, DEFAULT_ROWS)).lines).toEqual(['green', 'next']);

      const ended = await startSession(test, { command, pty: true });
      await waitForEnded(test, ended.id);
      const rebuilt = await test.json<Screen>(`/api/sessions/${ended.id}/screen`);
      expect(rebuilt.body.offset).toBe(test.manager.getOutput(ended.id).length);
      expect((await render(rebuilt.body.data, DEFAULT_COLS, DEFAULT_ROWS)).lines).toEqual(['green', 'next']);

      const unknown = await test.json<ErrorBody>('/api/sessions/no-such-session/screen');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toBe('SESSION_NOT_FOUND');
    });

    it('POST /:id/resize changes the terminal size of a PTY session', async () => {
      const test = await start();
      const session = await startSession(test, { command: 'read go; stty size', pty: true });
      expect(session).toMatchObject({ cols: DEFAULT_COLS, rows: DEFAULT_ROWS });
      const resized = await resize(test, session.id, { cols: 100, rows: 30 });
      expect(resized.status).toBe(200);
      expect(resized.body).toMatchObject({ id: session.id, cols: 100, rows: 30, status: 'running' });
      expect((await test.json<SessionView>(`/api/sessions/${session.id}`)).body).toMatchObject({
        cols: 100,
        rows: 30,
      });
      await test.json(`/api/sessions/${session.id}/input`, {
        method: 'POST',
        body: JSON.stringify({ input: 'go', enter: true }),
      });
      await waitForEnded(test, session.id);
      expect((await output(test, session.id, { format: 'text' })).body.data).toContain('30 100');
      const screen = await test.json<Screen>(`/api/sessions/${session.id}/screen`);
      expect(screen.body).toMatchObject({ cols: 100, rows: 30 });

      // A pipe has no terminal: the session comes back unchanged.
      const pipe = await startSession(test, { command: 'sleep 30' });
      const unchanged = await resize(test, pipe.id, { cols: 100, rows: 30 });
      expect(unchanged.status).toBe(200);
      expect(unchanged.body).toMatchObject({ id: pipe.id, mode: 'pipe', cols: null, rows: null });
    });

    it('POST /:id/resize refuses sizes outside 1..1000 and unknown sessions', async () => {
      const test = await start();
      const session = await startSession(test, { command: 'sleep 30', pty: true });
      for (const body of [
        {},
        { cols: 80 },
        { cols: 0, rows: 24 },
        { cols: 80, rows: 1001 },
        { cols: 80.5, rows: 24 },
        { cols: -1, rows: 24 },
        { cols: 'wide', rows: 24 },
        { cols: 80, rows: 24, pixels: 1 },
      ]) {
        const { status, body: error } = await resize(test, session.id, body);
        expect(status, JSON.stringify(body)).toBe(400);
        expect(error.message, JSON.stringify(body)).toEqual(expect.any(String));
      }
      expect((await resize(test, session.id, { cols: 1000, rows: 1 })).body).toMatchObject({
        cols: 1000,
        rows: 1,
      });
      const unknown = await resize(test, 'no-such-session', { cols: 80, rows: 24 });
      expect(unknown.status).toBe(404);
    });

    it('GET /api/sessions filters by live/ended, directory and command, and pages with before', async () => {
      const test = await start({ manager: { maxSessions: 5 } });
      const first = await startSession(test, { command: 'echo 100% done' });
      await waitForEnded(test, first.id);
      const second = await startSession(test, { command: 'echo Second' });
      await waitForEnded(test, second.id);
      const running = await startSession(test, { command: 'sleep 30 # third' });
      const ids = async (query: string): Promise<string[]> => {
        const { status, body } = await list(test, query);
        expect(status, query).toBe(200);
        return body.sessions.map((s) => s.id);
      };

      expect(await ids('status=live')).toEqual([running.id]);
      expect(await ids('status=ended')).toEqual([second.id, first.id]);
      expect(await ids('status=waiting')).toEqual([]);
      expect(await ids('q=second')).toEqual([second.id]);
      expect(await ids(`q=${encodeURIComponent('100%')}`)).toEqual([first.id]);
      expect(await ids(`q=${encodeURIComponent('%')}`)).toEqual([first.id]);
      expect(await ids('q=_')).toEqual([]);
      expect(await ids(`dir=${encodeURIComponent(test.dir.slice(-8).toUpperCase())}`)).toEqual([
        running.id,
        second.id,
        first.id,
      ]);
      expect(await ids('dir=%2Fnowhere')).toEqual([]);
      expect(await ids('dir=&q=')).toEqual([running.id, second.id, first.id]);

      const page1 = await list(test, 'limit=2');
      expect(page1.body.sessions.map((s) => s.id)).toEqual([running.id, second.id]);
      const before = encodeURIComponent(page1.body.sessions[1]?.startedAt ?? '');
      expect(await ids(`limit=2&before=${before}`)).toEqual([first.id]);
      expect(await ids(`status=ended&q=echo&before=${before}`)).toEqual([first.id]);
      expect(await ids('before=2000-01-01')).toEqual([]);
    });

    it('GET /api/sessions refuses a bad status, date or limit with a message', async () => {
      const test = await start();
      for (const query of ['status=sleeping', 'before=yesterday', 'before=2025-13-45T99:00:00Z', 'limit=0']) {
        const { status, body } = await list(test, query);
        expect(status, query).toBe(400);
        expect(body.message, query).toEqual(expect.any(String));
      }
      const { body } = await list(test, 'before=last%20week');
      expect(body).toMatchObject({ error: 'INVALID_ARGUMENT' });
      expect(body.message).toMatch(/before.*ISO 8601.*"last week"/);
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
