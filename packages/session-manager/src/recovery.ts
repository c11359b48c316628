import type { OrphanedSession, RecoveryResult, Session } from '@gsd/core';
import { OwnerStore } from './db/owner-store.js';
import type { SessionStore } from './db/session-store.js';
import { checkProcess } from './process/identity.js';

const LIVE: Session['status'][] = ['idle', 'running', 'waiting_checkpoint'];

export interface RecoveryOptions {
  /** Defaults to an OwnerStore on the session store's database. */
  ownerStore?: OwnerStore;
  now?: Date;
}

function orphanOf(session: Session): OrphanedSession {
  const process = checkProcess(session.pid, session.pidStartTime);
  const pid = session.pid ?? 'unknown';
  if (process === 'alive') {
    return {
      sessionId: session.id,
      cause: 'process_unreachable',
      reason:
        `the harness that ran it is gone; its process (pid ${pid}) is still running, ` +
        'but its input and output can no longer be reached (it was not killed)',
    };
  }
  return {
    sessionId: session.id,
    cause: 'process_gone',
    reason:
      process === 'reused'
        ? `the harness that ran it is gone and its process has exited (pid ${pid} now belongs to another process)`
        : `the harness that ran it is gone and its process (pid ${pid}) has exited`,
  };
}

/** Why a durable session whose host is gone failed: the host died without recording its end. */
function orphanOfHost(session: Session, owners: OwnerStore): OrphanedSession {
  const hostPid = (session.ownerId === null ? undefined : owners.get(session.ownerId))?.pid ?? 'unknown';
  const process = checkProcess(session.pid, session.pidStartTime);
  const pid = session.pid ?? 'unknown';
  const code = session.exitCode === null ? '' : ` (exit code ${session.exitCode})`;
  if (process === 'alive') {
    return {
      sessionId: session.id,
      cause: 'process_unreachable',
      reason:
        `its session host (pid ${hostPid}) is gone; its process (pid ${pid}) is still running, ` +
        'but its input and output can no longer be reached (it was not killed)',
    };
  }
  return {
    sessionId: session.id,
    cause: 'process_gone',
    reason: `its session host (pid ${hostPid}) is gone and its process (pid ${pid}) has exited${code}`,
  };
}

/**
 * Marks failed the sessions left `idle`, `running` or `waiting_checkpoint` by a manager that is no
 * longer running, recording why. Sessions of a live manager (another process on the same database)
 * are left alone. Processes are never killed: they may have finished cleanly without being recorded.
 */
export function recoverOrphanedSessions(
  sessionStore: SessionStore,
  options: RecoveryOptions = {},
): RecoveryResult {
  const owners = options.ownerStore ?? new OwnerStore(sessionStore.connection);
  const endedAt = options.now ?? new Date();
  const result: RecoveryResult = {
    orphanedCount: 0,
    markedFailed: [],
    recoveredSessions: [],
    orphans: [],
    skippedLiveOwner: [],
    reattached: [],
    reattachedSessions: [],
    notReattached: [],
  };
  for (const session of sessionStore.findRunning()) {
    if (owners.isAlive(session.ownerId)) {
      result.skippedLiveOwner.push(session.id);
      continue;
    }
    const orphan = session.durable ? orphanOfHost(session, owners) : orphanOf(session);
    const changed = sessionStore.update(
      session.id,
      { status: 'failed', endedAt, failureReason: orphan.reason },
      LIVE,
    );
    if (!changed) continue; // Its owner recorded the end meanwhile.
    result.orphans.push(orphan);
    result.markedFailed.push(session.id);
    result.recoveredSessions.push(sessionStore.get(session.id) as Session);
  }
  result.orphanedCount = result.markedFailed.length;
  return result;
}
