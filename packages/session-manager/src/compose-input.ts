import { SessionError } from './errors.js';

/** The bytes to write for `input`, followed by exactly one carriage return (Enter) when `enter` is set. */
export function composeInput(input: string, enter = false): string {
  if (input === '' && !enter) {
    throw new SessionError('INVALID_ARGUMENT', 'Nothing to send: `input` is empty and `enter` is not set');
  }
  return enter ? `${input}\r` : input;
}
