import { FINAL_STATUSES, LIVE_STATUSES, type SessionStatus } from '@gsd/core';
import { viewCheckpoint, viewSession } from '@gsd/mcp-server';
import {
  MAX_WINDOW_BYTES,
  OUTPUT_FORMATS,
  readOutputWindow,
  resumeSession,
  SessionError,
  startSession,
  type OutputFormat,
} from '@gsd/session-manager';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { MAX_FILTER_CHARS, MAX_INPUT_CHARS, terminalSizeSchema } from '../limits.js';

/** `status` values a listing accepts, and the statuses each stands for. */
const STATUS_FILTERS: Record<string, readonly SessionStatus[]> = {
  idle: ['idle'],
  running: ['running'],
  waiting: ['waiting_checkpoint'],
  waiting_checkpoint: ['waiting_checkpoint'],
  completed: ['completed'],
  failed: ['failed'],
  live: LIVE_STATUSES,
  ended: FINAL_STATUSES,
};

/** An ISO 8601 date, optionally with a time and zone (`2025-01-31`, `2025-01-31T12:00:00.000Z`). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

function parseBefore(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!ISO_DATE.test(value) || Number.isNaN(date.getTime())) {
    throw new SessionError(
      'INVALID_ARGUMENT',
      `Expected before to be an ISO 8601 date-time such as 2025-01-31T12:00:00Z, got ${JSON.stringify(value)}`,
    );
  }
  return date;
}

/** An empty filter (a cleared search box) filters nothing. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

interface ListQuery {
  status?: string;
  dir?: string;
  q?: string;
  limit?: number;
  before?: string;
}

interface IdParams {
  id: string;
}

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1 } },
  required: ['id'],
} as const;

/** REST: list, start, resume, get, read output or the screen, send input, resize, end. Each route validates and calls the manager. */
export function registerSessionRoutes(app: FastifyInstance, context: ServerContext): void {
  const { manager } = context;
  const requireSession = (id: string) => {
    const session = manager.getSession(id);
    if (session === undefined)
      throw new SessionError('SESSION_NOT_FOUND', `No session with id ${JSON.stringify(id)}`);
    return session;
  };

  app.get<{ Querystring: ListQuery }>(
    '/api/sessions',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: Object.keys(STATUS_FILTERS) },
            dir: { type: 'string', maxLength: MAX_FILTER_CHARS },
            q: { type: 'string', maxLength: MAX_FILTER_CHARS },
            limit: { type: 'integer', minimum: 1, maximum: 500 },
            before: { type: 'string' },
          },
          additionalProperties: true,
        },
      },
    },
    async (request) => {
      const { status, dir, q, limit, before } = request.query;
      const sessions = manager.listSessions({
        status: status === undefined ? undefined : STATUS_FILTERS[status],
        workingDirContains: nonEmpty(dir),
        commandContains: nonEmpty(q),
        startedBefore: parseBefore(before),
        limit: limit ?? 50,
      });
      return {
        sessions: sessions.map(viewSession),
        slots: {
          max: manager.maxSessions,
          used: manager.activeCount,
          free: manager.maxSessions - manager.activeCount,
        },
      };
    },
  );

  app.post<{
    Body: { workingDir: string; command?: string; prompt?: string; pty?: boolean; durable?: boolean };
  }>(
    '/api/sessions',
    {
      schema: {
        body: {
          type: 'object',
          properties: {
            workingDir: { type: 'string' },
            command: { type: 'string' },
            prompt: { type: 'string' },
            pty: { type: 'boolean' },
            durable: { type: 'boolean' },
          },
          required: ['workingDir'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const session = await startSession(manager, context.agentCommand, request.body);
      return reply.code(201).send(viewSession(session));
    },
  );

  app.post<{ Params: IdParams; Body: { prompt?: string } }>(
    '/api/sessions/:id/resume',
    {
      // A resume without a prompt needs no body at all.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        params: idParams,
        body: {
          type: 'object',
          properties: { prompt: { type: 'string', maxLength: MAX_INPUT_CHARS } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const session = await resumeSession(manager, context.agentCommand, {
        sessionId: request.params.id,
        prompt: request.body.prompt,
      });
      return reply.code(201).send(viewSession(session));
    },
  );

  app.get<{ Params: IdParams }>('/api/sessions/:id', { schema: { params: idParams } }, async (request) =>
    viewSession(requireSession(request.params.id)),
  );

  app.get<{
    Params: IdParams;
    Querystring: { tailBytes?: number; fromOffset?: number; maxBytes?: number; format?: OutputFormat };
  }>(
    '/api/sessions/:id/output',
    {
      schema: {
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            tailBytes: { type: 'integer', minimum: 0, maximum: MAX_WINDOW_BYTES },
            fromOffset: { type: 'integer', minimum: 0 },
            maxBytes: { type: 'integer', minimum: 1, maximum: MAX_WINDOW_BYTES },
            format: { type: 'string', enum: [...OUTPUT_FORMATS] },
          },
          additionalProperties: true,
        },
      },
    },
    async (request) => readOutputWindow(manager, request.params.id, request.query),
  );

  app.post<{ Params: IdParams; Body: { input: string; enter?: boolean } }>(
    '/api/sessions/:id/input',
    {
      schema: {
        params: idParams,
        body: {
          type: 'object',
          properties: { input: { type: 'string', maxLength: MAX_INPUT_CHARS }, enter: { type: 'boolean' } },
          required: ['input'],
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const text = manager.type(
        request.params.id,
        request.body.input,
        request.body.enter === true,
        'dashboard',
      );
      return { sessionId: request.params.id, bytesWritten: Buffer.byteLength(text) };
    },
  );

  app.get<{ Params: IdParams }>(
    '/api/sessions/:id/screen',
    { schema: { params: idParams } },
    async (request) => {
      const { data, cols, rows, offset } = await manager.screenSnapshot(request.params.id);
      return { sessionId: request.params.id, cols, rows, offset, data };
    },
  );

  app.post<{ Params: IdParams; Body: { cols: number; rows: number } }>(
    '/api/sessions/:id/resize',
    {
      schema: {
        params: idParams,
        body: {
          type: 'object',
          properties: { cols: terminalSizeSchema, rows: terminalSizeSchema },
          required: ['cols', 'rows'],
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      // Pipe sessions and ended sessions have no terminal to resize: they are returned unchanged.
      manager.resize(request.params.id, request.body.cols, request.body.rows);
      return viewSession(requireSession(request.params.id));
    },
  );

  app.get<{ Params: IdParams }>(
    '/api/sessions/:id/checkpoint',
    { schema: { params: idParams } },
    async (request) => {
      const session = requireSession(request.params.id);
      const checkpoint = manager.getCheckpoint(session.id);
      return {
        sessionId: session.id,
        status: session.status,
        waiting: session.status === 'waiting_checkpoint',
        checkpoint: checkpoint === undefined ? null : viewCheckpoint(checkpoint),
      };
    },
  );

  app.post<{ Params: IdParams; Body: { response: string; responder?: 'cli' | 'dashboard' | 'mcp' } }>(
    '/api/sessions/:id/checkpoint/response',
    {
      schema: {
        params: idParams,
        body: {
          type: 'object',
          properties: {
            response: { type: 'string', maxLength: 16384 },
            responder: { type: 'string', enum: ['cli', 'dashboard', 'mcp'] },
          },
          required: ['response'],
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const { response, responder } = request.body;
      const checkpoint = manager.respondToCheckpoint(request.params.id, response, responder ?? 'dashboard');
      return { sessionId: request.params.id, checkpoint: viewCheckpoint(checkpoint) };
    },
  );

  app.delete<{ Params: IdParams }>('/api/sessions/:id', { schema: { params: idParams } }, async (request) =>
    viewSession(await manager.terminate(request.params.id)),
  );
}
