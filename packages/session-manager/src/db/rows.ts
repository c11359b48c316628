import type { Session, SessionMode, SessionStatus } from '@gsd/core';

/** A `sessions` row as SQLite returns it. */
export interface SessionRow {
  id: string;
  slot: number | null;
  working_dir: string;
  command: string;
  mode: SessionMode;
  status: SessionStatus;
  pid: number | null;
  pid_start_time: string | null;
  owner_id: string | null;
  started_at: number;
  ended_at: number | null;
  exit_code: number | null;
  signal: string | null;
  failure_reason: string | null;
  output_bytes: number;
  cols: number | null;
  rows: number | null;
  host_socket: string | null;
  host_secret: string | null;
  host_detached_at: number | null;
  agent_session_id: string | null;
  resumed_from: string | null;
}

export function rowToSession(row: SessionRow): Session {
  return {
    id: row.id,
    slot: row.slot,
    workingDir: row.working_dir,
    command: row.command,
    mode: row.mode,
    status: row.status,
    pid: row.pid,
    pidStartTime: row.pid_start_time,
    ownerId: row.owner_id,
    startedAt: new Date(row.started_at),
    endedAt: row.ended_at === null ? null : new Date(row.ended_at),
    exitCode: row.exit_code,
    signal: row.signal,
    failureReason: row.failure_reason,
    outputBytes: row.output_bytes,
    cols: row.cols,
    rows: row.rows,
    durable: row.host_socket !== null,
    agentSessionId: row.agent_session_id,
    resumedFrom: row.resumed_from,
  };
}

/** Session field → column, for the fields `update` may change. */
export const UPDATABLE_COLUMNS = {
  slot: 'slot',
  status: 'status',
  pid: 'pid',
  pidStartTime: 'pid_start_time',
  ownerId: 'owner_id',
  endedAt: 'ended_at',
  exitCode: 'exit_code',
  signal: 'signal',
  failureReason: 'failure_reason',
  outputBytes: 'output_bytes',
  cols: 'cols',
  rows: 'rows',
} as const satisfies Partial<Record<keyof Session, string>>;

export type SessionUpdate = Partial<Pick<Session, keyof typeof UPDATABLE_COLUMNS>>;

export function toColumnValue(value: unknown): unknown {
  return value instanceof Date ? value.getTime() : value;
}
