import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolContext } from '../context.js';
import { runTool, viewSession } from '../result.js';
import { sessionIdSchema } from './get-session.js';

export function registerEndSession(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'gsd_end_session',
    {
      description:
        'End a session: SIGTERM to its processes, SIGKILL if they have not exited after a grace period. ' +
        'Returns the final session. Ending an already ended session just returns it.',
      inputSchema: { sessionId: sessionIdSchema },
    },
    ({ sessionId }) => runTool(async () => viewSession(await context.manager.terminate(sessionId))),
  );
}
