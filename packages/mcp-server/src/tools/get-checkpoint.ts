import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolContext } from '../context.js';
import { runTool, viewCheckpoint } from '../result.js';
import { sessionIdSchema } from './get-session.js';

export function registerGetCheckpoint(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'gsd_get_checkpoint',
    {
      description:
        'Get the checkpoint a session waits at (or its last one): type (human-verify, decision, human-action, ' +
        'verify-work, input), what was built and how to verify it, decision options with pros and cons, action ' +
        'steps, and the words the agent expects (resumeKeywords). Answer it with gsd_respond_checkpoint.',
      inputSchema: { sessionId: sessionIdSchema },
    },
    ({ sessionId }) =>
      runTool(() => {
        const checkpoint = context.manager.getCheckpoint(sessionId);
        const session = context.manager.getSession(sessionId);
        return {
          sessionId,
          status: session?.status,
          waiting: session?.status === 'waiting_checkpoint',
          checkpoint: checkpoint === undefined ? null : viewCheckpoint(checkpoint),
        };
      }),
  );
}
