import type { Session } from '@gsd/core';
import {
  DatabaseConnection,
  HostConnection,
  OutputStore,
  OwnerStore,
  SCREEN_REPLAY_BYTES,
  SessionStore,
  rebuildScreen,
  type HostExit,
} from '@gsd/session-manager';
import { resolveDbPath, type CommonOptions } from '../config.js';
import { CliError } from '../errors.js';
import { findSession } from '../session-lookup.js';

export interface AttachOptions extends CommonOptions {
  tail?: string;
}

/** Ctrl-] detaches, as in telnet: a key agent CLIs and shells leave alone. */
export const DETACH_KEY = 0x1d;
/** What `attach` prints of an ended session when `--tail` is not given. */
const DEFAULT_TAIL_BYTES = 16 * 1024;

const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h\u001b[H\u001b[2J';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';

function parseTail(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TAIL_BYTES;
  const bytes = Number(value);
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new CliError(
      `Expected --tail to be a number of bytes (0 or more), got ${JSON.stringify(value)}`,
      2,
    );
  }
  return bytes;
}

function describeEnd(session: Pick<Session, 'status' | 'exitCode' | 'failureReason'>): string {
  return session.status === 'completed'
    ? `completed (exit ${session.exitCode ?? 0})`
    : `failed: ${session.failureReason ?? 'unknown reason'}`;
}

/** Prints the end of an ended session's output, from the start of a line. */
function printTail(output: OutputStore, session: Session, bytes: number): void {
  const slice = output.tail(session.id, bytes);
  let data = slice.data;
  const startsLine =
    slice.fromOffset === 0 || output.read(session.id, slice.fromOffset - 1, 1).data[0] === 0x0a;
  if (!startsLine) {
    const newline = data.indexOf(0x0a);
    if (newline !== -1) data = data.subarray(newline + 1);
  }
  process.stdout.write(data);
  process.stderr.write(
    `\n[gsd-harness] session ${session.id.slice(0, 8)} has ended: ${describeEnd(session)}\n`,
  );
}

/**
 * Attaches this terminal to a durable session: shows its current screen, then its live output;
 * keys and terminal size go to it; Ctrl-] detaches. An ended session's tail is printed instead.
 */
export async function attachCommand(idOrPrefix: string, options: AttachOptions): Promise<number> {
  const tailBytes = parseTail(options.tail);
  const connection = new DatabaseConnection(resolveDbPath(options));
  let session: Session;
  let host: HostConnection;
  let screen: string;
  try {
    const sessions = new SessionStore(connection);
    const output = new OutputStore(connection);
    session = findSession(sessions, idOrPrefix);
    if (session.endedAt !== null) {
      printTail(output, session, tailBytes);
      return 0;
    }
    const address = sessions.hostAddress(session.id);
    if (address === undefined) {
      const owner = session.ownerId === null ? undefined : new OwnerStore(connection).get(session.ownerId);
      throw new CliError(
        `Session ${session.id.slice(0, 8)} is not durable: it runs inside the harness process ` +
          `(pid ${owner?.pid ?? 'unknown'}), which is the only one that can reach it. Follow it with ` +
          `\`gsd-harness logs -f ${session.id.slice(0, 8)}\` or in the dashboard.`,
      );
    }
    host = await HostConnection.open(address, session.id, 'viewer');
    const { outputBytes, cols, rows } = host.welcome;
    const replay = Math.min(outputBytes, SCREEN_REPLAY_BYTES);
    const tail = output.read(session.id, outputBytes - replay, replay);
    screen = (
      await rebuildScreen(tail.data, cols ?? session.cols ?? 120, rows ?? session.rows ?? 40, outputBytes, {
        convertEol: session.mode === 'pipe',
      })
    ).data;
  } finally {
    connection.close();
  }
  return follow(session, host, screen);
}

/** Shows the screen and live output until the session ends, the host goes away or the user detaches. */
function follow(session: Session, host: HostConnection, screen: string): Promise<number> {
  const { stdin, stdout } = process;
  const interactive = stdin.isTTY === true && stdout.isTTY === true;
  const short = session.id.slice(0, 8);
  process.stderr.write(`[gsd-harness] attached to session ${short}; detach with Ctrl-]\n`);
  if (interactive) stdout.write(ENTER_ALTERNATE_SCREEN);
  stdout.write(screen);

  return new Promise<number>((resolve) => {
    let finished = false;
    const finish = (code: number, message: string): void => {
      if (finished) return;
      finished = true;
      stdin.off('data', onKeys);
      stdin.off('end', onInputEnd);
      stdout.off('resize', sendSize);
      if (interactive) {
        stdin.setRawMode(false);
        stdout.write(LEAVE_ALTERNATE_SCREEN);
      }
      stdin.pause();
      process.stderr.write(`[gsd-harness] ${message}\n`);
      void host.close().then(() => resolve(code));
    };
    const onKeys = (keys: Buffer): void => {
      const detachAt = interactive ? keys.indexOf(DETACH_KEY) : -1;
      if (detachAt === -1) {
        host.write(keys);
        return;
      }
      host.write(keys.subarray(0, detachAt));
      finish(0, `detached from session ${short}; it keeps running (gsd-harness attach ${short})`);
    };
    // Piped input: its end detaches (the session's input stays open).
    const onInputEnd = (): void => finish(0, `detached from session ${short} (end of input)`);
    const sendSize = (): void => {
      if (session.mode === 'pty' && stdout.columns > 0 && stdout.rows > 0) {
        host.send({ type: 'resize', cols: stdout.columns, rows: stdout.rows });
      }
    };

    host.start({
      onOutput: (_offset, bytes) => {
        if (!stdout.write(bytes)) {
          // The terminal is behind: read no more from the host until it catches up.
          host.pause();
          stdout.once('drain', () => host.resume());
        }
      },
      onResized: () => {},
      onExit: (exit: HostExit) => finish(0, `session ${short} ended: ${describeEnd(exit)}`),
      onClose: () => finish(1, `lost the connection to session ${short}'s host`),
      onError: (_code, message) => process.stderr.write(`[gsd-harness] ${message}\n`),
    });
    if (interactive) {
      stdin.setRawMode(true);
      sendSize();
      stdout.on('resize', sendSize);
    }
    stdin.on('data', onKeys);
    stdin.once('end', onInputEnd);
    stdin.resume();
  });
}
