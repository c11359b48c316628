import { resumeSession } from '@gsd/session-manager';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ToolContext } from '../context.js';
import { runTool, viewSession } from '../result.js';
import { sessionIdSchema } from './get-session.js';

export function registerResumeSession(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'gsd_resume_session',
    {
      description:
        'Continue the agent conversation of an ended session started with `prompt`: starts a new session in ' +
        'the same directory running the agent CLI with `--resume <its conversation id>`, and the prompt as ' +
        'the next message if given. The new session has `resumedFrom` set to the old one. Returns it.',
      inputSchema: {
        sessionId: sessionIdSchema,
        prompt: z.string().optional().describe('Next message for the resumed conversation'),
      },
    },
    (request) =>
      runTool(async () => viewSession(await resumeSession(context.manager, context.agentCommand, request))),
  );
}
