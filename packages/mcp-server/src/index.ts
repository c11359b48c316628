export { createMcpServer, SERVER_NAME, SERVER_VERSION } from './server.js';
export { serveStdio, proxyStdioToHttp } from './stdio.js';
export type { ToolContext } from './context.js';
export { viewSession, viewCheckpoint } from './result.js';
export type { SessionView, CheckpointView } from './result.js';
