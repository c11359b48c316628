import { SessionError } from './errors.js';

/**
 * The bytes to write for `input`, followed by exactly one Enter when `enter` is set: a carriage return
 * on a terminal (what the Enter key sends), a newline on a pipe (where nothing translates it).
 */
export function composeInput(input: string, enter = false, mode: 'pipe' | 'pty' = 'pty'): string {
  if (input === '' && !enter) {
    throw new SessionError('INVALID_ARGUMENT', 'Nothing to send: `input` is empty and `enter` is not set');
  }
  if (!enter) return input;
  return `${input}${mode === 'pipe' ? '\n' : '\r'}`;
}
