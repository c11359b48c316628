import { startSession } from '@gsd/session-manager';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ToolContext } from '../context.js';
import { runTool, viewSession } from '../result.js';

export function registerStartSession(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'gsd_start_session',
    {
      description:
        'Start a session in a working directory. Give exactly one of `command` (a shell command line) or ' +
        '`prompt` (run the agent CLI, e.g. Claude Code, with this prompt in a terminal, such as ' +
        '"/gsd:execute-plan .planning/phases/02-x/02-03-PLAN.md"). Returns the session with its id.',
      inputSchema: {
        workingDir: z.string().describe('Absolute path of an existing directory to run in'),
        command: z.string().optional().describe('Shell command line, run with /bin/sh -c'),
        prompt: z.string().optional().describe('Prompt for the agent CLI; the session runs in a PTY'),
        pty: z.boolean().optional().describe('Run `command` in a pseudo-terminal (default false)'),
        durable: z
          .boolean()
          .optional()
          .describe(
            'Run under a session host that outlives the harness (default: true through the harness server, ' +
              'false for a standalone `gsd-harness mcp`)',
          ),
      },
    },
    (request) =>
      runTool(async () => viewSession(await startSession(context.manager, context.agentCommand, request))),
  );
}
