import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endDurableSessions } from '../../session-manager/test/helpers/hosts.js';
import { makeTempDir } from '../../session-manager/test/helpers/temp.js';
import { CLI } from './cli-runner.js';

interface SessionView {
  id: string;
  status: string;
  failureReason: string | null;
  exitCode: number | null;
}

/** A connected SDK client plus helpers that unwrap the tools' JSON results. */
class Tools {
  readonly errors: Error[] = [];

  constructor(readonly client: Client) {
    client.onerror = (error) => this.errors.push(error);
  }

  static async connect(transport: Transport): Promise<Tools> {
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(transport);
    return new Tools(client);
  }

  async raw(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    return (await this.client.callTool({ name, arguments: args })) as CallToolResult;
  }

  async call<T>(name: string, args: Record<string, unknown>): Promise<T> {
    const result = await this.raw(name, args);
    const first = result.content[0];
    const text = first?.type === 'text' ? first.text : '';
    if (result.isError === true) throw new Error(`${name} failed: ${text}`);
    return JSON.parse(text) as T;
  }

  start(workingDir: string, command: string, pty = false): Promise<SessionView> {
    return this.call('gsd_start_session', { workingDir, command, pty });
  }

  async waitEnded(id: string): Promise<SessionView> {
    for (;;) {
      const result = await this.call<{ changes: { session: SessionView }[] }>('gsd_wait_for_change', {
        sessionIds: [id],
        timeoutMs: 20_000,
      });
      const session = result.changes.find((c) => c.session.id === id)?.session;
      if (session !== undefined && ['completed', 'failed'].includes(session.status)) return session;
    }
  }
}

function seq(n: number): string {
  let out = '';
  for (let i = 1; i <= n; i++) out += `${i}\n`;
  return out;
}

