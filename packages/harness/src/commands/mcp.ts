import { proxyStdioToHttp, serveStdio } from '@gsd/mcp-server';
import { agentCommandFromEnv, PersistentSessionManager } from '@gsd/session-manager';
import { resolveDbPath, resolveMaxSessions, resolveQuietMs, type CommonOptions } from '../config.js';
import { loadOrCreateToken, readServerInfo } from '../server-info.js';

export interface McpOptions extends CommonOptions {
  maxSessions?: string;
  standalone?: boolean;
}

/** How long to wait for a running server's health check before working alone. */
const HEALTH_TIMEOUT_MS = 1_500;

async function reachableServer(): Promise<{ url: URL; token: string } | undefined> {
  const info = readServerInfo();
  if (info === undefined) return undefined;
  const token = loadOrCreateToken();
  try {
    const response = await fetch(new URL('/health', info.url), {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
    if (!response.ok) return undefined;
    return { url: new URL('/mcp', info.url), token };
  } catch {
    return undefined;
  }
}

/**
 * MCP over stdio. With a harness server running, relays to it (one set of sessions for every client);
 * otherwise serves from its own manager on the same database. Writes nothing but JSON-RPC to stdout.
 */
export async function mcpCommand(options: McpOptions): Promise<void> {
  const server =
    options.standalone === true || options.db !== undefined ? undefined : await reachableServer();
  if (server !== undefined) {
    process.stderr.write(`gsd-harness mcp: using the harness server at ${server.url.origin}\n`);
    await proxyStdioToHttp(server.url, server.token);
    return;
  }
  const manager = new PersistentSessionManager({
    dbPath: resolveDbPath(options),
    maxSessions: resolveMaxSessions(options.maxSessions),
    checkpointQuietMs: resolveQuietMs(),
  });
  try {
    await serveStdio({ manager, agentCommand: agentCommandFromEnv() });
  } finally {
    await manager.close();
  }
}
