import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { pollUntil, startTestServer, type SessionView, type TestServer } from './helpers/server.js';

type Message =
  | { type: 'hello'; sessions: SessionView[] }
  | { type: 'session'; event: string; session: SessionView }
  | { type: 'output'; sessionId: string; offset: number; data: string }
  | { type: 'subscribed'; sessionId: string }
  | { type: 'overflow'; sessionId: string; resumeOffset: number }
  | { type: 'error'; message: string };

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
    expect(errors().at(-1)?.message).toMatch(/shout/);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);

    client.send({ type: 'subscribe', sessionId: 'still-listening' });
    const ack = await client.waitFor((m) => m.type === 'subscribed');
    expect(ack).toEqual({ type: 'subscribed', sessionId: 'still-listening' });
    expect((await test.api('/health')).status).toBe(200);
  });
});
