import type { AddressInfo } from 'node:net';
import websocket from '@fastify/websocket';
import type { PersistentSessionManager } from '@gsd/session-manager';
import Fastify, { type FastifyInstance } from 'fastify';
import { createAccessHook, hostsFor } from './auth.js';
import type { ServerContext } from './context.js';
import { handleError } from './errors.js';
import { registerMcpHttp } from './mcp-http.js';
import { registerHealthRoute } from './routes/health.js';
import { registerSessionRoutes } from './routes/sessions.js';
import { registerStateRoute } from './routes/state.js';
import { DASHBOARD_ROUTES, defaultDashboardDir, registerDashboard } from './static.js';
import { registerWebSocket } from './ws.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 3333;

export interface HarnessServerOptions {
  manager: PersistentSessionManager;
  /** Access token every request must present. */
  token: string;
  agentCommand: string;
  /** Address to bind; loopback unless set explicitly. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** More `Host` names to accept (e.g. a machine name when bound beyond loopback). */
  extraHosts?: readonly string[];
  /** The built dashboard (holding index.html and assets/); defaults to the `@gsd/dashboard` package's dist. */
  dashboardDir?: string;
}

export interface HarnessServer {
  app: FastifyInstance;
  host: string;
  port: number;
  /** Base URL, e.g. `http://127.0.0.1:3333`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the harness server: REST, WebSocket events, MCP over HTTP and health, behind the token; and
 * the dashboard page, which asks for the token itself.
 */
export async function startHarnessServer(options: HarnessServerOptions): Promise<HarnessServer> {
  const host = options.host ?? DEFAULT_HOST;
  const app = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    // Unknown body fields are rejected (`additionalProperties: false`), not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  });
  const context: ServerContext = {
    manager: options.manager,
    agentCommand: options.agentCommand,
    startedAt: new Date(),
  };
  // Registered before the access hook: the plugin's own onRequest hook marks upgrade requests, and
  // only marked ones have their socket destroyed after a response, so a rejected upgrade must be marked.
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });
  let allowed = new Set<string>();
  app.addHook(
    'onRequest',
    createAccessHook({ token: options.token, allowedHosts: () => allowed, publicRoutes: DASHBOARD_ROUTES }),
  );
  app.setErrorHandler(handleError);
  await registerDashboard(app, options.dashboardDir ?? defaultDashboardDir());
  registerHealthRoute(app, context);
  registerSessionRoutes(app, context);
  registerStateRoute(app);
  registerWebSocket(app, context);
  registerMcpHttp(app, context);

  await app.listen({ host, port: options.port ?? DEFAULT_PORT });
  const port = (app.server.address() as AddressInfo).port;
  allowed = hostsFor(port, host, options.extraHosts ?? []);
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return { app, host, port, url: `http://${urlHost}:${port}`, close: () => app.close() };
}
