/** Largest terminal width or height a client may ask for. */
export const MAX_TERMINAL_SIZE = 1000;
/** Longest input (in characters) one request or message may type into a session. */
export const MAX_INPUT_CHARS = 65536;
/** Longest text a session listing may filter on. */
export const MAX_FILTER_CHARS = 4096;

/** JSON schema of a terminal dimension. */
export const terminalSizeSchema = { type: 'integer', minimum: 1, maximum: MAX_TERMINAL_SIZE } as const;

/** Why `value` is not a usable terminal dimension, or undefined when it is. */
export function terminalSizeProblem(name: string, value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_TERMINAL_SIZE) {
    return undefined;
  }
  return `Expected ${name} to be an integer from 1 to ${MAX_TERMINAL_SIZE}, got ${JSON.stringify(value) ?? 'nothing'}`;
}
