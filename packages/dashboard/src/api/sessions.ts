import { query, request } from './http';
import type { CheckpointState, CheckpointView, OutputWindow, SessionList, SessionView } from './types';

export interface SessionQuery {
  status?: string;
  dir?: string;
  q?: string;
  limit?: number;
  before?: string;
}

export interface StartRequest {
  workingDir: string;
  command?: string;
  prompt?: string;
  pty?: boolean;
}

const path = (id: string, rest = ''): string => `/api/sessions/${encodeURIComponent(id)}${rest}`;

export function listSessions(filter: SessionQuery): Promise<SessionList> {
  return request('GET', `/api/sessions${query({ ...filter })}`);
}

export function getSession(id: string): Promise<SessionView> {
  return request('GET', path(id));
}

export function startSession(body: StartRequest): Promise<SessionView> {
  return request('POST', '/api/sessions', body);
}

/** Continues an ended agent session's conversation in a new session; resolves to the new one. */
export function resumeSession(id: string, prompt?: string): Promise<SessionView> {
  return request('POST', path(id, '/resume'), prompt === undefined ? {} : { prompt });
}

export function endSession(id: string): Promise<SessionView> {
  return request('DELETE', path(id));
}

export function readOutput(id: string, fromOffset: number, maxBytes: number): Promise<OutputWindow> {
  return request('GET', path(id, `/output${query({ fromOffset, maxBytes, format: 'raw' })}`));
}

export function sendInput(id: string, input: string, enter: boolean): Promise<{ bytesWritten: number }> {
  return request('POST', path(id, '/input'), { input, enter });
}

export function getCheckpoint(id: string): Promise<CheckpointState> {
  return request('GET', path(id, '/checkpoint'));
}

export function answerCheckpoint(
  id: string,
  response: string,
): Promise<{ sessionId: string; checkpoint: CheckpointView }> {
  return request('POST', path(id, '/checkpoint/response'), { response, responder: 'dashboard' });
}
