export { createMcpServer, SERVER_NAME, SERVER_VERSION } from './server.js';
export { serveStdio, proxyStdioToHttp } from './stdio.js';
export type { ToolContext } from './context.js';
export { viewSession } from './result.js';
export type { SessionView } from './result.js';
