import type { SessionStatus } from '@gsd/core';
import { viewCheckpoint, viewSession } from '@gsd/mcp-server';
import {
  MAX_WINDOW_BYTES,
  OUTPUT_FORMATS,
  readOutputWindow,
  SessionError,
  startSession,
  type OutputFormat,
} from '@gsd/session-manager';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

const STATUSES = ['idle', 'running', 'waiting', 'waiting_checkpoint', 'completed', 'failed'];

interface IdParams {
  id: string;
}

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1 } },
  required: ['id'],
} as const;

/** REST: list, start, get, read output, send input, end. Each route validates and calls the manager. */
export function registerSessionRoutes(app: FastifyInstance, context: ServerContext): void {
  const { manager } = context;
  const requireSession = (id: string) => {
    const session = manager.getSession(id);
    if (session === undefined)
      throw new SessionError('SESSION_NOT_FOUND', `No session with id ${JSON.stringify(id)}`);
    return session;
  };

  app.get<{ Querystring: { status?: string; limit?: number } }>(
    '/api/sessions',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: STATUSES },
            limit: { type: 'integer', minimum: 1, maximum: 500 },
          },
          additionalProperties: true,
        },
      },
    },
    async (request) => {
      const { status, limit } = request.query;
      const wanted = (status === 'waiting' ? 'waiting_checkpoint' : status) as SessionStatus | undefined;
      return {
        sessions: manager.listSessions({ status: wanted, limit: limit ?? 50 }).map(viewSession),
        slots: {
          max: manager.maxSessions,
          used: manager.activeCount,
          free: manager.maxSessions - manager.activeCount,
        },
      };
    },
  );

  app.post<{ Body: { workingDir: string; command?: string; prompt?: string; pty?: boolean } }>(
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
          properties: { input: { type: 'string', maxLength: 65536 }, enter: { type: 'boolean' } },
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
