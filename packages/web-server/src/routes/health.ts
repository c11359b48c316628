import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

export function registerHealthRoute(app: FastifyInstance, context: ServerContext): void {
  app.get('/health', async () => ({
    ok: true,
    pid: process.pid,
    startedAt: context.startedAt.toISOString(),
    activeSessions: context.manager.activeCount,
    maxSessions: context.manager.maxSessions,
  }));
}
