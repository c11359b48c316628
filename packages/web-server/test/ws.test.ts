import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { numberedLine, render } from '../../session-manager/test/helpers/terminal.js';
import { pollUntil, startTestServer, type SessionView, type TestServer } from './helpers/server.js';

const PRINT_LINES = fileURLToPath(
  new URL('../../session-manager/test/fixtures/print-lines.mjs', import.meta.url),
);
const FAKE_GSD_AGENT = fileURLToPath(
  new URL('../../session-manager/test/fixtures/fake-gsd-agent.mjs', import.meta.url),
);

type Message =
  | { type: 'hello'; sessions: SessionView[] }
  | { type: 'session'; event: string; session: SessionView }
  | { type: 'output'; sessionId: string; offset: number; data: string }
  | { type: 'snapshot'; sessionId: string; offset: number; cols: number; rows: number; data: string }
  | { type: 'subscribed'; sessionId: string }
  | { type: 'overflow'; sessionId: string; resumeOffset: number }
  | { type: 'error'; sessionId?: string; message: string };

type Snapshot = Message & { type: 'snapshot' };
type Output = Message & { type: 'output' };

/** A WebSocket client that records every message and lets a test await the one it expects. */
class EventClient {
  readonly messages: Message[] = [];
  private readonly waiters = new Set<() => void>();
  private closed = false;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      this.messages.push(JSON.parse(String(raw)) as Message);
      for (const wake of [...this.waiters]) wake();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const wake of [...this.waiters]) wake();
    });
  }

  static connect(test: TestServer): Promise<EventClient> {
    const socket = new WebSocket(`ws://127.0.0.1:${test.port}/ws`, {
      headers: { authorization: `Bearer ${test.token}`, origin: test.url },
    });
    const client = new EventClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  /** Resolves with the first message (received so far or later) that matches. */
  waitFor<T extends Message>(match: (message: Message) => message is T, timeoutMs?: number): Promise<T>;
  waitFor(match: (message: Message) => boolean, timeoutMs?: number): Promise<Message>;
  waitFor(match: (message: Message) => boolean, timeoutMs = 15_000): Promise<Message> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.messages.find(match);
        if (found !== undefined || this.closed) {
          clearTimeout(timer);
          this.waiters.delete(check);
          if (found !== undefined) resolve(found);
          else reject(new Error('socket closed before the expected message'));
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching message within ${timeoutMs} ms; got ${this.messages.length}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  sessionEvent(event: string, sessionId: string): Promise<Message & { type: 'session' }> {
    return this.waitFor(
      (m): m is Message & { type: 'session' } =>
        m.type === 'session' && m.event === event && m.session.id === sessionId,
    );
  }

  outputs(sessionId?: string): Array<Message & { type: 'output' }> {
    return this.messages.filter(
      (m): m is Message & { type: 'output' } =>
        m.type === 'output' && (sessionId === undefined || m.sessionId === sessionId),
    );
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

describe('WebSocket /ws', () => {
  let test: TestServer;
  const clients: EventClient[] = [];

  async function connect(): Promise<EventClient> {
    const client = await EventClient.connect(test);
    clients.push(client);
    return client;
  }

  async function startSession(body: Record<string, unknown>): Promise<SessionView> {
    const { status, body: session } = await test.json<SessionView>('/api/sessions', {
      method: 'POST',
      body: JSON.stringify({ workingDir: test.dir, ...body }),
    });
    expect(status).toBe(201);
    return session;
  }

  async function sendInput(sessionId: string, input: string): Promise<void> {
    const { status } = await test.json(`/api/sessions/${sessionId}/input`, {
      method: 'POST',
      body: JSON.stringify({ input }),
    });
    expect(status).toBe(200);
  }

  beforeEach(async () => {
    test = await startTestServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await test.close();
  });

  it('greets a client with the live sessions', async () => {
    const done = await startSession({ command: 'echo done' });
    await test.manager.waitForEnd(done.id);
    const live = await startSession({ command: 'sleep 30' });

    const client = await connect();
    const hello = await client.waitFor((m): m is Message & { type: 'hello' } => m.type === 'hello');
    expect(client.messages[0]).toBe(hello);
    expect(hello.sessions.map((s) => s.id)).toEqual([live.id]);
    expect(hello.sessions[0]).toMatchObject({ id: live.id, status: 'running', command: 'sleep 30' });
  });

  it('broadcasts session:started, session:completed and session:failed', async () => {
    const client = await connect();
    await client.waitFor((m) => m.type === 'hello');

    const quick = await startSession({ command: 'printf abc' });
    const started = await client.sessionEvent('session:started', quick.id);
    const completed = await client.sessionEvent('session:completed', quick.id);
    expect(started.session).toMatchObject({ id: quick.id, command: 'printf abc' });
    expect(completed.session).toMatchObject({ status: 'completed', exitCode: 0, outputBytes: 3 });
    expect(client.messages.indexOf(started)).toBeLessThan(client.messages.indexOf(completed));

    const sleeper = await startSession({ command: 'sleep 30' });
    await client.sessionEvent('session:started', sleeper.id);
    expect((await test.api(`/api/sessions/${sleeper.id}`, { method: 'DELETE' })).status).toBe(200);
    const failed = await client.sessionEvent('session:failed', sleeper.id);
    expect(failed.session).toMatchObject({ status: 'failed', failureReason: 'terminated on request' });

    // Every client receives status events, subscribed or not.
    const other = await connect();
    const late = await startSession({ command: 'true' });
    await other.sessionEvent('session:completed', late.id);
    await client.sessionEvent('session:completed', late.id);
  });

  it('streams the exact output of subscribed sessions only, in contiguous batches', async () => {
    const client = await connect();
    // Waits for a line before printing, so that the subscription is in place first.
    const followed = await startSession({ command: 'read go; seq 1 25000; sleep 0.2; seq 25001 50000' });
    client.send({ type: 'subscribe', sessionId: followed.id });
    await client.waitFor((m) => m.type === 'subscribed' && m.sessionId === followed.id);

    // An unsubscribed session that prints while the client listens.
    const ignored = await startSession({ command: 'seq 1 1000' });
    await client.sessionEvent('session:completed', ignored.id);

    await sendInput(followed.id, 'go\n');
    const completed = await client.sessionEvent('session:completed', followed.id);
    const totalBytes = completed.session.outputBytes;
    const expected = Array.from({ length: 50000 }, (_, i) => `${i + 1}\n`).join('');
    expect(totalBytes).toBe(Buffer.byteLength(expected));
    const receivedBytes = (): number =>
      client.outputs(followed.id).reduce((sum, m) => sum + Buffer.from(m.data, 'base64').length, 0);
    await pollUntil(() => receivedBytes() >= totalBytes);

    const batches = client.outputs(followed.id);
    expect(batches.length).toBeGreaterThan(1);
    let offset = 0;
    const parts: Buffer[] = [];
    for (const batch of batches) {
      expect(batch.offset).toBe(offset);
      const bytes = Buffer.from(batch.data, 'base64');
      expect(bytes.length).toBeGreaterThan(0);
      parts.push(bytes);
      offset += bytes.length;
    }
    const received = Buffer.concat(parts);
    expect(received.equals(test.manager.getOutput(followed.id))).toBe(true);
    expect(received.toString()).toBe(expected);

    expect(client.outputs(ignored.id)).toEqual([]);
    expect(client.messages.some((m) => m.type === 'overflow' || m.type === 'error')).toBe(false);
  });

  it('answers invalid messages with an error and keeps the socket open', async () => {
    const client = await connect();
    await client.waitFor((m) => m.type === 'hello');
    const errors = (): Array<Message & { type: 'error' }> =>
      client.messages.filter((m): m is Message & { type: 'error' } => m.type === 'error');

    client.send('this is not JSON');
    await client.waitFor((m) => m.type === 'error');
    expect(errors()[0]?.message).toMatch(/JSON/);

    const invalid = ['null', '42', '"subscribe"', '{"type":"subscribe"}', '{"type":"shout","sessionId":"x"}'];
    for (const [index, message] of invalid.entries()) {
      client.send(message);
      await pollUntil(() => errors().length === index + 2);
    }
    expect(errors().at(-1)).toMatchObject({ sessionId: 'x', message: expect.stringMatching(/shout/) });
    expect(client.socket.readyState).toBe(WebSocket.OPEN);

    const session = await startSession({ command: 'sleep 30', pty: true });
    const bad: Array<[unknown, RegExp]> = [
      [{ type: 'subscribe', sessionId: 'no-such-session' }, /No session with id "no-such-session"/],
      [{ type: 'input', sessionId: session.id }, /input data/],
      [{ type: 'input', sessionId: session.id, data: 42 }, /input data/],
      [{ type: 'input', sessionId: session.id, data: '' }, /input data/],
      [{ type: 'input', sessionId: session.id, data: 'x'.repeat(65537) }, /input data/],
      [{ type: 'input', sessionId: 'no-such-session', data: 'x' }, /No session/],
      [{ type: 'resize', sessionId: session.id, cols: 80 }, /rows.*1 to 1000/],
      [{ type: 'resize', sessionId: session.id, cols: 0, rows: 24 }, /cols.*1 to 1000.*got 0/],
      [{ type: 'resize', sessionId: session.id, cols: 80, rows: 1001 }, /rows/],
      [{ type: 'resize', sessionId: session.id, cols: 80.5, rows: 24 }, /cols/],
      [{ type: 'resize', sessionId: session.id, cols: '80', rows: 24 }, /cols/],
      [{ type: 'resize', sessionId: 'no-such-session', cols: 80, rows: 24 }, /No session/],
    ];
    for (const [message, expected] of bad) {
      const before = errors().length;
      client.send(message);
      await pollUntil(() => errors().length === before + 1);
      const error = errors().at(-1);
      expect(error?.message, JSON.stringify(message).slice(0, 80)).toMatch(expected);
      expect(error?.sessionId).toBe((message as { sessionId: string }).sessionId);
    }
    expect(test.manager.getSession(session.id)).toMatchObject({ status: 'running', cols: 120, rows: 40 });

    const ended = await startSession({ command: 'true' });
    await test.manager.waitForEnd(ended.id);
    client.send({ type: 'input', sessionId: ended.id, data: 'late' });
    const refused = await client.waitFor(
      (m): m is Message & { type: 'error' } => m.type === 'error' && m.sessionId === ended.id,
    );
    expect(refused.message).toMatch(/has ended/);

    client.send({ type: 'subscribe', sessionId: session.id });
    const ack = await client.waitFor((m) => m.type === 'subscribed');
    expect(ack).toEqual({ type: 'subscribed', sessionId: session.id });
    await client.waitFor((m) => m.type === 'snapshot' && m.sessionId === session.id);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    expect((await test.api('/health')).status).toBe(200);
  });

  it('sends a snapshot first, then output from exactly its offset, on every subscribe', async () => {
    const client = await connect();
    const lines = 6000;
    const session = await startSession({
      command: `node ${PRINT_LINES} ${lines} --per-write 2 --pause-ms 1`,
      pty: true,
    });
    const lineBytes = Buffer.byteLength(`${numberedLine(1)}\r\n`);
    const totalBytes = lines * lineBytes;

    // Joins in twice while the session prints.
    for (const joinAt of [0.1, 0.4]) {
      await pollUntil(() => (test.manager.getSession(session.id)?.outputBytes ?? 0) > totalBytes * joinAt);
      client.send({ type: 'subscribe', sessionId: session.id });
      const subscribed = client.messages.length;
      await client.waitFor((m) => m.type === 'snapshot' && client.messages.indexOf(m) >= subscribed);
    }
    const completed = await client.sessionEvent('session:completed', session.id);
    expect(completed.session.outputBytes).toBe(totalBytes);
    const output = test.manager.getOutput(session.id);

    const ofSession = (): Message[] =>
      client.messages.filter(
        (m) =>
          (m.type === 'subscribed' || m.type === 'snapshot' || m.type === 'output') &&
          m.sessionId === session.id,
      );
    const received = (messages: Message[]): number =>
      messages
        .filter((m): m is Output => m.type === 'output')
        .reduce((sum, m) => sum + Buffer.from(m.data, 'base64').length, 0);
    // The last subscription receives everything up to the end.
    await pollUntil(() => {
      const messages = ofSession();
      const last = messages.findLastIndex((m) => m.type === 'snapshot');
      const snapshot = messages[last] as Snapshot;
      return snapshot.offset + received(messages.slice(last + 1)) >= totalBytes;
    });

    const messages = ofSession();
    const rounds: Message[][] = [];
    for (const message of messages) {
      if (message.type === 'subscribed') rounds.push([]);
      rounds.at(-1)?.push(message);
    }
    expect(rounds).toHaveLength(2);
    for (const [index, round] of rounds.entries()) {
      // subscribed, snapshot, then only output.
      expect(round[0]?.type).toBe('subscribed');
      expect(round[1]?.type).toBe('snapshot');
      const snapshot = round[1] as Snapshot;
      expect(snapshot.offset).toBeGreaterThan(0);
      expect(snapshot.offset).toBeLessThan(totalBytes);
      expect(snapshot).toMatchObject({ cols: 120, rows: 40 });

      // The snapshot shows exactly the output before its offset.
      const expected = await render(output.subarray(0, snapshot.offset), 120, 40);
      expect((await render(snapshot.data, 120, 40)).lines).toEqual(expected.lines);

      let offset = snapshot.offset;
      const parts: Buffer[] = [];
      for (const message of round.slice(2)) {
        expect(message.type).toBe('output');
        const batch = message as Output;
        expect(batch.offset, `round ${index}`).toBe(offset);
        const bytes = Buffer.from(batch.data, 'base64');
        expect(bytes.length).toBeGreaterThan(0);
        parts.push(bytes);
        offset += bytes.length;
      }
      const joined = Buffer.concat(parts);
      expect(joined.equals(output.subarray(snapshot.offset, offset))).toBe(true);
      if (index === rounds.length - 1) expect(offset).toBe(totalBytes);
    }
    expect(client.messages.some((m) => m.type === 'overflow' || m.type === 'error')).toBe(false);
  });

  it('sends a snapshot of an ended session, and no output after it', async () => {
    const client = await connect();
    const session = await startSession({ command: "printf 'first\\nlast\\n'" });
    await test.manager.waitForEnd(session.id);
    client.send({ type: 'subscribe', sessionId: session.id });
    const snapshot = await client.waitFor((m): m is Snapshot => m.type === 'snapshot');
    expect(snapshot).toMatchObject({
      sessionId: session.id,
      offset: 'first\nlast\n'.length,
      cols: 120,
      rows: 40,
    });
    expect((await render(snapshot.data, 120, 40)).lines).toEqual(['first', 'last']);
    client.send({ type: 'unsubscribe', sessionId: session.id });
    expect(client.outputs(session.id)).toEqual([]);
  });

  it('types input into a PTY session and resizes it', async () => {
    const client = await connect();
    const cat = await startSession({ command: 'cat', pty: true });
    client.send({ type: 'subscribe', sessionId: cat.id });
    await client.waitFor((m) => m.type === 'snapshot' && m.sessionId === cat.id);
    client.send({ type: 'input', sessionId: cat.id, data: 'typed over ws\r' });
    // Echoed by the terminal, then printed back by cat.
    await pollUntil(() => test.manager.getOutput(cat.id).toString().split('typed over ws').length === 3);
    const streamed = (): string =>
      Buffer.concat(client.outputs(cat.id).map((m) => Buffer.from(m.data, 'base64'))).toString();
    await pollUntil(() => streamed().split('typed over ws').length === 3);
    client.send({ type: 'input', sessionId: cat.id, data: '\u0004' });
    await client.sessionEvent('session:completed', cat.id);

    const sized = await startSession({ command: 'read go; stty size', pty: true });
    client.send({ type: 'resize', sessionId: sized.id, cols: 90, rows: 25 });
    await pollUntil(() => test.manager.getSession(sized.id)?.cols === 90);
    expect(test.manager.getSession(sized.id)).toMatchObject({ cols: 90, rows: 25 });
    client.send({ type: 'input', sessionId: sized.id, data: 'go\r' });
    await client.sessionEvent('session:completed', sized.id);
    expect(test.manager.getOutput(sized.id).toString()).toContain('25 90');
    client.send({ type: 'subscribe', sessionId: sized.id });
    const snapshot = await client.waitFor(
      (m): m is Snapshot => m.type === 'snapshot' && m.sessionId === sized.id,
    );
    expect(snapshot).toMatchObject({ cols: 90, rows: 25 });
    expect(client.messages.some((m) => m.type === 'error')).toBe(false);
  });

  it("records input that answers a checkpoint as the dashboard's", async () => {
    await test.close();
    test = await startTestServer({ manager: { checkpointQuietMs: 200 } });
    const client = await connect();
    const session = await startSession({ command: `node ${FAKE_GSD_AGENT} input --delay-ms 1`, pty: true });
    await client.sessionEvent('session:waiting', session.id);
    client.send({ type: 'input', sessionId: session.id, data: 'y\r' });
    await client.sessionEvent('session:resumed', session.id);
    expect(test.manager.getCheckpoint(session.id)).toMatchObject({ response: 'y', responder: 'dashboard' });
    const completed = await client.sessionEvent('session:completed', session.id);
    expect(completed.session.exitCode).toBe(0);
  });
});
