/** Lifecycle of a session: idle → running ⇄ waiting_checkpoint → completed | failed. */
export type SessionStatus = 'idle' | 'running' | 'waiting_checkpoint' | 'completed' | 'failed';

/** Statuses in which a session's process may still be alive. */
export const LIVE_STATUSES: readonly SessionStatus[] = ['idle', 'running', 'waiting_checkpoint'];

/** Statuses a session never leaves. */
export const FINAL_STATUSES: readonly SessionStatus[] = ['completed', 'failed'];

export function isFinalStatus(status: SessionStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** How a session's process is attached: plain pipes, or a pseudo-terminal for interactive programs. */
export type SessionMode = 'pipe' | 'pty';

export interface Session {
  id: string;
  /** Concurrency slot (1..maxSessions) held while the session is live; kept afterwards for reference. */
  slot: number | null;
  workingDir: string;
  /** The shell command line, run with `/bin/sh -c`. */
  command: string;
  mode: SessionMode;
  status: SessionStatus;
  pid: number | null;
  /** Identity of the process beyond its PID (start time), so a reused PID is not mistaken for it. */
  pidStartTime: string | null;
  /** The manager that started the session and owns its process. */
  ownerId: string | null;
  startedAt: Date;
  endedAt: Date | null;
  exitCode: number | null;
  /** Name of the signal that ended the process, e.g. `SIGKILL`. */
  signal: string | null;
  /** Why a failed session failed, in words. */
  failureReason: string | null;
  /** Bytes of output recorded so far. */
  outputBytes: number;
  /** Terminal size of a PTY session (null for pipes). */
  cols: number | null;
  rows: number | null;
  /** Held by a session host process: it outlives the harness that started it. */
  durable: boolean;
  /** The agent CLI's conversation id (`claude --session-id`), for resuming it later. */
  agentSessionId: string | null;
  /** The session whose agent conversation this one resumes. */
  resumedFrom: string | null;
}

/** One chunk of a session's output: the exact bytes, at their position in the session's byte stream. */
export interface SessionOutput {
  sessionId: string;
  /** Chunk number within the session, from 0. */
  seq: number;
  /** Byte offset of the first byte of this chunk within the session's output. */
  offset: number;
  bytes: Uint8Array;
  /**
   * The bytes decoded as UTF-8 for display. A multi-byte character split across chunks is held back
   * and appears whole in the next chunk's `data`, so concatenating `data` never yields broken characters.
   */
  data: string;
  timestamp: Date;
}
