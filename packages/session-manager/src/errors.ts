/** Machine-readable codes for errors callers are expected to handle. */
export type SessionErrorCode =
  | 'INVALID_ARGUMENT'
  | 'WORKING_DIR_NOT_FOUND'
  | 'WORKING_DIR_NOT_DIRECTORY'
  | 'SESSION_LIMIT'
  | 'SESSION_NOT_FOUND'
  | 'SESSION_ENDED'
  | 'SESSION_NOT_OWNED'
  | 'NOT_WAITING'
  | 'NOT_RESUMABLE'
  | 'SESSION_LIVE'
  | 'SPAWN_FAILED'
  | 'HOST_START_FAILED'
  | 'HOST_UNREACHABLE'
  | 'HOST_UNTRUSTED'
  | 'DATABASE_OPEN_FAILED'
  | 'DATABASE_TOO_NEW'
  | 'MANAGER_CLOSED';

/** An error with a stable `code`, raised for bad input or a request the current state cannot satisfy. */
export class SessionError extends Error {
  readonly code: SessionErrorCode;

  constructor(code: SessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SessionError';
    this.code = code;
  }
}

export function isSessionError(error: unknown, code?: SessionErrorCode): error is SessionError {
  return error instanceof SessionError && (code === undefined || error.code === code);
}
