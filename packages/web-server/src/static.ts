import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Routes of the dashboard page: they hold no secrets, so they are served without a token. */
export const DASHBOARD_ROUTES: ReadonlySet<string> = new Set(['/', '/index.html', '/assets/*']);
/** Vite puts a content hash in every asset name, so an asset never changes under its name. */
const ASSET_MAX_AGE = '365d';

/** The built dashboard of the `@gsd/dashboard` package, or undefined if the package is not installed. */
export function defaultDashboardDir(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@gsd/dashboard/package.json')), 'dist');
  } catch {
    return undefined;
  }
}

/**
 * `GET /` (and `/index.html`) and `/assets/*`: the browser dashboard, built into `dir`. The page is
 * never cached (it names the current assets); the assets are cached for good.
 */
export async function registerDashboard(app: FastifyInstance, dir: string | undefined): Promise<void> {
  // Only `reply.sendFile`: the routes below decide what is served, and `send` keeps paths inside the root.
  await app.register(fastifyStatic, { serve: false });

  const sendIndex = async (_request: unknown, reply: FastifyReply): Promise<FastifyReply> => {
    if (dir === undefined || !existsSync(join(dir, 'index.html'))) {
      return reply.code(503).header('cache-control', 'no-store').send({
        error: 'dashboard_not_built',
        message: 'The dashboard is not built: run `pnpm build` in the gsd-harness checkout, then reload',
      });
    }
    return (
      reply
        .header('cache-control', 'no-store')
        // The page takes a token: no other site may frame it and trick someone into typing it there.
        .header('x-frame-options', 'DENY')
        .header('content-security-policy', "frame-ancestors 'none'")
        .sendFile('index.html', dir, { cacheControl: false })
    );
  };
  app.get('/', sendIndex);
  app.get('/index.html', sendIndex);
  app.get<{ Params: { '*': string } }>('/assets/*', async (request, reply) => {
    if (dir === undefined) return reply.callNotFound();
    return reply.sendFile(request.params['*'], join(dir, 'assets'), {
      maxAge: ASSET_MAX_AGE,
      immutable: true,
      dotfiles: 'deny',
    });
  });
}
