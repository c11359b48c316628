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
}

/** Sends a signal to a process group led by `pid`, falling back to the process alone. */
export function killProcessGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
    return;
  } catch {
    // No such group (already gone, or not a group leader): try the process itself.
  }
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
