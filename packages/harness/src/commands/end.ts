import { isFinalStatus, type Session } from '@gsd/core';
import {
  DatabaseConnection,
  OwnerStore,
  SessionStore,
  terminateThroughHost,
  type HostAddress,
} from '@gsd/session-manager';
import { resolveDbPath, type CommonOptions } from '../config.js';
import { CliError } from '../errors.js';
import { loadOrCreateToken, readServerInfo } from '../server-info.js';
import { findSession } from '../session-lookup.js';

function describe(session: Pick<Session, 'status' | 'exitCode' | 'failureReason'>): string {
  return session.status === 'completed'
    ? `completed (exit ${session.exitCode ?? 0})`
    : `${session.status}${session.failureReason === null ? '' : `: ${session.failureReason}`}`;
}

/**
 * Ends a session: a durable one through its host (no server needed), any other through the harness
 * server running it.
 */
export async function endCommand(idOrPrefix: string, options: CommonOptions): Promise<void> {
  const connection = new DatabaseConnection(resolveDbPath(options));
  let session: Session;
  let address: HostAddress | undefined;
  let ownerPid: number | undefined;
  try {
    const sessions = new SessionStore(connection);
    session = findSession(sessions, idOrPrefix);
    address = sessions.hostAddress(session.id);
    const owners = new OwnerStore(connection);
    if (session.ownerId !== null && owners.isAlive(session.ownerId))
      ownerPid = owners.get(session.ownerId)?.pid;
  } finally {
    connection.close();
  }
  const short = session.id.slice(0, 8);
  if (isFinalStatus(session.status)) {
    process.stdout.write(`Session ${short} has already ended: ${describe(session)}\n`);
    return;
  }
  if (address !== undefined && ownerPid !== undefined) {
    process.stderr.write(`Ending session ${short} (SIGTERM, then SIGKILL if it has not exited in time)…\n`);
    const exit = await terminateThroughHost(address, session.id);
    if (exit === null) throw new CliError(`Session ${short}'s host went away before reporting the end`);
    process.stdout.write(`Session ${short} ${describe(exit)}\n`);
    return;
  }
  const server = readServerInfo();
  if (server !== undefined && ownerPid === server.pid) {
    const reply = await fetch(new URL(`/api/sessions/${session.id}`, server.url), {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${loadOrCreateToken()}` },
    });
    const body = (await reply.json()) as Session & { message?: string };
    if (!reply.ok) throw new CliError(body.message ?? `The server answered ${reply.status}`);
    process.stdout.write(`Session ${short} ${describe(body)}\n`);
    return;
  }
  if (ownerPid !== undefined) {
    throw new CliError(
      `Session ${short} is not durable and runs inside another harness process (pid ${ownerPid}); ` +
        'end it there (Ctrl-C for `gsd-harness run`)',
    );
  }
  throw new CliError(
    `Session ${short} is recorded as ${session.status}, but the harness that ran it is gone; ` +
      'the next harness start marks it failed',
  );
}
