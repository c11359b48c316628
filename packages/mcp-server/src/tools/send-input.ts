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
        'Type into a live session. `input` is written exactly as given; with `enter: true` one Enter follows ' +
        'it (a carriage return on a terminal, a newline on a pipe). Nothing else is added. Typing into a ' +
        'session that waits at a checkpoint answers it (gsd_respond_checkpoint is the clearer way).',
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
        const text = context.manager.type(sessionId, input, enter === true, 'mcp');
        return { sessionId, bytesWritten: Buffer.byteLength(text) };
      }),
  );
}
