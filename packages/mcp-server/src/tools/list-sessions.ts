import type { SessionStatus } from '@gsd/core';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ToolContext } from '../context.js';
import { runTool, viewSession } from '../result.js';

const STATUS_FILTERS = ['idle', 'running', 'waiting', 'waiting_checkpoint', 'completed', 'failed'] as const;

export function registerListSessions(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'gsd_list_sessions',
    {
      description:
        'List sessions, newest first: live ones and history, with free session slots. Filter by status.',
      inputSchema: {
        status: z.enum(STATUS_FILTERS).optional().describe('Only sessions with this status'),
        limit: z.number().int().min(1).max(500).optional().describe('At most this many (default 50)'),
      },
    },
    ({ status, limit }) =>
      runTool(() => {
        const wanted: SessionStatus | undefined = status === 'waiting' ? 'waiting_checkpoint' : status;
        const { manager } = context;
        const sessions = manager.listSessions({ status: wanted, limit: limit ?? 50 });
        return {
          sessions: sessions.map(viewSession),
          slots: {
            max: manager.maxSessions,
            used: manager.activeCount,
            free: manager.maxSessions - manager.activeCount,
          },
        };
      }),
  );
}
