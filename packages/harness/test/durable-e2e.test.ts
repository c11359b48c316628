import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quoteShellWord } from '@gsd/core';
import { DatabaseConnection, OwnerStore, SessionStore } from '../../session-manager/src/index.js';
import { endDurableSessions } from '../../session-manager/test/helpers/hosts.js';
import { isProcessRunning } from '../../session-manager/test/helpers/process.js';
import { makeTempDir, pollUntil } from '../../session-manager/test/helpers/temp.js';
import { CLI } from './cli-runner.js';

const COUNTER = fileURLToPath(new URL('../../session-manager/test/fixtures/counter.mjs', import.meta.url));

interface Server {
  child: ChildProcess;
  url: string;
  token: string;
  stderr(): string;
}

interface SessionJson {
  id: string;
  status: string;
  exitCode: number | null;
  failureReason: string | null;
  durable: boolean;
  outputBytes: number;
}

describe('durable sessions through gsd-harness start', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let env: NodeJS.ProcessEnv;
  const servers: ChildProcess[] = [];

  beforeEach(() => {
    temp = makeTempDir('gsd-durable-e2e-');
    env = {
      ...process.env,
      GSD_HARNESS_HOME: join(temp.dir, 'home'),
      GSD_HARNESS_DB: join(temp.dir, 'home', 'sessions.db'),
    };
  });
  afterEach(async () => {
    for (const child of servers.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    }
    await endDurableSessions(env.GSD_HARNESS_DB as string);
    temp.remove();
  });

  async function startServer(): Promise<Server> {
    const child = spawn(process.execPath, [CLI, 'start', '--port', '0'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    servers.push(child);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    for await (const line of lines) {
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)/.exec(line);
      if (match !== null)
        return { child, url: match[1] as string, token: match[2] as string, stderr: () => stderr };
    }
    throw new Error(`the server exited before printing its URL: ${stderr}`);
  }

  async function api<T>(server: Server, path: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${server.token}`);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    const response = await fetch(`${server.url}${path}`, { ...init, headers });
    const body = (await response.json()) as T;
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    return body;
  }

  function start(server: Server, command: string, pty = true): Promise<SessionJson> {
    return api(server, '/api/sessions', {
      method: 'POST',
      body: JSON.stringify({ workingDir: temp.dir, command, pty }),
    });
  }

  async function killServer(server: Server): Promise<void> {
    server.child.kill('SIGKILL');
    await once(server.child, 'exit');
  }

  function stored(sessionId: string) {
    const connection = new DatabaseConnection(env.GSD_HARNESS_DB as string);
    try {
      const session = new SessionStore(connection).get(sessionId);
      const host = session?.ownerId == null ? undefined : new OwnerStore(connection).get(session.ownerId);
      return { session, hostPid: host?.pid };
    } finally {
      connection.close();
    }
  }

  it('keeps a session running through kill -9 of the server; its output has no gap or duplicate', async () => {
    const record = join(temp.dir, 'counter.txt');
    const first = await startServer();
    const session = await start(
      first,
      `node ${quoteShellWord(COUNTER)} ${quoteShellWord(record)} --interval-ms 10`,
    );
    expect(session.durable).toBe(true);
    await pollUntil(() => (stored(session.id).session?.outputBytes ?? 0) > 300);
    await killServer(first);

    // Printed while no server runs: stored by the session's host.
    const whileDown = stored(session.id).session?.outputBytes ?? 0;
    await pollUntil(() => (stored(session.id).session?.outputBytes ?? 0) > whileDown + 300);

    const second = await startServer();
    expect(second.stderr()).toContain('Re-attached 1 durable session(s)');
    const reattached = await api<SessionJson>(second, `/api/sessions/${session.id}`);
    expect(reattached.status).toBe('running');
    // Live again: the server sees new output.
    const seen = reattached.outputBytes;
    await pollUntil(
      async () => (await api<SessionJson>(second, `/api/sessions/${session.id}`)).outputBytes > seen + 200,
    );

    const ended = await api<SessionJson>(second, `/api/sessions/${session.id}`, { method: 'DELETE' });
    expect(ended).toMatchObject({ status: 'failed', failureReason: 'terminated on request' });
    const output = await api<{ data: string; totalBytes: number }>(
      second,
      `/api/sessions/${session.id}/output?fromOffset=0&maxBytes=262144`,
    );
    const lines = output.data
      .replace(/\r/g, '')
      .split('\n')
      .filter((line) => line !== '');
    const printed = readFileSync(record, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    expect(printed.length).toBeGreaterThan(60);
    expect(lines).toEqual(printed);
    expect(lines).toEqual(printed.map((_, i) => `count ${i + 1}`));
  });

  it('records ends that happen while the server is down, and fails a session whose host was killed', async () => {
    const first = await startServer();
    const completes = await start(first, 'sleep 1; echo finished');
    const fails = await start(first, 'sleep 1; exit 5', false);
    const orphaned = await start(first, 'sleep 60');
    await killServer(first);
    const hostPid = stored(orphaned.id).hostPid as number;
    process.kill(hostPid, 'SIGKILL');
    await pollUntil(() => !isProcessRunning(hostPid));
    await pollUntil(
      () => stored(completes.id).session?.endedAt != null && stored(fails.id).session?.endedAt != null,
    );

    const second = await startServer();
    expect(await api<SessionJson>(second, `/api/sessions/${completes.id}`)).toMatchObject({
      status: 'completed',
      exitCode: 0,
    });
    expect(await api<SessionJson>(second, `/api/sessions/${fails.id}`)).toMatchObject({
      status: 'failed',
      exitCode: 5,
      failureReason: 'exited with code 5',
    });
    const failed = await api<SessionJson>(second, `/api/sessions/${orphaned.id}`);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(new RegExp(`session host \\(pid ${hostPid}\\) is gone`));
    expect(second.stderr()).toContain('Marked 1 session(s) left by a stopped harness as failed');
  });
});
