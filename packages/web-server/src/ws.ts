import type { SessionOutputEvent } from '@gsd/core';
import { viewCheckpoint, viewSession } from '@gsd/mcp-server';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { ServerContext } from './context.js';

/** Output is gathered this long before it is sent, so a flood becomes a few large frames. */
export const WS_BATCH_MS = 5;
/** A client this far behind (bytes queued in its socket) stops receiving output until it catches up. */
export const WS_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

type ClientMessage = { type: 'subscribe' | 'unsubscribe'; sessionId: string };

interface Pending {
  offset: number;
  parts: Uint8Array[];
}

/** One WebSocket client: the sessions whose output it follows, and output waiting to be sent. */
class Client {
  readonly subscriptions = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  /** Sessions whose output was dropped for this client: it must re-read from `resumeOffset`. */
  private readonly lagging = new Set<string>();

  constructor(private readonly socket: WebSocket) {}

  send(message: object): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  queueOutput(event: SessionOutputEvent): void {
    if (!this.subscriptions.has(event.sessionId) || this.lagging.has(event.sessionId)) return;
    if (this.socket.bufferedAmount > WS_MAX_BUFFERED_BYTES) {
      // Slow reader: stop queueing instead of buffering without limit; it can page the rest over REST.
      this.lagging.add(event.sessionId);
      this.pending.delete(event.sessionId);
      this.send({ type: 'overflow', sessionId: event.sessionId, resumeOffset: event.offset });
      return;
    }
    const pending = this.pending.get(event.sessionId);
    if (pending === undefined)
      this.pending.set(event.sessionId, { offset: event.offset, parts: [event.bytes] });
    else pending.parts.push(event.bytes);
    this.timer ??= setTimeout(() => this.flush(), WS_BATCH_MS);
  }

  flush(): void {
    this.timer = undefined;
    for (const [sessionId, { offset, parts }] of this.pending) {
      this.send({ type: 'output', sessionId, offset, data: Buffer.concat(parts).toString('base64') });
    }
    this.pending.clear();
  }

  resubscribe(sessionId: string): void {
    this.subscriptions.add(sessionId);
    this.lagging.delete(sessionId);
  }

  close(): void {
    clearTimeout(this.timer);
  }
}

/**
 * `/ws`: status events for every session to every client; output (base64, with its byte offset) for
 * the sessions a client subscribed to, batched every few milliseconds.
 */
export function registerWebSocket(app: FastifyInstance, context: ServerContext): void {
  const clients = new Set<Client>();
  const { manager } = context;
  const broadcast = (message: object): void => {
    for (const client of clients) client.send(message);
  };
  const disposers = [
    manager.subscribe('session:started', (e) =>
      broadcast({ type: 'session', event: e.type, session: viewSession(e.session) }),
    ),
    manager.subscribe('session:completed', (e) =>
      broadcast({ type: 'session', event: e.type, session: viewSession(e.session) }),
    ),
    manager.subscribe('session:failed', (e) =>
      broadcast({ type: 'session', event: e.type, session: viewSession(e.session) }),
    ),
    manager.subscribe('session:waiting', (e) =>
      broadcast({
        type: 'session',
        event: e.type,
        session: viewSession(e.session),
        checkpoint: viewCheckpoint(e.checkpoint),
      }),
    ),
    manager.subscribe('session:resumed', (e) =>
      broadcast({ type: 'session', event: e.type, session: viewSession(e.session) }),
    ),
    manager.subscribe('session:output', (e) => {
      for (const client of clients) client.queueOutput(e);
    }),
  ];
  app.addHook('onClose', async () => {
    for (const dispose of disposers) dispose();
    for (const client of clients) client.close();
  });

  app.get('/ws', { websocket: true }, (socket) => {
    const client = new Client(socket);
    clients.add(client);
    client.send({
      type: 'hello',
      sessions: manager.listSessions({ status: ['idle', 'running', 'waiting_checkpoint'] }).map(viewSession),
    });
    socket.on('message', (raw) => {
      let message: Partial<ClientMessage> | null;
      try {
        message = JSON.parse(String(raw)) as Partial<ClientMessage> | null;
      } catch {
        client.send({ type: 'error', message: 'Messages must be JSON' });
        return;
      }
      // Valid JSON need not be an object (`null` would otherwise throw here and crash the server).
      if (typeof message !== 'object' || message === null || typeof message.sessionId !== 'string') {
        client.send({
          type: 'error',
          message: 'Expected {"type": "subscribe" | "unsubscribe", "sessionId": "…"}',
        });
      } else if (message.type === 'subscribe') {
        client.resubscribe(message.sessionId);
        client.send({ type: 'subscribed', sessionId: message.sessionId });
      } else if (message.type === 'unsubscribe') {
        client.subscriptions.delete(message.sessionId);
      } else {
        client.send({ type: 'error', message: `Unknown message type ${JSON.stringify(message.type)}` });
      }
    });
    socket.on('close', () => {
      client.close();
      clients.delete(client);
    });
  });
}
