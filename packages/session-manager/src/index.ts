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
export {
  readOutputWindow,
  OUTPUT_FORMATS,
  DEFAULT_WINDOW_BYTES,
  MAX_WINDOW_BYTES,
  SCREEN_REPLAY_BYTES,
} from './output/output-window.js';
export type { OutputFormat, OutputRequest, OutputWindow, OutputSource } from './output/output-window.js';
export { renderScreen, screenText } from './screen/render-screen.js';
export type { ScreenSnapshot } from './screen/render-screen.js';
export { waitForChange, validateWaitTimeout, MAX_WAIT_MS, DEFAULT_WAIT_MS } from './wait-for-change.js';
export type { WaitOptions, WaitResult, StatusChange } from './wait-for-change.js';
export { startSession, resumeSession, agentCommandFromEnv, DEFAULT_AGENT_COMMAND } from './start-session.js';
export type { StartRequest, ResumeRequest, SessionResumer, SessionSpawner } from './start-session.js';
export { composeInput } from './compose-input.js';
export { CheckpointStore } from './db/checkpoint-store.js';
export { CheckpointWatcher, DEFAULT_QUIET_MS } from './checkpoint/checkpoint-watcher.js';
export { ScreenMirror, rebuildScreen, MIRROR_SCROLLBACK_LINES } from './screen/screen-mirror.js';
export type { SerializedScreen, ScreenMirrorOptions } from './screen/screen-mirror.js';
export { validateWorkingDir } from './validate.js';
export { terminateThroughHost } from './host/terminate-through-host.js';
export { HostConnection, HOST_CONNECT_TIMEOUT_MS } from './host/host-connection.js';
export type { HostConnectionEvents, Welcome } from './host/host-connection.js';
export { defaultHostDir, untrustedSocketReason } from './host/host-address.js';
export type { HostExit, ClientRole } from './host/protocol.js';
export type { HostAddress } from './db/session-store.js';
