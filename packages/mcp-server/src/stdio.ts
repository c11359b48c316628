import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ToolContext } from './context.js';
import { createMcpServer } from './server.js';

/** Serves the tools over stdin/stdout until stdin closes. Nothing else is written to stdout. */
export async function serveStdio(context: ToolContext): Promise<void> {
  const server = createMcpServer(context);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
}

/**
 * Relays MCP messages between stdin/stdout and a running harness server's `/mcp` endpoint, so that
 * every client sees the server's sessions. Resolves when either side closes.
 */
export async function proxyStdioToHttp(url: URL, token: string): Promise<void> {
  const local = new StdioServerTransport();
  const remote = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  local.onmessage = (message: JSONRPCMessage) => {
    remote.send(message).catch((error: unknown) => {
      process.stderr.write(`gsd-harness mcp: harness server unreachable: ${String(error)}\n`);
      finish();
    });
  };
  remote.onmessage = (message: JSONRPCMessage) => {
    void local.send(message);
  };
  remote.onerror = (error) => process.stderr.write(`gsd-harness mcp: ${error.message}\n`);
  local.onclose = finish;
  remote.onclose = finish;
  process.stdin.once('end', finish);
  await remote.start();
  await local.start();
  await done;
  // Let the server drop this client's MCP session rather than keep it until it expires.
  await remote.terminateSession().catch(() => {});
  await Promise.allSettled([remote.close(), local.close()]);
}
