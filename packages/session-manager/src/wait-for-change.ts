import type { Session, SessionStatus } from '@gsd/core';
import { SessionError } from './errors.js';

/** Longest wait one call may ask for: MCP clients give up on a request after 60 s. */
export const MAX_WAIT_MS = 55_000;
export const DEFAULT_WAIT_MS = 30_000;
/** How often sessions of other processes (seen only through the database) are re-read. */
export const WAIT_POLL_MS = 250;

/** Statuses an orchestrator acts on: the session ended or waits for an answer. */
const SETTLED: readonly SessionStatus[] = ['completed', 'failed', 'waiting_checkpoint'];

export interface WaitOptions {
  /** Sessions to watch; all live sessions when omitted. */
  sessionIds?: readonly string[];
  timeoutMs?: number;
}

export interface StatusChange {
  session: Session;
  previousStatus: SessionStatus;
}

export interface WaitResult {
  /** Watched sessions whose status changed (or, when named, were already ended or waiting). */
  changes: StatusChange[];
  timedOut: boolean;
  /** Number of sessions watched. */
  watched: number;
}

/** What waiting needs from a manager. */
export interface WaitSource {
  getSession(sessionId: string): Session | undefined;
  /** Live sessions of every manager on the database. */
  liveSessions(): Session[];
  /** Calls `listener` whenever a session of this process changes status; returns a disposer. */
  onStatusChange(listener: () => void): () => void;
  /** Calls `listener` when the manager closes; returns a disposer. */
  onClose(listener: () => void): () => void;
}

export function validateWaitTimeout(timeoutMs: number | undefined): number {
  if (timeoutMs === undefined) return DEFAULT_WAIT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_WAIT_MS) {
    throw new SessionError(
      'INVALID_ARGUMENT',
      `Expected timeoutMs to be an integer from 0 to ${MAX_WAIT_MS}, got ${String(timeoutMs)}`,
    );
  }
  return timeoutMs;
}

/**
 * Resolves as soon as a watched session changes status, or when the timeout passes. Named sessions
 * that have already ended or are waiting for an answer are reported at once, so a caller that comes
 * back late does not wait for a change that has already happened.
 */
export function waitForChange(source: WaitSource, options: WaitOptions = {}): Promise<WaitResult> {
  const timeoutMs = validateWaitTimeout(options.timeoutMs);
  const baseline = new Map<string, SessionStatus>();
  if (options.sessionIds !== undefined) {
    const settled: StatusChange[] = [];
    for (const id of new Set(options.sessionIds)) {
      const session = source.getSession(id);
      if (session === undefined) {
        throw new SessionError('SESSION_NOT_FOUND', `No session with id ${JSON.stringify(id)}`);
      }
      baseline.set(id, session.status);
      if (SETTLED.includes(session.status)) settled.push({ session, previousStatus: session.status });
    }
    if (settled.length > 0)
      return Promise.resolve({ changes: settled, timedOut: false, watched: baseline.size });
  } else {
    for (const session of source.liveSessions()) baseline.set(session.id, session.status);
  }
  if (baseline.size === 0) return Promise.resolve({ changes: [], timedOut: false, watched: 0 });

  return new Promise((resolve) => {
    const check = (): void => {
      const changes: StatusChange[] = [];
      try {
        for (const [id, previousStatus] of baseline) {
          const session = source.getSession(id);
          if (session !== undefined && session.status !== previousStatus)
            changes.push({ session, previousStatus });
        }
      } catch {
        // The database is closed or busy: report nothing now (closing ends the wait).
        return;
      }
      if (changes.length > 0) finish({ changes, timedOut: false, watched: baseline.size });
    };
    const finish = (result: WaitResult): void => {
      clearTimeout(timer);
      clearInterval(poll);
      dispose();
      disposeClose();
      resolve(result);
    };
    const dispose = source.onStatusChange(check);
    const disposeClose = source.onClose(() =>
      finish({ changes: [], timedOut: true, watched: baseline.size }),
    );
    const poll = setInterval(check, WAIT_POLL_MS);
    const timer = setTimeout(
      () => finish({ changes: [], timedOut: true, watched: baseline.size }),
      timeoutMs,
    );
  });
}
