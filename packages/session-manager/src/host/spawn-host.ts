import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { SessionError, type SessionErrorCode } from '../errors.js';
import { signalZeroSucceeds } from '../process/identity.js';
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

type HostProcess = ChildProcessByStdio<Writable, Readable, null>;

/**
 * A session host process that has started and loaded its code, and waits for the spec of the
 * session it is to run (on its standard input). A harness keeps one ready so that starting a
 * durable session does not wait for Node to start. Closing its input without a spec ends it.
 */
export class LaunchedHost {
  private readonly child: HostProcess;
  private exited = false;
  private used = false;
  private answered = false;
  /** Why the process ended before it was given a session, once it has. */
  private exitDescription: string | null = null;

  private constructor(
    child: HostProcess,
    /** Its stderr, until it is named after its session. */
    private readonly logPath: string,
  ) {
    this.child = child;
    child.once('exit', (code, signal) => {
      this.exited = true;
      this.exitDescription = signal ?? `exit code ${String(code)}`;
    });
    child.once('error', (error) => {
      this.exited = true;
      this.exitDescription = error.message;
    });
    child.stdin.on('error', () => {});
  }

  /** Starts a host process with its stderr in a log in `hostDir` (a private directory). */
  static launch(hostDir: string): LaunchedHost {
    const provisional = join(hostDir, `starting-${randomUUID()}.log`);
    const logFd = openSync(provisional, 'a', 0o600);
    let child: HostProcess;
    try {
      // The log's first name goes along, for a host that cannot tell which file its stderr is.
      child = spawn(process.execPath, [...HOST_NODE_FLAGS, HOST_ENTRY, provisional], {
        detached: true,
        stdio: ['pipe', 'pipe', logFd],
        cwd: '/',
      }) as HostProcess;
    } finally {
      closeSync(logFd);
    }
    if (child.stdin === null || child.stdout === null || child.pid === undefined) {
      // Node could not set the process up (too many open files): nothing runs.
      rmSync(provisional, { force: true });
      throw new SessionError(
        'HOST_START_FAILED',
        'Could not start a session host: no pipes to it (too many open files?)',
      );
    }
    // Named after its process, so that the log of one that was killed unseen can be found and removed.
    let logPath = join(hostDir, `starting-${child.pid}.log`);
    try {
      renameSync(provisional, logPath);
    } catch {
      logPath = provisional;
    }
    const launched = new LaunchedHost(child, logPath);
    // Waiting for a session does not keep the harness alive.
    launched.setHeld(false);
    return launched;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Whether the host ended without answering (it died while it waited, or as it was given its
   * session): starting the session on another host is then safe.
   */
  get endedWithoutAnswer(): boolean {
    return this.exited && !this.answered;
  }

  /** Whether it can still be given a session. */
  get usable(): boolean {
    return !this.used && !this.exited;
  }

  /**
   * Gives the host its session and resolves once the session runs (its row is then stored). The
   * host is its own process group and outlives this process; its log becomes `<session id>.log`
   * beside its socket.
   */
  start(spec: HostSpec): Promise<{ hostPid: number }> {
    if (!this.usable) {
      const why = this.exited
        ? `it has ended (${this.exitDescription ?? 'exited'})`
        : 'it was already given one';
      return Promise.reject(
        new SessionError('HOST_START_FAILED', `The session host cannot take a session: ${why}`),
      );
    }
    this.used = true;
    const { child } = this;
    const logPath = hostLogPath(spec.socketPath);
    try {
      renameSync(this.logPath, logPath);
    } catch {
      // The log keeps its first name.
    }
    this.setHeld(true);
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
      const onClose = (code: number | null, signal: NodeJS.Signals | null): void =>
        fail(
          'HOST_START_FAILED',
          `The session host exited before its session started (${signal ?? `exit code ${String(code)}`}); ` +
            `see ${logPath}`,
        );
      child.once('close', onClose);
      child.once('error', (error) =>
        fail('HOST_START_FAILED', `Could not start a session host: ${error.message}`, error),
      );
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (text: string) => {
        line += text;
        const end = line.indexOf('\n');
        if (end === -1 || settled) return;
        this.answered = true;
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
        child.off('close', onClose);
        child.stdout.destroy();
        this.setHeld(false);
        resolve({ hostPid: ready.hostPid });
      });
      // The environment as it is now, for the session's process: the host may have started earlier.
      const baseEnv = { ...process.env } as Record<string, string>;
      child.stdin.end(JSON.stringify({ ...spec, baseEnv } satisfies HostSpec));
    });
  }

  /** Ends a host that was not given a session (it exits when its input closes) and removes its log. */
  dispose(): void {
    if (this.used) return;
    this.used = true;
    this.child.stdin.end();
    rmSync(this.logPath, { force: true });
  }

  /** Whether the host's process and pipes keep this process's event loop alive. */
  private setHeld(held: boolean): void {
    const { child } = this;
    // The pipes are sockets, which can be unreferenced like the process.
    const pipes = [child.stdin, child.stdout] as unknown as { ref?(): void; unref?(): void }[];
    if (held) {
      child.ref();
      for (const pipe of pipes) pipe.ref?.();
    } else {
      child.unref();
      for (const pipe of pipes) pipe.unref?.();
    }
  }
}

/**
 * Removes the logs of hosts started ahead of time that were killed before they were given a session
 * (together with their harness, so neither could remove it): `starting-<pid>.log` of a dead pid.
 */
export function removeStaleStartingLogs(hostDir: string): void {
  let names: string[];
  try {
    names = readdirSync(hostDir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^starting-(\d+)\.log$/.exec(name)?.[1];
    if (pid !== undefined && !signalZeroSucceeds(Number(pid))) rmSync(join(hostDir, name), { force: true });
  }
}
