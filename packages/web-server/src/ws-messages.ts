import { MAX_INPUT_CHARS, terminalSizeProblem } from './limits.js';

/** What a WebSocket client may send. */
export type ClientMessage =
  | { type: 'subscribe'; sessionId: string }
  | { type: 'unsubscribe'; sessionId: string }
  /** Keystrokes for a live session, written as given (no Enter added). */
  | { type: 'input'; sessionId: string; data: string }
  | { type: 'resize'; sessionId: string; cols: number; rows: number };

export type ParsedMessage =
  { message: ClientMessage; error?: undefined } | { error: string; sessionId?: string; message?: undefined };

const USAGE = 'Expected {"type": "subscribe" | "unsubscribe" | "input" | "resize", "sessionId": "…", …}';

/** Checks a client's message, or says in words what is wrong with it. */
export function parseClientMessage(raw: string): ParsedMessage {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { error: 'Messages must be JSON' };
  }
  // Valid JSON need not be an object (`null` would otherwise throw further on).
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: USAGE };
  const fields = value as Record<string, unknown>;
  const { type, sessionId } = fields;
  if (typeof sessionId !== 'string' || sessionId === '') return { error: USAGE };
  switch (type) {
    case 'subscribe':
    case 'unsubscribe':
      return { message: { type, sessionId } };
    case 'input': {
      const { data } = fields;
      if (typeof data !== 'string' || data === '' || data.length > MAX_INPUT_CHARS) {
        return {
          sessionId,
          error: `Expected input data to be a string of 1 to ${MAX_INPUT_CHARS} characters`,
        };
      }
      return { message: { type, sessionId, data } };
    }
    case 'resize': {
      const { cols, rows } = fields;
      const problem = terminalSizeProblem('cols', cols) ?? terminalSizeProblem('rows', rows);
      if (problem !== undefined) return { sessionId, error: problem };
      return { message: { type, sessionId, cols: cols as number, rows: rows as number } };
    }
    default:
      return { sessionId, error: `Unknown message type ${JSON.stringify(type)}` };
  }
}
