import pty from 'node-pty';
import { SessionError } from '../errors.js';
import { killProcessGroup, type ChildCallbacks, type ChildHandle, type ChildSpawnOptions } from './child.js';
import { guardPtyClose } from './pty-close.js';
import { signalName } from './signals.js';

export interface PtySpawnOptions extends ChildSpawnOptions {
  cols: number;
  rows: number;
}

/**
 * Runs `command` under `/bin/sh -c` on a new pseudo-terminal, as the leader of its own session.
 * Output is delivered as raw bytes; exit is reported only after the terminal has been read to the end.
 */
export function spawnPty(options: PtySpawnOptions, callbacks: ChildCallbacks): ChildHandle {
  let terminal: pty.IPty;
  try {
    terminal = pty.spawn('/bin/sh', ['-c', options.command], {
      name: options.env.TERM ?? 'xterm-256color',
      cols: options.cols,
      rows: options.rows,
      cwd: options.cwd,
      env: options.env,
      encoding: null,
    });
  } catch (error) {
    throw new SessionError('SPAWN_FAILED', `Could not start a terminal: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const deliver = (bytes: Buffer | string): void => {
    callbacks.onData(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  };
  terminal.onData(deliver);
  const guard = guardPtyClose(terminal, deliver, { idleMs: options.drainIdleMs, maxMs: options.drainMaxMs });
  terminal.onExit(({ exitCode, signal }) => {
    const name = signalName(signal);
    callbacks.onExit({ exitCode: name === null ? exitCode : null, signal: name });
  });
  const pid = terminal.pid;
  let exited = false;
  terminal.onExit(() => {
    exited = true;
  });
  const forceClose = (): void => {
    if (!exited) guard.forceClose();
  };
  return {
    pid,
    write: (data) => {
      if (!exited) guard.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data));
    },
    endInput: () => {
      if (!exited) guard.write(Buffer.from([0x04]));
    },
    resize: (cols, rows) => {
      if (!exited) terminal.resize(cols, rows);
    },
    kill: (signal) => killProcessGroup(pid, signal),
    pause: () => terminal.pause(),
    resume: () => terminal.resume(),
    forceClose,
  };
}
