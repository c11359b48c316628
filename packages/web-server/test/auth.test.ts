import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadOrCreateToken, tokenPath } from '../../harness/src/server-info.js';
import { TOKEN_COOKIE } from '../src/index.js';
import { rawRequest, startTestServer, type TestServer } from './helpers/server.js';

/** How a WebSocket upgrade attempt ended: opened, or refused with an HTTP status (or a socket error). */
type UpgradeOutcome = { opened: true } | { opened: false; status: number | undefined; body: string };

function tryWebSocket(url: string, headers: Record<string, string>): Promise<UpgradeOutcome> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      socket.close();
      resolve({ opened: true });
    });
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        socket.terminate();
        resolve({ opened: false, status: response.statusCode, body });
      });
    });
    socket.once('error', () => resolve({ opened: false, status: undefined, body: '' }));
  });
}

function nonLoopbackIPv4(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return undefined;
}

/** Resolves with the error code of a TCP connection attempt, or 'connected'. */
function connectOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

/** Sends a WebSocket upgrade request on a raw socket; resolves with what the server wrote once it closes. */
function rawUpgrade(port: number, headers: Record<string, string>, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`server kept the connection open; received ${JSON.stringify(received)}`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    const lines = [
      'GET /ws HTTP/1.1',
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      `Sec-WebSocket-Key: ${Buffer.from('0123456789abcdef').toString('base64')}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

describe('access control', () => {
  let test: TestServer;

  beforeEach(async () => {
    test = await startTestServer();
  });
  afterEach(async () => {
    await test.close();
  });

  describe('token', () => {
    it('rejects a request without a token with 401 and a JSON error', async () => {
      const response = await fetch(`${test.url}/api/sessions`);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as { error: string; message: string };
      expect(body.error).toBe('unauthorized');
      expect(body.message).toMatch(/token is required/);
    });

    it('rejects a wrong token with 401', async () => {
      const wrong = await test.api('/api/sessions', { headers: { authorization: 'Bearer not-the-token' } });
      expect(wrong.status).toBe(401);
      expect(((await wrong.json()) as { message: string }).message).toMatch(/not valid/);
      // Same length as the real token, one character different.
      const almost = `${test.token.slice(0, -1)}${test.token.endsWith('A') ? 'B' : 'A'}`;
      const near = await test.api('/health', { headers: { authorization: `Bearer ${almost}` } });
      expect(near.status).toBe(401);
      const query = await fetch(`${test.url}/health?token=${encodeURIComponent(almost)}`);
      expect(query.status).toBe(401);
      expect(query.headers.get('set-cookie')).toBeNull();
    });

    it('accepts the bearer header', async () => {
      const response = await test.api('/api/sessions');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ sessions: [] });
    });

    it('accepts ?token= without setting a cookie, and never takes the token from a cookie', async () => {
      const response = await fetch(`${test.url}/api/sessions?token=${encodeURIComponent(test.token)}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('set-cookie')).toBeNull();

      const withCookie = await rawRequest(test.port, '/api/sessions', {
        host: `127.0.0.1:${test.port}`,
        cookie: `${TOKEN_COOKIE}=${encodeURIComponent(test.token)}`,
      });
      expect(withCookie.status).toBe(401);
    });
  });

  describe('Host and Origin (DNS rebinding)', () => {
    const bearer = (): Record<string, string> => ({ authorization: `Bearer ${test.token}` });

    it('rejects a foreign Host with 403 even with a valid token', async () => {
      for (const host of [
        `evil.example:${test.port}`,
        'evil.example',
        `127.0.0.1.evil.example:${test.port}`,
      ]) {
        const response = await rawRequest(test.port, '/api/sessions', { ...bearer(), host });
        expect(response.status, host).toBe(403);
        expect(JSON.parse(response.body)).toMatchObject({ error: 'forbidden_host' });
      }
    });

    it('rejects the right host name with the wrong port', async () => {
      const otherPort = test.port === 1 ? 2 : 1;
      for (const host of [`127.0.0.1:${otherPort}`, `localhost:${otherPort}`, '127.0.0.1']) {
        const response = await rawRequest(test.port, '/health', { ...bearer(), host });
        expect(response.status, host).toBe(403);
      }
    });

    it('accepts localhost:PORT and 127.0.0.1:PORT', async () => {
      for (const host of [`localhost:${test.port}`, `127.0.0.1:${test.port}`, `LOCALHOST:${test.port}`]) {
        const response = await rawRequest(test.port, '/health', { ...bearer(), host });
        expect(response.status, host).toBe(200);
        expect(JSON.parse(response.body)).toMatchObject({ ok: true });
      }
    });

    it('rejects a foreign Origin with 403 even with a valid token', async () => {
      for (const origin of [
        'http://evil.example',
        `http://evil.example:${test.port}`,
        `https://127.0.0.1:${test.port}`,
        'null',
      ]) {
        const response = await rawRequest(test.port, '/api/sessions', {
          ...bearer(),
          host: `127.0.0.1:${test.port}`,
          origin,
        });
        expect(response.status, origin).toBe(403);
        expect(JSON.parse(response.body)).toMatchObject({ error: 'forbidden_origin' });
      }
    });

    it('accepts a same-origin Origin', async () => {
      for (const origin of [`http://127.0.0.1:${test.port}`, `http://localhost:${test.port}`]) {
        const response = await rawRequest(test.port, '/api/sessions', {
          ...bearer(),
          host: `127.0.0.1:${test.port}`,
          origin,
        });
        expect(response.status, origin).toBe(200);
      }
    });
  });

  describe('WebSocket upgrade', () => {
    const wsUrl = (): string => `ws://127.0.0.1:${test.port}/ws`;

    it('rejects a foreign Origin', async () => {
      const outcome = await tryWebSocket(wsUrl(), {
        authorization: `Bearer ${test.token}`,
        origin: 'http://evil.example',
      });
      expect(outcome).toMatchObject({ opened: false, status: 403 });
    });

    it('rejects a connection without a token with 401', async () => {
      const outcome = await tryWebSocket(wsUrl(), { origin: `http://127.0.0.1:${test.port}` });
      expect(outcome).toMatchObject({ opened: false, status: 401 });
    });

    it('rejects a foreign Host', async () => {
      const outcome = await tryWebSocket(wsUrl(), {
        authorization: `Bearer ${test.token}`,
        host: `evil.example:${test.port}`,
      });
      expect(outcome).toMatchObject({ opened: false, status: 403 });
    });

    it('closes the connection after refusing an upgrade', async () => {
      const response = await rawUpgrade(test.port, {
        Host: `127.0.0.1:${test.port}`,
        Authorization: `Bearer ${test.token}`,
        Origin: 'http://evil.example',
      });
      expect(response).toMatch(/^HTTP\/1\.1 403 /);
      expect(response).toContain('forbidden_origin');
      const unauthorized = await rawUpgrade(test.port, { Host: `127.0.0.1:${test.port}` });
      expect(unauthorized).toMatch(/^HTTP\/1\.1 401 /);
    });

    it('opens with the token and a same-origin Origin', async () => {
      const outcome = await tryWebSocket(wsUrl(), {
        authorization: `Bearer ${test.token}`,
        origin: `http://127.0.0.1:${test.port}`,
      });
      expect(outcome).toEqual({ opened: true });
    });

    it('opens with ?token= (as a browser connects)', async () => {
      const outcome = await tryWebSocket(`${wsUrl()}?token=${encodeURIComponent(test.token)}`, {
        origin: `http://localhost:${test.port}`,
      });
      expect(outcome).toEqual({ opened: true });
    });
  });

  describe('listening address', () => {
    it('binds 127.0.0.1 only by default', async () => {
      const address = test.server.app.server.address();
      expect(address).toMatchObject({ address: '127.0.0.1', family: 'IPv4', port: test.port });
      expect(test.server.host).toBe('127.0.0.1');
      expect(test.url).toBe(`http://127.0.0.1:${test.port}`);
      expect(await connectOutcome('127.0.0.1', test.port)).toBe('connected');
    });

    it('refuses connections on a non-loopback address', async (context) => {
      const external = nonLoopbackIPv4();
      if (external === undefined) {
        context.skip();
        return;
      }
      expect(await connectOutcome(external, test.port)).toBe('ECONNREFUSED');
    });
  });
});

describe('token file', () => {
  let dir: string;
  let saved: string | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gsd-web-token-'));
    saved = process.env.GSD_HARNESS_HOME;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.GSD_HARNESS_HOME;
    else process.env.GSD_HARNESS_HOME = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('is created readable by the owner only, in a private directory, and reused', () => {
    const home = join(dir, 'home');
    process.env.GSD_HARNESS_HOME = home;
    const token = loadOrCreateToken();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(tokenPath()).toBe(join(home, 'token'));
    expect(statSync(join(home, 'token')).mode & 0o777).toBe(0o600);
    expect(statSync(home).mode & 0o777).toBe(0o700);

    expect(loadOrCreateToken()).toBe(token);
    expect(statSync(join(home, 'token')).mode & 0o777).toBe(0o600);
  });
});
