import { viewCheckpoint, viewSession } from '@gsd/mcp-server';
import { isSessionError } from '@gsd/session-manager';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from './context.js';
import { Client } from './ws-client.js';
import { parseClientMessage, type ClientMessage } from './ws-messages.js';

export { WS_BATCH_MS, WS_MAX_BUFFERED_BYTES } from './ws-client.js';

/**
 * `/ws`: status events for every session to every client; for the sessions a client subscribed to,
 * a snapshot of the screen and then output (base64, with its byte offset) batched every few
 * milliseconds. Clients may also type into and resize sessions.
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

  const handle = (client: Client, message: ClientMessage): void => {
    const { sessionId } = message;
    switch (message.type) {
      case 'subscribe':
        if (manager.getSession(sessionId) === undefined) {
          client.send({
            type: 'error',
            sessionId,
            message: `No session with id ${JSON.stringify(sessionId)}`,
          });
        } else {
          client.subscribe(sessionId);
        }
        return;
      case 'unsubscribe':
        client.unsubscribe(sessionId);
        return;
      case 'input':
        // Input to a session waiting at a checkpoint answers it; the answer is recorded as the dashboard's.
        manager.sendInput(sessionId, message.data, 'dashboard');
        return;
      case 'resize':
        manager.resize(sessionId, message.cols, message.rows);
        return;
    }
  };

  app.get('/ws', { websocket: true }, (socket) => {
    const client = new Client(socket, (sessionId) => manager.screenSnapshot(sessionId));
    clients.add(client);
    client.send({
      type: 'hello',
      sessions: manager.listSessions({ status: ['idle', 'running', 'waiting_checkpoint'] }).map(viewSession),
    });
    socket.on('message', (raw) => {
      const parsed = parseClientMessage(String(raw));
      if (parsed.error !== undefined) {
        client.send({ type: 'error', sessionId: parsed.sessionId, message: parsed.error });
        return;
      }
      try {
        handle(client, parsed.message);
      } catch (error) {
        // A bad request for one session must not take the connection (or the server) down.
        const message = isSessionError(error)
          ? error.message
          : `Internal error: ${error instanceof Error ? error.message : String(error)}`;
        client.send({ type: 'error', sessionId: parsed.message.sessionId, message });
      }
    });
    socket.on('close', () => {
      client.close();
      clients.delete(client);
    });
  });
}
