import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ToolContext } from '../context.js';
import { runTool, viewCheckpoint } from '../result.js';
import { sessionIdSchema } from './get-session.js';

export function registerRespondCheckpoint(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'gsd_respond_checkpoint',
    {
      description:
        'Answer the checkpoint a session waits at: writes `response` and exactly one Enter (e.g. "approved", ' +
        'an option id such as "supabase", "done", "pass", or a description of what is wrong). Fails without ' +
        'writing anything if the session is not waiting.',
      inputSchema: {
        sessionId: sessionIdSchema,
        response: z
          .string()
          .max(16 * 1024)
          .describe('The answer, without a trailing newline'),
      },
    },
    ({ sessionId, response }) =>
      runTool(() => ({
        sessionId,
        checkpoint: viewCheckpoint(context.manager.respondToCheckpoint(sessionId, response, 'mcp')),
      })),
  );
}
