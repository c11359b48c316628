import { MAX_WINDOW_BYTES, OUTPUT_FORMATS, readOutputWindow } from '@gsd/session-manager';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ToolContext } from '../context.js';
import { runTool } from '../result.js';
import { sessionIdSchema } from './get-session.js';

const size = (min: number) => z.number().int().min(min).max(MAX_WINDOW_BYTES);

export function registerGetOutput(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'gsd_get_output',
    {
      description:
        "Read a bounded window of a session's output. By default the last 16 KB as raw text. `tailBytes`: the " +
        'last N bytes; `fromOffset` (+ `maxBytes`): read forward, then continue from the returned ' +
        `\`nextOffset\`. At most ${MAX_WINDOW_BYTES} bytes per call. format: raw (exact text), text (terminal ` +
        'escapes stripped), screen (what the terminal shows now; best for full-screen programs like Claude Code).',
      inputSchema: {
        sessionId: sessionIdSchema,
        tailBytes: size(0).optional().describe('Return the last N bytes'),
        fromOffset: z.number().int().min(0).optional().describe('Read forward from this byte offset'),
        maxBytes: size(1).optional().describe('Bytes to read forward (default 16384)'),
        format: z
          .enum(OUTPUT_FORMATS as [string, ...string[]])
          .optional()
          .describe('raw | text | screen'),
      },
    },
    ({ sessionId, tailBytes, fromOffset, maxBytes, format }) =>
      runTool(() =>
        readOutputWindow(context.manager, sessionId, {
          tailBytes,
          fromOffset,
          maxBytes,
          format: format as 'raw' | 'text' | 'screen' | undefined,
        }),
      ),
  );
}
