export { PersistentSessionManager } from './persistent-session-manager.js';
export type { PersistentSessionManagerOptions, ListOptions } from './persistent-session-manager.js';
export {
  SessionManager,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_TERMINATE_GRACE_MS,
  DEFAULT_COLS,
  DEFAULT_ROWS,
} from './session-manager.js';
export type { SessionManagerOptions, SpawnOptions } from './session-manager.js';
export { DatabaseConnection, defaultDbPath, harnessHome } from './db/database.js';
export { SCHEMA_VERSION } from './db/migrations.js';
export { SessionStore } from './db/session-store.js';
export type { ListSessionsOptions } from './db/session-store.js';
export { OutputStore } from './db/output-store.js';
export type { OutputChunk, OutputSlice, OutputToAppend } from './db/output-store.js';
export { OutputWriter } from './db/output-writer.js';
export { OwnerStore } from './db/owner-store.js';
export type { Owner } from './db/owner-store.js';
export { recoverOrphanedSessions } from './recovery.js';
export { checkProcess, readProcessStartTime } from './process/identity.js';
export { SessionError, isSessionError } from './errors.js';
export type { SessionErrorCode } from './errors.js';
export type { RecoveryResult } from '@gsd/core';
