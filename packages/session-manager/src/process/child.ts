/** How a child process ended. */
export interface ChildExit {
  exitCode: number | null;
  /** Signal name, e.g. `SIGTERM`, when a signal ended the process. */
  signal: string | null;
}

export interface ChildCallbacks {
  onData(bytes: Buffer): void;
  /** Called once, after the process has exited and its output has been read to the end. */
  onExit(exit: ChildExit): void;
}

export interface ChildSpawnOptions {
  command: string;
  cwd: string;
  env: Record<string, string>;
  /**
   * After the process exits, how long to keep waiting for end-of-file on its output when no data
   * arrives (a background process may hold the output open forever).
   */
  drainIdleMs: number;
  /** After the process exits, the longest time to keep reading output in any case. */
  drainMaxMs: number;
}

/** A running child process, attached through pipes or a pseudo-terminal. */
export interface ChildHandle {
  readonly pid: number;
  write(data: string | Uint8Array): void;
  /** Closes the process's input (end-of-file on a pipe; Ctrl-D on a terminal). */
  endInput(): void;
  resize(cols: number, rows: number): void;
  /** Sends `signal` to the child's whole process group. */
  kill(signal: NodeJS.Signals): void;
  /** Stops reading output (the child blocks once the pipe or terminal buffer fills), for backpressure. */
  pause(): void;
  resume(): void;
  /** Stops waiting for output and reports the exit now (after SIGKILL, when output never ends). */
  forceClose(): void;
}

/**
 * Sends a signal to the process group led by `pid`, falling back to the process alone when
 * `fallbackToProcess` (only while the process is known not to have been reaped).
 */
export function killProcessGroup(pid: number, signal: NodeJS.Signals, fallbackToProcess = true): void {
  try {
    process.kill(-pid, signal);
    return;
  } catch {
    // No such group (already gone, or not a group leader).
  }
  if (!fallbackToProcess) return;
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
