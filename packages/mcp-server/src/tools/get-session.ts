import { SessionError } from '@gsd/session-manager';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ToolContext } from '../context.js';
import { runTool, viewSession } from '../result.js';

export const sessionIdSchema = z.string().min(1).describe('Session id, as returned by gsd_start_session');

export function registerGetSession(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'gsd_get_session',
    {
      description:
        'Get one session: status, exit code, signal, failure reason, start and end times, bytes of output.',
      inputSchema: { sessionId: sessionIdSchema },
    },
    ({ sessionId }) =>
      runTool(() => {
        const session = context.manager.getSession(sessionId);
        if (session === undefined) {
          throw new SessionError('SESSION_NOT_FOUND', `No session with id ${JSON.stringify(sessionId)}`);
        }
        return viewSession(session);
      }),
  );
}
