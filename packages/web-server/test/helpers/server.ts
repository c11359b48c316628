import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersistentSessionManager, type PersistentSessionManagerOptions } from '@gsd/session-manager';
import { startHarnessServer, type HarnessServer } from '../../src/index.js';

/** A harness server on a free loopback port, its manager on a temporary database, and its token. */
export interface TestServer {
  server: HarnessServer;
  manager: PersistentSessionManager;
  token: string;
  /** Temporary directory holding the database; usable as a session working directory. */
  dir: string;
  url: string;
  port: number;
  /** Fetch with the bearer token set (unless the caller sets its own Authorization header). */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** `api` for a JSON body: the status and the parsed body. */
  json<T = Record<string, unknown>>(path: string, init?: RequestInit): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  manager?: Omit<PersistentSessionManagerOptions, 'dbPath'>;
  agentCommand?: string;
  /** Where the built dashboard is (default: the server's own default). */
  dashboardDir?: string;
}

/** Starts `startHarnessServer` on port 0 with a PersistentSessionManager on a temporary SQLite file. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'gsd-web-test-'));
  const token = randomBytes(24).toString('base64url');
  let manager: PersistentSessionManager | undefined;
  let server: HarnessServer | undefined;
  try {
    manager = new PersistentSessionManager({ ...options.manager, dbPath: join(dir, 'sessions.db') });
    server = await startHarnessServer({
      manager,
      token,
      port: 0,
      agentCommand: options.agentCommand ?? 'false',
      dashboardDir: options.dashboardDir,
    });
  } catch (error) {
    await manager?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const started = server;
  const startedManager = manager;
  const api = (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
    if (init.body !== undefined && !headers.has('content-type'))
      headers.set('content-type', 'application/json');
    return fetch(`${started.url}${path}`, { ...init, headers });
  };
  let closed: Promise<void> | undefined;
  return {
    server: started,
    manager: startedManager,
    token,
    dir,
    url: started.url,
    port: started.port,
    api,
    async json<T>(path: string, init?: RequestInit) {
      const response = await api(path, init);
      return { status: response.status, body: (await response.json()) as T };
    },
    close() {
      closed ??= (async () => {
        try {
          await started.close();
        } finally {
          await startedManager.close();
          rmSync(dir, { recursive: true, force: true });
        }
      })();
      return closed;
    },
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP request with exactly the given headers (fetch does not allow setting Host). */
export function rawRequest(
  port: number,
  path: string,
  headers: OutgoingHttpHeaders,
  method = 'GET',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, method, headers, agent: false },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

import { pollUntil } from '../../../session-manager/test/helpers/temp.js';

export { pollUntil };

/** The session view the REST API returns. */
export interface SessionView {
  id: string;
  slot: number | null;
  status: string;
  pid: number | null;
  workingDir: string;
  command: string;
  mode: 'pipe' | 'pty';
  exitCode: number | null;
  signal: string | null;
  failureReason: string | null;
  startedAt: string;
  endedAt: string | null;
  outputBytes: number;
  cols: number | null;
  rows: number | null;
  durable: boolean;
  agentSessionId: string | null;
  resumedFrom: string | null;
}

/** Polls the REST API until the session has ended; returns its final view. */
export async function waitForEnded(test: TestServer, sessionId: string): Promise<SessionView> {
  return pollUntil(async () => {
    const { status, body } = await test.json<SessionView>(`/api/sessions/${sessionId}`);
    if (status !== 200) throw new Error(`GET /api/sessions/${sessionId} answered ${status}`);
    return body.endedAt === null ? undefined : body;
  });
}
