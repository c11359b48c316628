import { isSessionError, type SessionErrorCode } from '@gsd/session-manager';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

const STATUS_BY_CODE: Partial<Record<SessionErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  WORKING_DIR_NOT_FOUND: 400,
  WORKING_DIR_NOT_DIRECTORY: 400,
  SESSION_NOT_FOUND: 404,
  SESSION_ENDED: 409,
  SESSION_NOT_OWNED: 409,
  NOT_WAITING: 409,
  NOT_RESUMABLE: 409,
  SESSION_LIVE: 409,
  SESSION_LIMIT: 429,
  MANAGER_CLOSED: 503,
};

/** Session errors become 4xx JSON with their code and message; anything else is a 500. */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (isSessionError(error)) {
    void reply.code(STATUS_BY_CODE[error.code] ?? 500).send({ error: error.code, message: error.message });
    return;
  }
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 500) request.log.error(error);
  void reply.code(status).send({ error: status >= 500 ? 'internal' : 'bad_request', message: error.message });
}
