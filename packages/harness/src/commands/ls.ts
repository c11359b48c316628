import type { Session, SessionStatus } from '@gsd/core';
import { CheckpointStore, DatabaseConnection, OwnerStore, SessionStore } from '@gsd/session-manager';
import { resolveDbPath, type CommonOptions } from '../config.js';
import { CliError } from '../errors.js';
import {
  formatDuration,
  formatTimestamp,
  renderTable,
  sessionDuration,
  shortenPath,
  truncate,
} from '../format.js';

const STATUSES: readonly SessionStatus[] = ['idle', 'running', 'waiting_checkpoint', 'completed', 'failed'];

export interface LsOptions extends CommonOptions {
  status?: string;
  limit?: string;
  json?: boolean;
  orphans?: boolean;
  grace?: string;
}

/** How long a durable session's host may go without a harness before `ls --orphans` lists it. */
export const DEFAULT_ORPHAN_GRACE_S = 60;

/** `--grace`, then `$GSD_HARNESS_ORPHAN_GRACE_S`, then 60 (seconds). */
function parseGraceMs(value: string | undefined): number {
  const raw = value ?? process.env.GSD_HARNESS_ORPHAN_GRACE_S;
  if (raw === undefined || raw === '') return DEFAULT_ORPHAN_GRACE_S * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new CliError(`Expected the grace period to be seconds (0 or more), got ${JSON.stringify(raw)}`, 2);
  }
  return seconds * 1000;
}

function parseLimit(value: string | undefined): number {
  if (value === undefined) return 20;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new CliError(`Expected --limit to be a positive integer, got ${JSON.stringify(value)}`, 2);
  }
  return limit;
}

function parseStatus(value: string | undefined): SessionStatus | undefined {
  if (value === undefined) return undefined;
  const status = value === 'waiting' ? 'waiting_checkpoint' : value;
  if (!STATUSES.includes(status as SessionStatus)) {
    throw new CliError(`Unknown status ${JSON.stringify(value)}; expected one of: ${STATUSES.join(', ')}`, 2);
  }
  return status as SessionStatus;
}

/** Status as shown: a waiting session with its checkpoint type; a live one whose harness is gone, marked. */
function displayStatus(session: Session, ownerAlive: boolean, checkpoints: CheckpointStore): string {
  if (session.endedAt === null && !ownerAlive) return `${session.status} (harness gone)`;
  if (session.status === 'waiting_checkpoint') {
    return `waiting (${checkpoints.latest(session.id)?.details.type ?? 'checkpoint'})`;
  }
  return session.status;
}

/** What the COMMAND column says before the command: the session whose conversation this one resumes. */
function commandNote(session: Session): string {
  return session.resumedFrom === null ? '' : `(resumes ${session.resumedFrom.slice(0, 8)}) `;
}

/**
 * Prints the durable sessions whose host still runs them but that no harness has been attached to for
 * longer than the grace period: they keep running and recording, and nobody is watching them.
 */
function listOrphans(connection: DatabaseConnection, graceMs: number, json: boolean): void {
  const owners = new OwnerStore(connection);
  const store = new SessionStore(connection);
  const now = Date.now();
  const orphans = store
    .findRunning()
    .filter((s) => s.durable && owners.isAlive(s.ownerId))
    .map((s) => ({ session: s, since: store.hostDetachedSince(s.id) }))
    .filter(
      (o): o is { session: Session; since: Date } => o.since !== null && now - o.since.getTime() >= graceMs,
    );
  if (json) {
    const rows = orphans.map(({ session, since }) => ({
      ...session,
      hostPid: owners.get(session.ownerId as string)?.pid ?? null,
      noHarnessSince: since.toISOString(),
    }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (orphans.length === 0) {
    process.stdout.write(
      `No orphaned durable sessions (none without a harness for ${graceMs / 1000} s or more).\n`,
    );
    return;
  }
  const rows = orphans.map(({ session, since }) => [
    session.id.slice(0, 8),
    session.status === 'waiting_checkpoint' ? 'waiting' : session.status,
    String(owners.get(session.ownerId as string)?.pid ?? '-'),
    formatDuration(now - since.getTime()),
    truncate(shortenPath(session.workingDir), 30),
    truncate(session.command, 50),
  ]);
  process.stdout.write(
    `${renderTable(['ID', 'STATUS', 'HOST PID', 'NO HARNESS FOR', 'DIR', 'COMMAND'], rows)}\n`,
  );
  process.stdout.write(
    'They keep running: `gsd-harness start` takes them back, `gsd-harness attach <id>` shows one, ' +
      '`gsd-harness end <id>` ends one.\n',
  );
}

/** Prints the most recent sessions as a table (or JSON). */
export function listCommand(options: LsOptions): void {
  const limit = parseLimit(options.limit);
  const status = parseStatus(options.status);
  const graceMs = parseGraceMs(options.grace);
  const connection = new DatabaseConnection(resolveDbPath(options));
  try {
    if (options.orphans === true) {
      listOrphans(connection, graceMs, options.json === true);
      return;
    }
    const owners = new OwnerStore(connection);
    const checkpoints = new CheckpointStore(connection);
    const sessions = new SessionStore(connection).list({ limit, status });
    const aliveByOwner = new Map<string | null, boolean>();
    const ownerAlive = (session: Session): boolean => {
      if (!aliveByOwner.has(session.ownerId))
        aliveByOwner.set(session.ownerId, owners.isAlive(session.ownerId));
      return aliveByOwner.get(session.ownerId) as boolean;
    };
    if (options.json === true) {
      const rows = sessions.map((s) => ({
        ...s,
        ownerAlive: s.endedAt === null ? ownerAlive(s) : null,
        checkpointType:
          s.status === 'waiting_checkpoint' ? (checkpoints.latest(s.id)?.details.type ?? null) : null,
      }));
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    if (sessions.length === 0) {
      process.stdout.write(status === undefined ? 'No sessions yet.\n' : `No ${status} sessions.\n`);
      return;
    }
    const width = Math.max(60, process.stdout.columns ?? 120);
    const rows = sessions.map((s) => [
      s.id.slice(0, 8),
      displayStatus(s, ownerAlive(s), checkpoints),
      s.exitCode !== null ? String(s.exitCode) : (s.signal ?? '-'),
      truncate(shortenPath(s.workingDir), 30),
      formatTimestamp(s.startedAt),
      formatDuration(sessionDuration(s)),
      truncate(commandNote(s) + s.command, Math.max(20, width - 95)),
    ]);
    process.stdout.write(
      `${renderTable(['ID', 'STATUS', 'EXIT', 'DIR', 'STARTED', 'DURATION', 'COMMAND'], rows)}\n`,
    );
  } finally {
    connection.close();
  }
}
