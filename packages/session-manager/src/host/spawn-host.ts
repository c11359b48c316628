import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { SessionError, type SessionErrorCode } from '../errors.js';
import { hostLogPath } from './host-address.js';
import type { HostReadyLine, HostSpec } from './host-spec.js';

/** How long a new host has to open the database, listen and start its session. */
export const HOST_START_TIMEOUT_MS = 15_000;

/**
 * The host's entry point. Built, it is `dist/host/host-main.js`; resolved the same way from the
 * sources (`src/host/`), so tests that import the sources run the built host.
 */
export const HOST_ENTRY = fileURLToPath(new URL('../../dist/host/host-main.js', import.meta.url));

/**
 * Node flags for the host: a small young generation, since a host holds little but the output in
 * flight. Keeps an idle host's resident memory down.
 */
const HOST_NODE_FLAGS = ['--max-semi-space-size=1'];

/**
 * Starts a detached session host for `spec` and resolves once its session runs (the session's row
 * is then stored). The host is its own process group and outlives this process; its stderr goes to
 * a log beside its socket.
 */
export function spawnHost(spec: HostSpec): Promise<{ hostPid: number }> {
  const logFd = openSync(hostLogPath(spec.socketPath), 'a', 0o600);
  let child: ChildProcessByStdio<Writable, Readable, null>;
  try {
    child = spawn(process.execPath, [...HOST_NODE_FLAGS, HOST_ENTRY], {
      detached: true,
      stdio: ['pipe', 'pipe', logFd],
      cwd: '/',
    }) as ChildProcessByStdio<Writable, Readable, null>;
  } finally {
    closeSync(logFd);
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    let line = '';
    const fail = (code: SessionErrorCode, message: string, cause?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new SessionError(code, message, { cause }));
    };
    const timer = setTimeout(
      () => fail('HOST_START_FAILED', `The session host did not start within ${HOST_START_TIMEOUT_MS} ms`),
      HOST_START_TIMEOUT_MS,
    );
    child.once('error', (error) =>
      fail('HOST_START_FAILED', `Could not start a session host: ${error.message}`, error),
    );
    child.once('close', (code, signal) =>
      fail(
        'HOST_START_FAILED',
        `The session host exited before its session started (${signal ?? `exit code ${code}`}); ` +
          `see ${hostLogPath(spec.socketPath)}`,
      ),
    );
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      line += text;
      const end = line.indexOf('\n');
      if (end === -1 || settled) return;
      let ready: HostReadyLine;
      try {
        ready = JSON.parse(line.slice(0, end)) as HostReadyLine;
      } catch {
        fail('HOST_START_FAILED', `The session host answered ${JSON.stringify(line.slice(0, 200))}`);
        return;
      }
      if (ready.type === 'failed') {
        const code =
          ready.code === 'HOST_START_FAILED' ? 'HOST_START_FAILED' : (ready.code as SessionErrorCode);
        fail(code, ready.message);
        return;
      }
      settled = true;
      clearTimeout(timer);
      child.removeAllListeners('close');
      child.stdout.destroy();
      child.unref();
      resolve({ hostPid: ready.hostPid });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify(spec));
  });
}
