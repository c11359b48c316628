export { startHarnessServer, DEFAULT_HOST, DEFAULT_PORT } from './server.js';
export type { HarnessServer, HarnessServerOptions } from './server.js';
export { TOKEN_COOKIE } from './auth.js';
export { WS_BATCH_MS, WS_MAX_BUFFERED_BYTES } from './ws.js';
