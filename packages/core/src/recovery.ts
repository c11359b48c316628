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
  /** Live sessions left alone because the manager that owns them is still running. */
  skippedLiveOwner: string[];
}
