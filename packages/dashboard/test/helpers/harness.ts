import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { endDurableSessions } from '../../../session-manager/test/helpers/hosts.js';

const CLI = fileURLToPath(new URL('../../../harness/dist/cli.js', import.meta.url));
/** A program that behaves like Claude Code running a GSD plan up to a checkpoint. */
export const FAKE_AGENT = fileURLToPath(
  new URL('../../../session-manager/test/fixtures/fake-gsd-agent.mjs', import.meta.url),
);

/** How long `gsd-harness start` may take to print its URL. */
const START_TIMEOUT_MS = 20_000;

/** A `gsd-harness start` process on a free port, with its own home directory and database. */
export interface Harness {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  token: string;
  /** A temporary directory sessions can run in; removed on stop. */
  dir: string;
  child: ChildProcess;
  /** Fetch from the server's API with the token. */
  api<T = unknown>(path: string, init?: RequestInit): Promise<T>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Agent CLI for `prompt` sessions (GSD_AGENT_COMMAND). */
  agentCommand?: string;
  quietMs?: number;
}

/** Runs the built CLI's `start --port 0` and reads the URL it prints. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'gsd-dashboard-test-'));
  const child = spawn(process.execPath, [CLI, 'start', '--port', '0'], {
    cwd: dir,
    env: {
      ...process.env,
      GSD_HARNESS_HOME: join(dir, 'home'),
      GSD_HARNESS_DB: join(dir, 'sessions.db'),
      GSD_AGENT_COMMAND: options.agentCommand ?? `node ${FAKE_AGENT} --delay-ms 1`,
      GSD_CHECKPOINT_QUIET_MS: String(options.quietMs ?? 300),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const printed = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(
      () => reject(new Error(`gsd-harness start printed no URL: ${stderr}`)),
      START_TIMEOUT_MS,
    );
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /(http:\/\/[^\s/]+)\/\?token=(\S+)/.exec(stdout);
      if (match !== null) {
        clearTimeout(timer);
        resolve(`${match[1]} ${match[2]}`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gsd-harness start exited with ${code}: ${stderr}`));
    });
  });
  const [url = '', token = ''] = printed.split(' ');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    token,
    dir,
    child,
    async api<T>(path: string, init: RequestInit = {}): Promise<T> {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      if (init.body !== undefined) headers.set('content-type', 'application/json');
      const response = await fetch(`${url}${path}`, { ...init, headers });
      const body = (await response.json()) as T;
      if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
      return body;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      // Sessions the server started are durable and outlive it: end them before the files go.
      await endDurableSessions(join(dir, 'sessions.db'));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
