import type { Session } from './session.js';

/** Why recovery marked a session failed. */
export type OrphanCause = 'process_gone' | 'process_unreachable';

export interface OrphanedSession {
  sessionId: string;
  cause: OrphanCause;
  reason: string;
}

/** What startup recovery found among sessions a previous harness left live. */
export interface RecoveryResult {
  orphanedCount: number;
  /** IDs of sessions marked failed. */
  markedFailed: string[];
  /** The sessions marked failed, as stored after recovery. */
  recoveredSessions: Session[];
  /** Per session: whether its process was gone or alive but out of reach. */
  orphans: OrphanedSession[];
  /**
   * Live sessions left alone because the process that owns them is still running: another harness,
   * or the session host of a durable session that was not re-attached.
   */
  skippedLiveOwner: string[];
  /** Durable sessions whose host answered and that this manager took over, status kept. */
  reattached: string[];
  /** The re-attached sessions as they were when taken over. */
  reattachedSessions: Session[];
  /** Durable sessions with a live host that could not be re-attached, and why. */
  notReattached: NotReattached[];
}

/** A durable session left alone by re-attaching. */
export interface NotReattached {
  sessionId: string;
  reason: string;
  /** The process at the host's socket could not prove it is the session's host. */
  untrusted: boolean;
}
