import type { CheckpointRecord } from './checkpoint/types.js';
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

/** A listener threw; the others still ran. */
export interface ListenerErrorEvent {
  event: string;
  error: unknown;
}

/** Event name → payload for the session managers' typed emitters. */
export interface SessionEventMap {
  'listener:error': ListenerErrorEvent;
  'session:started': SessionStartedEvent;
  'session:output': SessionOutputEvent;
  'session:completed': SessionCompletedEvent;
  'session:failed': SessionFailedEvent;
}

/** A session stopped at a checkpoint and waits for an answer. */
export interface SessionWaitingEvent {
  type: 'session:waiting';
  session: Session;
  checkpoint: CheckpointRecord;
}

/** A session that waited at a checkpoint is working again. */
export interface SessionResumedEvent {
  type: 'session:resumed';
  session: Session;
}

/** Output or a status change could not be written to the database; it stays queued and is retried. */
export interface StorageErrorEvent {
  type: 'storage:error';
  error: unknown;
}

export interface PersistentSessionEventMap extends SessionEventMap {
  'recovery:complete': RecoveryResult;
  'storage:error': StorageErrorEvent;
  'session:waiting': SessionWaitingEvent;
  'session:resumed': SessionResumedEvent;
}
