import type { Session } from '@gsd/core';
import { quoteShellWord } from '@gsd/core';
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
}

export interface SessionSpawner {
  spawn(workingDir: string, command: string, options?: SpawnOptions): Promise<Session>;
}

/**
 * Starts a session from exactly one of `command` or `prompt`. A prompt runs the agent CLI with the
 * prompt as its one argument, always in a PTY (agent CLIs are interactive terminal programs).
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
    const line = `${agentCommand} ${quoteShellWord(request.prompt as string)}`;
    return manager.spawn(request.workingDir, line, { pty: true });
  }
  return manager.spawn(request.workingDir, request.command as string, { pty: request.pty === true });
}
