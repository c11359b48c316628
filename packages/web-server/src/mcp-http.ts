import { randomUUID } from 'node:crypto';
import { createMcpServer } from '@gsd/mcp-server';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from './context.js';

/** MCP sessions kept at once; the least recently used is closed beyond this. */
export const MAX_MCP_SESSIONS = 64;

/** MCP Streamable HTTP at `/mcp`: one MCP server and transport per client session, all on one manager. */
export function registerMcpHttp(app: FastifyInstance, context: ServerContext): void {
  const transports = new Map<string, StreamableHTTPServerTransport>();

  const evictOldest = (): void => {
    while (transports.size >= MAX_MCP_SESSIONS) {
      const [id, transport] = transports.entries().next().value as [string, StreamableHTTPServerTransport];
      transports.delete(id);
      void transport.close();
    }
  };

  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/mcp',
    handler: async (request, reply) => {
      const header = request.headers['mcp-session-id'];
      const sessionId = Array.isArray(header) ? header[0] : header;
      let transport = sessionId === undefined ? undefined : transports.get(sessionId);
      if (transport !== undefined) {
        // Most recently used last, for eviction.
        transports.delete(sessionId as string);
        transports.set(sessionId as string, transport);
      } else if (sessionId === undefined && request.method === 'POST' && isInitializeRequest(request.body)) {
        evictOldest();
        const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => {
            transports.set(id, created);
          },
        });
        created.onclose = () => {
          if (created.sessionId !== undefined) transports.delete(created.sessionId);
        };
        await createMcpServer(context).connect(created);
        transport = created;
      } else {
        return reply.code(sessionId === undefined ? 400 : 404).send({
          jsonrpc: '2.0',
          error: {
            code: -32000,
            message:
              sessionId === undefined
                ? 'No MCP session: start with an initialize request'
                : 'Unknown or expired MCP session; initialize again',
          },
          id: null,
        });
      }
      reply.hijack();
      await transport.handleRequest(request.raw, reply.raw, request.body);
    },
  });

  app.addHook('onClose', async () => {
    await Promise.allSettled([...transports.values()].map((transport) => transport.close()));
    transports.clear();
  });
}
