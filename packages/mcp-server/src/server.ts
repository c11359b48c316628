import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolContext } from './context.js';
import { registerEndSession } from './tools/end-session.js';
import { registerGetOutput } from './tools/get-output.js';
import { registerGetSession } from './tools/get-session.js';
import { registerListSessions } from './tools/list-sessions.js';
import { registerSendInput } from './tools/send-input.js';
import { registerStartSession } from './tools/start-session.js';
import { registerWaitForChange } from './tools/wait-for-change.js';
import { registerGetCheckpoint } from './tools/get-checkpoint.js';
import { registerGetState } from './tools/get-state.js';
import { registerRespondCheckpoint } from './tools/respond-checkpoint.js';
import { registerResumeSession } from './tools/resume-session.js';

export const SERVER_NAME = 'gsd-harness';
export const SERVER_VERSION = '0.1.0';

/** An MCP server exposing the `gsd_*` tools over `context.manager`. One per client connection. */
export function createMcpServer(context: ToolContext): McpServer {
  const server = new McpServer({ name: SERVER_NAME, version: SERVER_VERSION });
  registerStartSession(server, context);
  registerListSessions(server, context);
  registerGetSession(server, context);
  registerGetOutput(server, context);
  registerSendInput(server, context);
  registerEndSession(server, context);
  registerWaitForChange(server, context);
  registerGetState(server);
  registerGetCheckpoint(server, context);
  registerRespondCheckpoint(server, context);
  registerResumeSession(server, context);
  return server;
}
