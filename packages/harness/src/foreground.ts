import { constants } from 'node:os';
import type { Session } from '@gsd/core';
import { PersistentSessionManager } from '@gsd/session-manager';
import { resolveDbPath, type CommonOptions } from './config.js';
import { onStdoutClosed } from './stdout.js';

/** The terminal size to start a PTY session with: this terminal's, when there is one. */
export interface TerminalSize {
  cols?: number;
  rows?: number;
}

/** Starts the session to run in the foreground, on the manager that will run it. */
export type StartInForeground = (manager: PersistentSessionManager, size: TerminalSize) => Promise<Session>;

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

/** A terminal size, or none when stdout is not a terminal or reports 0×0. */
function terminalSize(): TerminalSize {
  const { columns, rows } = process.stdout;
  return columns > 0 && rows > 0 ? { cols: columns, rows } : {};
}

/**
 * Runs one session in this process with its output on this terminal and this terminal's input, size
 * changes and Ctrl-C going to it; prints a one-line summary to stderr and resolves to its exit status.
 */
export async function runInForeground(options: CommonOptions, start: StartInForeground): Promise<number> {
  const manager = new PersistentSessionManager({ dbPath: resolveDbPath(options), maxSessions: 1 });
  const stdin = process.stdin;
  const interactive = stdin.isTTY === true;
  const cleanups: (() => void)[] = [];
  try {
    const session = await start(manager, terminalSize());
    const pty = session.mode === 'pty';
    const ended = manager.waitForEnd(session.id);

    // Echo output; when the terminal falls behind, stop reading the session (as a terminal would)
    // rather than buffer without limit.
    let echo = true;
    const offOutput = manager.subscribe('session:output', (event) => {
      if (!echo) return;
      if (!process.stdout.write(event.bytes)) {
        manager.pause(session.id);
        process.stdout.once('drain', () => manager.resume(session.id));
      }
    });
    cleanups.push(offOutput);
    // The reader went away (`| head`): like SIGPIPE in a shell pipeline, end the session.
    onStdoutClosed(() => {
      echo = false;
      manager.resume(session.id);
      void manager.terminate(session.id);
    });
    cleanups.push(() => onStdoutClosed(undefined));

    let lastInput = 0x0a;
    const forward = (data: Buffer): void => {
      if (data.length > 0) lastInput = data[data.length - 1] as number;
      try {
        manager.sendInput(session.id, data);
      } catch {
        // The session ended while input was arriving.
      }
    };
    stdin.on('data', forward);
    cleanups.push(() => {
      stdin.off('data', forward);
      stdin.pause();
    });
    if (interactive && pty) {
      stdin.setRawMode(true);
      cleanups.push(() => stdin.setRawMode(false));
    }
    if (!interactive) {
      // The end of piped input is the end of the session's input (Ctrl-D on a terminal, after a
      // newline so that a partial last line is not swallowed).
      stdin.once('end', () => {
        try {
          if (pty && lastInput !== 0x0a && lastInput !== 0x0d) manager.sendInput(session.id, '\n');
          manager.endInput(session.id);
        } catch {
          // Already ended.
        }
      });
    }
    const onResize = (): void => {
      const size = terminalSize();
      if (size.cols !== undefined && size.rows !== undefined)
        manager.resize(session.id, size.cols, size.rows);
    };
    process.stdout.on('resize', onResize);
    cleanups.push(() => process.stdout.off('resize', onResize));
    const stop = (): void => {
      void manager.terminate(session.id);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(signal, stop);
      cleanups.push(() => process.off(signal, stop));
    }

    const final = await ended;
    const summary =
      final.status === 'completed'
        ? `session ${final.id.slice(0, 8)} completed (exit 0)`
        : `session ${final.id.slice(0, 8)} failed: ${final.failureReason ?? 'unknown reason'}`;
    process.stderr.write(`[gsd-harness] ${summary}\n`);
    return exitStatusOf(final);
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup();
    await manager.close();
  }
}
