import { composeInput } from '@gsd/session-manager';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ToolContext } from '../context.js';
import { runTool } from '../result.js';
import { sessionIdSchema } from './get-session.js';

export function registerSendInput(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'gsd_send_input',
    {
      description:
        'Type into a live session. `input` is written exactly as given; with `enter: true` one carriage ' +
        'return follows it (what pressing Enter sends). Nothing else is added.',
      inputSchema: {
        sessionId: sessionIdSchema,
        input: z
          .string()
          .max(64 * 1024)
          .describe('Text to write'),
        enter: z.boolean().optional().describe('Press Enter after the input (default false)'),
      },
    },
    ({ sessionId, input, enter }) =>
      runTool(() => {
        const text = composeInput(input, enter);
        context.manager.sendInput(sessionId, text);
        return { sessionId, bytesWritten: Buffer.byteLength(text) };
      }),
  );
}