/** What every transport must support: run, wait, page, interact, end, list. */
async function exerciseTools(tools: Tools, dir: string): Promise<void> {
  const printed = await tools.start(dir, 'seq 1 3000');
  expect((await tools.waitEnded(printed.id)).status).toBe('completed');
  let paged = '';
  let offset = 0;
  let pages = 0;
  for (;;) {
    const page = await tools.call<{ data: string; nextOffset: number; totalBytes: number }>(
      'gsd_get_output',
      {
        sessionId: printed.id,
        fromOffset: offset,
        maxBytes: 1000,
      },
    );
    paged += page.data;
    offset = page.nextOffset;
    pages++;
    if (offset >= page.totalBytes) break;
  }
  expect(paged).toBe(seq(3000));
  expect(pages).toBe(Math.ceil(seq(3000).length / 1000));
  const tail = await tools.call<{ data: string }>('gsd_get_output', { sessionId: printed.id, tailBytes: 10 });
  expect(tail.data).toBe('2999\n3000\n');

  const interactive = await tools.start(dir, 'printf "name? "; read -r name; echo "hello $name"', true);
  // Type only once the prompt is shown, as a person would (input typed earlier is echoed before it).
  for (;;) {
    const shown = await tools.call<{ data: string }>('gsd_get_output', { sessionId: interactive.id });
    if (shown.data.includes('name? ')) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await tools.call('gsd_send_input', { sessionId: interactive.id, input: 'world', enter: true });
  expect((await tools.waitEnded(interactive.id)).status).toBe('completed');
  const text = await tools.call<{ data: string }>('gsd_get_output', {
    sessionId: interactive.id,
    format: 'text',
  });
  expect(text.data).toBe('name? world\nhello world\n');

  const long = await tools.start(dir, 'sleep 60');
  const ended = await tools.call<SessionView>('gsd_end_session', { sessionId: long.id });
  expect(ended).toMatchObject({ status: 'failed', failureReason: 'terminated on request' });

  const listed = await tools.call<{ sessions: SessionView[] }>('gsd_list_sessions', {});
  expect(listed.sessions.map((s) => s.id)).toEqual([long.id, interactive.id, printed.id]);
  expect(tools.errors).toEqual([]);
}

/** Starts `gsd-harness start --port 0` and reads its URL and token from what it prints. */
async function startServer(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: URL; token: string }> {
  const child = spawn(process.execPath, [CLI, 'start', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)/.exec(line);
    if (match !== null) return { child, url: new URL(match[1] as string), token: match[2] as string };
  }
  throw new Error('the server exited before printing its URL');
}

/** The PID recorded for a session, read from the database. */
async function sessionPid(env: NodeJS.ProcessEnv, id: string): Promise<number> {
  const { DatabaseConnection, SessionStore } = await import('@gsd/session-manager');
  const connection = new DatabaseConnection(env.GSD_HARNESS_DB as string);
  try {
    return new SessionStore(connection).get(id)?.pid as number;
  } finally {
    connection.close();
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

describe('MCP end to end', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let env: NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];
  const clients: Client[] = [];

  beforeEach(() => {
    temp = makeTempDir('gsd-e2e-');
    env = {
      ...process.env,
      GSD_HARNESS_HOME: join(temp.dir, 'home'),
      GSD_HARNESS_DB: join(temp.dir, 'home', 'sessions.db'),
    };
  });
  afterEach(async () => {
    await Promise.allSettled(clients.splice(0).map((client) => client.close()));
    await Promise.allSettled(children.splice(0).map(stop));
    await endDurableSessions(env.GSD_HARNESS_DB as string);
    temp.remove();
  });

  function stdioTransport(args: string[] = []): StdioClientTransport {
    return new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'mcp', ...args],
      env: env as Record<string, string>,
      stderr: 'pipe',
    });
  }

  it('works over stdio (`gsd-harness mcp`)', async () => {
    const tools = await Tools.connect(stdioTransport());
    clients.push(tools.client);
    await exerciseTools(tools, temp.dir);
  });

  it('works over HTTP against `gsd-harness start`', async () => {
    const server = await startServer(env);
    children.push(server.child);
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', server.url), {
      requestInit: { headers: { Authorization: `Bearer ${server.token}` } },
    });
    const tools = await Tools.connect(transport);
    clients.push(tools.client);
    await exerciseTools(tools, temp.dir);
  });

  it('`gsd-harness mcp` relays to a running server, so clients share its sessions', async () => {
    const server = await startServer(env);
    children.push(server.child);
    const viaStdio = await Tools.connect(stdioTransport());
    clients.push(viaStdio.client);
    const session = await viaStdio.start(temp.dir, 'sleep 30');

    const response = await fetch(new URL(`/api/sessions/${session.id}`, server.url), {
      headers: { Authorization: `Bearer ${server.token}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: session.id, status: 'running' });

    // The stdio client going away does not end the server's session.
    await viaStdio.client.close();
    const again = await fetch(new URL(`/api/sessions/${session.id}`, server.url), {
      headers: { Authorization: `Bearer ${server.token}` },
    });
    expect(await again.json()).toMatchObject({ status: 'running' });
  });

  it('the relay fails a request in flight at once when the server dies', async () => {
    const server = await startServer(env);
    children.push(server.child);
    const viaStdio = await Tools.connect(stdioTransport());
    clients.push(viaStdio.client);
    const session = await viaStdio.start(temp.dir, 'sleep 30');
    const waiting = viaStdio.raw('gsd_wait_for_change', { sessionIds: [session.id], timeoutMs: 50_000 });
    server.child.kill('SIGKILL');
    const outcome = await waiting.then(
      (result) => ({ error: result.isError === true ? 'tool error' : undefined }),
      (error: unknown) => ({ error: String(error) }),
    );
    expect(outcome.error).toMatch(/went away|error/);
    process.kill(-(await sessionPid(env, session.id)), 'SIGKILL');
  });

  it('two standalone MCP processes on one database leave each other’s sessions alone', async () => {
    const first = await Tools.connect(stdioTransport(['--standalone']));
    clients.push(first.client);
    const ticking = await first.start(temp.dir, 'for i in $(seq 1 40); do echo tick $i; sleep 0.05; done');

    const second = await Tools.connect(stdioTransport(['--standalone']));
    const seen = await second.call<SessionView>('gsd_get_session', { sessionId: ticking.id });
    expect(seen.status).toBe('running');
    const refused = await second.raw('gsd_end_session', { sessionId: ticking.id });
    expect(refused.isError).toBe(true);
    const own = await second.start(temp.dir, 'echo mine');
    expect((await second.waitEnded(own.id)).status).toBe('completed');
    // The second watches the first one's session through the database.
    const finished = await second.waitEnded(ticking.id);
    await second.client.close();

    expect(finished.status).toBe('completed');
    const output = await first.call<{ data: string }>('gsd_get_output', {
      sessionId: ticking.id,
      maxBytes: 4096,
      fromOffset: 0,
    });
    expect(output.data).toBe(Array.from({ length: 40 }, (_, i) => `tick ${i + 1}\n`).join(''));
    expect((await first.call<SessionView>('gsd_get_session', { sessionId: ticking.id })).status).toBe(
      'completed',
    );
  });
});
