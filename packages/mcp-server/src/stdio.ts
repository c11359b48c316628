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
  // Requests sent to the server and not answered yet: if the server goes away they get an error
  // at once instead of leaving the client waiting for its own timeout.
  const inFlight = new Set<string | number>();
  let failed = false;
  const fail = (reason: string): void => {
    if (failed) return;
    failed = true;
    process.stderr.write(
      `gsd-harness mcp: harness server unreachable (${reason}); restart this MCP server\n`,
    );
    const answers = [...inFlight].map((id) =>
      local.send({
        jsonrpc: '2.0',
        id,
        error: { code: -32000, message: `The harness server went away: ${reason}` },
      }),
    );
    inFlight.clear();
    void Promise.allSettled(answers).then(finish);
  };
  local.onmessage = (message: JSONRPCMessage) => {
    if ('method' in message && 'id' in message && message.id !== undefined) inFlight.add(message.id);
    remote.send(message).catch((error: unknown) => fail(String(error)));
  };
  remote.onmessage = (message: JSONRPCMessage) => {
    if (!('method' in message) && 'id' in message && message.id !== undefined) inFlight.delete(message.id);
    void local.send(message);
  };
  remote.onerror = (error) => {
    // A broken response stream or refused connection: check whether the server is still there.
    process.stderr.write(`gsd-harness mcp: ${error.message}\n`);
    fetch(new URL('/health', url), {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(2_000),
    }).then(
      (reply) => {
        if (!reply.ok) fail(`health check answered ${reply.status}`);
      },
      (reason: unknown) => fail(String(reason)),
    );
  };
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
