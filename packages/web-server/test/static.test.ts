import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDashboardDir } from '../src/static.js';
import { rawRequest, startTestServer, type TestServer } from './helpers/server.js';

const INDEX_HTML =
  '<!doctype html><html><body><div id="root"></div><script src="/assets/app.js"></script></body></html>';
const SECRET = 'never-serve-this-secret';

/** A built dashboard as Vite lays it out, inside a directory that also holds files not to serve. */
function makeDashboard(root: string): string {
  const dir = join(root, 'dist');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), INDEX_HTML);
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("dashboard");\n');
  writeFileSync(join(dir, 'assets', 'app.css'), 'body { margin: 0; }\n');
  writeFileSync(join(dir, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
  writeFileSync(join(dir, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  writeFileSync(join(dir, 'assets', 'app.js.map'), '{"version":3}');
  writeFileSync(join(dir, 'assets', '.env'), SECRET);
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  writeFileSync(join(root, 'package.json'), `{"name": "${SECRET}"}`);
  return dir;
}

describe('static dashboard', () => {
  let root: string;
  let test: TestServer;
  const servers: TestServer[] = [];

  async function start(dashboardDir: string): Promise<TestServer> {
    const server = await startTestServer({ dashboardDir });
    servers.push(server);
    return server;
  }

  function get(path: string, headers: Record<string, string> = {}) {
    return rawRequest(test.port, path, { host: `127.0.0.1:${test.port}`, ...headers });
  }

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'gsd-dashboard-dist-'));
    test = await start(makeDashboard(root));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / and /index.html without a token, never cached', async () => {
    for (const path of ['/', '/index.html']) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.body).toBe(INDEX_HTML);
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    const head = await rawRequest(test.port, '/', { host: `127.0.0.1:${test.port}` }, 'HEAD');
    expect(head.status).toBe(200);
  });

  it('serves assets without a token, with their content types and a long cache', async () => {
    const expected: Record<string, RegExp> = {
      '/assets/app.js': /^(text|application)\/javascript/,
      '/assets/app.css': /^text\/css/,
      '/assets/logo.svg': /^image\/svg\+xml/,
      '/assets/font.woff2': /^font\/woff2/,
      '/assets/app.js.map': /^application\/json/,
    };
    for (const [path, type] of Object.entries(expected)) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers['content-type'], path).toMatch(type);
      expect(response.headers['cache-control'], path).toMatch(/max-age=31536000/);
      expect(response.headers['cache-control'], path).toMatch(/immutable/);
    }
    expect((await get('/assets/app.js')).body).toBe('console.log("dashboard");\n');
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('sets no cookie for a valid ?token=, and serves the page for a wrong one', async () => {
    const valid = await get(`/?token=${encodeURIComponent(test.token)}`);
    expect(valid.status).toBe(200);
    expect(valid.headers['set-cookie']).toBeUndefined();
    expect(valid.body).toBe(INDEX_HTML);

    const wrong = await get('/?token=wrong');
    expect(wrong.status).toBe(200);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.body).toBe(INDEX_HTML);
  });

  it('keeps the token on everything else, and the Host and Origin checks on the page', async () => {
    for (const path of ['/api/sessions', '/health', '/favicon.ico', '/index.htm', '/assets']) {
      const response = await get(path);
      expect(response.status, path).toBe(401);
    }
    const post = await rawRequest(test.port, '/', { host: `127.0.0.1:${test.port}` }, 'POST');
    expect(post.status).toBe(401);

    const foreignHost = await rawRequest(test.port, '/', { host: `evil.example:${test.port}` });
    expect(foreignHost.status).toBe(403);
    expect(foreignHost.body).not.toContain('<html>');
    const foreignAsset = await rawRequest(test.port, '/assets/app.js', { host: `evil.example:${test.port}` });
    expect(foreignAsset.status).toBe(403);
    const foreignOrigin = await get('/', { origin: 'http://evil.example' });
    expect(foreignOrigin.status).toBe(403);
  });

  it('serves nothing outside the assets folder', async () => {
    const attempts = [
      '/assets/../../package.json',
      '/assets/../secret.txt',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/%2e%2e%2fsecret.txt',
      '/assets/....//secret.txt',
      '/assets/.env',
      `/assets/${encodeURIComponent(join(root, 'package.json'))}`,
      '/assets//etc/passwd',
      '/assets/../../../../../../etc/passwd',
      '/assets/../api/sessions',
      '/assets/%00',
    ];
    for (const path of attempts) {
      const response = await get(path);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.body, path).not.toContain(SECRET);
      expect(response.body, path).not.toContain('root:');
      expect(response.body, path).not.toContain('"sessions"');
    }
  });

  it('answers 503 with what to do when the dashboard is not built', async () => {
    const missing = await start(join(root, 'no-such-dist'));
    const empty = join(root, 'empty-dist');
    mkdirSync(empty);
    const withoutIndex = await start(empty);
    for (const server of [missing, withoutIndex]) {
      for (const path of ['/', '/index.html']) {
        const response = await rawRequest(server.port, path, { host: `127.0.0.1:${server.port}` });
        expect(response.status, path).toBe(503);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(JSON.parse(response.body)).toMatchObject({
          error: 'dashboard_not_built',
          message: expect.stringContaining('pnpm build'),
        });
      }
      const asset = await rawRequest(server.port, '/assets/app.js', { host: `127.0.0.1:${server.port}` });
      expect(asset.status).toBe(404);
    }
  });

  it('finds the dashboard package by default', () => {
    expect(defaultDashboardDir()).toMatch(new RegExp(`${sep}dashboard${sep}dist$`));
  });
});
