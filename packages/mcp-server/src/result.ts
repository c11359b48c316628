import type { CheckpointDetails, CheckpointRecord, Session } from '@gsd/core';
import { isSessionError } from '@gsd/session-manager';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** A session as tools and the REST API report it. */
export interface SessionView {
  id: string;
  slot: number | null;
  status: Session['status'];
  pid: number | null;
  workingDir: string;
  command: string;
  mode: Session['mode'];
  exitCode: number | null;
  signal: string | null;
  failureReason: string | null;
  startedAt: string;
  endedAt: string | null;
  outputBytes: number;
  /** Terminal size of a PTY session (null for pipes). */
  cols: number | null;
  rows: number | null;
  /** Held by a session host process: it outlives the harness that started it. */
  durable: boolean;
  /** The agent CLI's conversation id (`--session-id`), set for sessions started from a prompt. */
  agentSessionId: string | null;
  /** The session whose agent conversation this one resumes. */
  resumedFrom: string | null;
}

export function viewSession(session: Session): SessionView {
  return {
    id: session.id,
    slot: session.slot,
    status: session.status,
    pid: session.pid,
    workingDir: session.workingDir,
    command: session.command,
    mode: session.mode,
    exitCode: session.exitCode,
    signal: session.signal,
    failureReason: session.failureReason,
    startedAt: session.startedAt.toISOString(),
    endedAt: session.endedAt?.toISOString() ?? null,
    outputBytes: session.outputBytes,
    cols: session.cols,
    rows: session.rows,
    durable: session.durable,
    agentSessionId: session.agentSessionId,
    resumedFrom: session.resumedFrom,
  };
}

/** A checkpoint as tools and the REST API report it. */
export interface CheckpointView extends Omit<CheckpointDetails, 'text'> {
  id: number;
  sessionId: string;
  detectedAt: string;
  response: string | null;
  respondedAt: string | null;
  responder: string | null;
  /** The screen text it was read from. */
  screen: string;
}

export function viewCheckpoint(record: CheckpointRecord): CheckpointView {
  const { text, ...details } = record.details;
  return {
    id: record.id,
    sessionId: record.sessionId,
    ...details,
    detectedAt: record.detectedAt.toISOString(),
    response: record.response,
    respondedAt: record.respondedAt?.toISOString() ?? null,
    responder: record.responder,
    screen: text,
  };
}

export function ok(value: object): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] };
}

/** A tool failure the model can read and act on. */
export function fail(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Runs a tool body, turning expected errors (bad input, wrong state) into `isError` results. */
export async function runTool(body: () => Promise<object> | object): Promise<CallToolResult> {
  try {
    return ok(await body());
  } catch (error) {
    if (isSessionError(error)) return fail(error.message);
    return fail(`Internal error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
