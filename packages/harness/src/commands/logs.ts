import { once } from 'node:events';
import { isFinalStatus } from '@gsd/core';
import { DatabaseConnection, OutputStore, OwnerStore, SessionStore } from '@gsd/session-manager';
import { resolveDbPath, type CommonOptions } from '../config.js';
import { CliError } from '../errors.js';
import { findSession } from '../session-lookup.js';

export interface LogsOptions extends CommonOptions {
  tail?: string;
  follow?: boolean;
}

/** How often `--follow` looks for new output. */
export const FOLLOW_POLL_MS = 200;
const READ_BYTES = 1024 * 1024;

function parseTail(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const bytes = Number(value);
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new CliError(
      `Expected --tail to be a number of bytes (0 or more), got ${JSON.stringify(value)}`,
      2,
    );
  }
  return bytes;
}

async function write(bytes: Uint8Array): Promise<void> {
  if (bytes.length === 0) return;
  if (!process.stdout.write(bytes)) await once(process.stdout, 'drain');
}

/** Prints a session's stored output (all, or the last bytes), optionally following it as it grows. */
export async function logsCommand(idOrPrefix: string, options: LogsOptions): Promise<void> {
  const tail = parseTail(options.tail);
  const connection = new DatabaseConnection(resolveDbPath(options));
  try {
    const sessions = new SessionStore(connection);
    const output = new OutputStore(connection);
    const owners = new OwnerStore(connection);
    const session = findSession(sessions, idOrPrefix);
    let offset = tail === undefined ? 0 : Math.max(0, output.totalBytes(session.id) - tail);
    for (;;) {
      // Read the status first: output committed before a final status is then read below.
      const current = sessions.get(session.id) ?? session;
      for (;;) {
        const slice = output.read(session.id, offset, READ_BYTES);
        await write(slice.data);
        offset = slice.nextOffset;
        if (slice.nextOffset >= slice.totalBytes) break;
      }
      if (options.follow !== true || isFinalStatus(current.status)) return;
      if (!owners.isAlive(current.ownerId)) {
        process.stderr.write(
          `\n[gsd-harness] session ${session.id.slice(0, 8)} is ${current.status} but the harness running it is gone; stopped following\n`,
        );
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
    }
  } finally {
    connection.close();
  }
}
