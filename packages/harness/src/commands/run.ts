import { constants } from 'node:os';
import type { Session } from '@gsd/core';
import { PersistentSessionManager } from '@gsd/session-manager';
import { resolveDbPath, type CommonOptions } from '../config.js';
import { CliError } from '../errors.js';
import { commandLineFromWords } from '../shell-words.js';

export interface RunOptions extends CommonOptions {
  pty?: boolean;
  dir?: string;
}

/** The exit status a shell would report for the session. */
export function exitStatusOf(session: Session): number {
  if (session.exitCode !== null && session.status !== 'failed') return session.exitCode;
  if (session.exitCode !== null && session.exitCode !== 0) return session.exitCode;
  if (session.signal !== null) {
    const number = constants.signals[session.signal as NodeJS.Signals];
    if (number !== undefined) return 128 + number;
  }
  return 1;
}

function writeOut(bytes: Uint8Array): void {
  process.stdout.write(bytes);
}

/** Runs one command as a recorded session, with its output on this terminal; resolves to its exit status. */
export async function runCommand(commandWords: string[], options: RunOptions): Promise<number> {
  const command = commandLineFromWords(commandWords);
  if (command.trim() === '') {
    throw new CliError('Expected a command after `--`, e.g. `gsd-harness run -- echo hello`', 2);
  }
  const manager = new PersistentSessionManager({ dbPath: resolveDbPath(options), maxSessions: 1 });
  const stdin = process.stdin;
  const interactive = stdin.isTTY === true;
  let restoreTerminal = (): void => {};
  try {
    manager.on('session:output', (event) => writeOut(event.bytes));
    const session = await manager.spawn(options.dir ?? process.cwd(), command, {
      pty: options.pty === true,
      cols: options.pty === true ? process.stdout.columns : undefined,
      rows: options.pty === true ? process.stdout.rows : undefined,
    });

    const ended = manager.waitForEnd(session.id);
    const forward = (data: Buffer): void => {
      try {
        manager.sendInput(session.id, data);
      } catch {
        // The session ended while input was arriving; nothing to do.
      }
    };
    stdin.on('data', forward);
    if (interactive && options.pty === true) {
      stdin.setRawMode(true);
      restoreTerminal = () => stdin.setRawMode(false);
    }
    if (!interactive) {
      // Piped input: its end is the session's end of input. A terminal keeps sessions interactive.
      stdin.once('end', () => {
        if (options.pty !== true) manager.endInput(session.id);
      });
    }
    const onResize = (): void => {
      if (process.stdout.columns && process.stdout.rows) {
        manager.resize(session.id, process.stdout.columns, process.stdout.rows);
      }
    };
    process.stdout.on('resize', onResize);
    const stop = (): void => {
      void manager.terminate(session.id);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.on('SIGHUP', stop);

    const final = await ended;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.off('SIGHUP', stop);
    process.stdout.off('resize', onResize);
    stdin.off('data', forward);
    stdin.pause();
    restoreTerminal();

    const summary =
      final.status === 'completed'
        ? `session ${final.id.slice(0, 8)} completed (exit 0)`
        : `session ${final.id.slice(0, 8)} failed: ${final.failureReason ?? 'unknown reason'}`;
    process.stderr.write(`[gsd-harness] ${summary}\n`);
    return exitStatusOf(final);
  } finally {
    restoreTerminal();
    await manager.close();
  }
}
