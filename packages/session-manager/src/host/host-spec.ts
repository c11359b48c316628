/** What a session host is started with (as JSON on its standard input). */
export interface HostSpec {
  sessionId: string;
  dbPath: string;
  socketPath: string;
  secret: string;
  workingDir: string;
  command: string;
  pty: boolean;
  cols?: number;
  rows?: number;
  /** Variables added to the host's environment for the session's process. */
  env?: Record<string, string>;
  /**
   * The harness's environment when the session was started, which the host takes as its own: a
   * host started ahead of time would otherwise give the session the environment of that moment.
   */
  baseEnv?: Record<string, string>;
  /** The slot the harness reserved for the session. */
  slot: number | null;
  agentSessionId?: string;
  resumedFrom?: string;
  terminateGraceMs?: number;
  drainIdleMs?: number;
  drainMaxMs?: number;
  flushIntervalMs?: number;
  maxPendingBytes?: number;
}

/** The host's one line on standard output once it has started (or could not). */
export type HostReadyLine =
  { type: 'ready'; hostPid: number } | { type: 'failed'; code: string; message: string };
