import { DEFAULT_WAIT_MS, MAX_WAIT_MS } from '@gsd/session-manager';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ToolContext } from '../context.js';
import { runTool, viewCheckpoint, viewSession } from '../result.js';

export function registerWaitForChange(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'gsd_wait_for_change',
    {
      description:
        'Wait until a watched session changes status (completes, fails, starts waiting at a checkpoint — the ' +
        'checkpoint is included — or resumes), ' +
        `or until timeoutMs passes (default ${DEFAULT_WAIT_MS}, at most ${MAX_WAIT_MS}). Watches all live ` +
        'sessions when sessionIds is omitted. Named sessions that already ended are reported at once. ' +
        'Use this instead of polling gsd_get_session in a loop.',
      inputSchema: {
        sessionIds: z.array(z.string().min(1)).max(100).optional().describe('Sessions to watch'),
        timeoutMs: z.number().int().min(0).max(MAX_WAIT_MS).optional().describe('How long to wait'),
      },
    },
    ({ sessionIds, timeoutMs }) =>
      runTool(async () => {
        const result = await context.manager.waitForChange({ sessionIds, timeoutMs });
        return {
          timedOut: result.timedOut,
          watched: result.watched,
          changes: result.changes.map((change) => {
            const checkpoint =
              change.session.status === 'waiting_checkpoint'
                ? context.manager.getCheckpoint(change.session.id)
                : undefined;
            return {
              previousStatus: change.previousStatus,
              session: viewSession(change.session),
              ...(checkpoint === undefined ? {} : { checkpoint: viewCheckpoint(checkpoint) }),
            };
          }),
        };
      }),
  );
}
