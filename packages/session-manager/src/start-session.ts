import { randomUUID } from 'node:crypto';
import type { Session, SessionStatus } from '@gsd/core';
import { LIVE_STATUSES, quoteShellWord } from '@gsd/core';
import { SessionError } from './errors.js';
import type { SpawnOptions } from './session-manager.js';

/** Agent CLI run for `prompt` sessions unless configured otherwise. */
export const DEFAULT_AGENT_COMMAND = 'claude';

/** `$GSD_AGENT_COMMAND`, or `claude`. */
export function agentCommandFromEnv(): string {
  const configured = process.env.GSD_AGENT_COMMAND?.trim();
  return configured === undefined || configured === '' ? DEFAULT_AGENT_COMMAND : configured;
}

/** A request to start a session: a shell command, or a prompt for the agent CLI. */
export interface StartRequest {
  workingDir: string;
  command?: string;
  prompt?: string;
  pty?: boolean;
  /** Run under a session host that outlives the harness (default: the manager's own default). */
  durable?: boolean;
}

export interface SessionSpawner {
  spawn(workingDir: string, command: string, options?: SpawnOptions): Promise<Session>;
}

/** `durable` in spawn options only when the caller chose, so the manager's default applies otherwise. */
function durableOption(durable: boolean | undefined): Pick<SpawnOptions, 'durable'> {
  return durable === undefined ? {} : { durable };
}

/**
 * Starts a session from exactly one of `command` or `prompt`. A prompt runs the agent CLI with a new
 * conversation id (`--session-id <uuid>`, recorded as `agentSessionId` so it can be resumed) and the
 * prompt as its last argument, always in a PTY (agent CLIs are interactive terminal programs).
 */
export function startSession(
  manager: SessionSpawner,
  agentCommand: string,
  request: StartRequest,
): Promise<Session> {
  const hasCommand = typeof request.command === 'string' && request.command.trim() !== '';
  const hasPrompt = typeof request.prompt === 'string' && request.prompt.trim() !== '';
  if (hasCommand && hasPrompt) {
    throw new SessionError('INVALID_ARGUMENT', 'Give either `command` or `prompt`, not both');
  }
  if (!hasCommand && !hasPrompt) {
    throw new SessionError(
      'INVALID_ARGUMENT',
      'Give a non-empty `command` (a shell command line) or `prompt` (for the agent CLI)',
    );
  }
  if (hasPrompt) {
    if (request.pty === false) {
      throw new SessionError('INVALID_ARGUMENT', 'Agent sessions started with `prompt` always run in a PTY');
    }
    const agentSessionId = randomUUID();
    const line = `${agentCommand} --session-id ${agentSessionId} ${quoteShellWord(request.prompt as string)}`;
    return manager.spawn(request.workingDir, line, {
      pty: true,
      agentSessionId,
      ...durableOption(request.durable),
    });
  }
  return manager.spawn(request.workingDir, request.command as string, {
    pty: request.pty === true,
    ...durableOption(request.durable),
  });
}

/** A request to continue an ended agent session's conversation in a new session. */
export interface ResumeRequest {
  sessionId: string;
  /** Typed into the resumed conversation as its next message. */
  prompt?: string;
  durable?: boolean;
  /** Terminal size of the new session (default: the manager's). */
  cols?: number;
  rows?: number;
}

export interface SessionResumer extends SessionSpawner {
  getSession(sessionId: string): Session | undefined;
  listSessions(options: { status: readonly SessionStatus[] }): Session[];
}

/**
 * Starts a new session in the old one's directory running `<agent> --resume <agentSessionId>` (and the
 * prompt, if given), linked to the old session by `resumedFrom`. The old session must be an ended agent
 * session, and no live session may hold the same conversation.
 */
export function resumeSession(
  manager: SessionResumer,
  agentCommand: string,
  request: ResumeRequest,
): Promise<Session> {
  const previous = manager.getSession(request.sessionId);
  if (previous === undefined) {
    throw new SessionError('SESSION_NOT_FOUND', `No session with id ${JSON.stringify(request.sessionId)}`);
  }
  const agentSessionId = previous.agentSessionId;
  if (agentSessionId === null) {
    throw new SessionError(
      'NOT_RESUMABLE',
      `Session ${previous.id} was not started from a prompt; only agent sessions can be resumed`,
    );
  }
  if (LIVE_STATUSES.includes(previous.status)) {
    throw new SessionError(
      'SESSION_LIVE',
      `Session ${previous.id} is still running (${previous.status}); end it first, then resume it`,
    );
  }
  const holder = manager
    .listSessions({ status: LIVE_STATUSES })
    .find((s) => s.agentSessionId === agentSessionId && LIVE_STATUSES.includes(s.status));
  if (holder !== undefined) {
    throw new SessionError(
      'SESSION_LIVE',
      `The conversation of session ${previous.id} is already resumed in session ${holder.id}, which is still running; end that one first`,
    );
  }
  const hasPrompt = typeof request.prompt === 'string' && request.prompt.trim() !== '';
  const line =
    `${agentCommand} --resume ${quoteShellWord(agentSessionId)}` +
    (hasPrompt ? ` ${quoteShellWord(request.prompt as string)}` : '');
  return manager.spawn(previous.workingDir, line, {
    pty: true,
    agentSessionId,
    resumedFrom: previous.id,
    ...durableOption(request.durable),
    ...(request.cols !== undefined ? { cols: request.cols } : {}),
    ...(request.rows !== undefined ? { rows: request.rows } : {}),
  });
}
