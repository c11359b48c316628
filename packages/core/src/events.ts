import type { RecoveryResult } from './recovery.js';
import type { Session, SessionOutput } from './session.js';

export interface SessionStartedEvent {
  type: 'session:started';
  session: Session;
}

export type SessionOutputEvent = SessionOutput & { type: 'session:output' };

export interface SessionCompletedEvent {
  type: 'session:completed';
  session: Session;
}

export interface SessionFailedEvent {
  type: 'session:failed';
  session: Session;
  reason: string;
}

export type SessionEvent =
  SessionStartedEvent | SessionOutputEvent | SessionCompletedEvent | SessionFailedEvent;

/** Event name → payload for the session managers' typed emitters. */
export interface SessionEventMap {
  'session:started': SessionStartedEvent;
  'session:output': SessionOutputEvent;
  'session:completed': SessionCompletedEvent;
  'session:failed': SessionFailedEvent;
}

/** Output or a status change could not be written to the database; it stays queued and is retried. */
export interface StorageErrorEvent {
  type: 'storage:error';
  error: unknown;
}

export interface PersistentSessionEventMap extends SessionEventMap {
  'recovery:complete': RecoveryResult;
  'storage:error': StorageErrorEvent;
}
