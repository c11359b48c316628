import { readPlanningState } from '@gsd/core';
import { validateWorkingDir } from '@gsd/session-manager';
import type { FastifyInstance } from 'fastify';

/** `GET /api/state?dir=…`: a project's GSD state, as `gsd_get_state` returns it. */
export function registerStateRoute(app: FastifyInstance): void {
  app.get<{ Querystring: { dir: string } }>(
    '/api/state',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { dir: { type: 'string', minLength: 1 } },
          required: ['dir'],
        },
      },
    },
    async (request) => readPlanningState(validateWorkingDir(request.query.dir)),
  );
}
