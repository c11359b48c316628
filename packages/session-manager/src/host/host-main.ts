// The session host process: `node host-main.js [starting log]` with a HostSpec as JSON on standard
// input. It answers with one JSON line on standard output once the session runs (or could not start),
// then runs detached from the harness until the session has ended and its end is recorded. With no
// spec (its input closed empty) it removes the log it was started with and exits.
import { readlinkSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { isSessionError } from '../errors.js';
import type { HostReadyLine, HostSpec } from './host-spec.js';
import { SessionHost } from './session-host.js';

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => parts.push(chunk));
    process.stdin.once('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    process.stdin.once('error', reject);
  });
}

function announce(line: HostReadyLine): Promise<void> {
  return new Promise((resolve) => {
    process.stdout.write(`${JSON.stringify(line)}\n`, () => resolve());
  });
}

/** The file this process's stderr goes to, under its current name (where /proc tells). */
function stderrPath(): string | undefined {
  try {
    return readlinkSync('/proc/self/fd/2');
  } catch {
    return undefined;
  }
}

/** Makes `env` this process's environment (which the session's process inherits). */
function takeEnvironment(env: Record<string, string>): void {
  for (const name of Object.keys(process.env)) if (!Object.hasOwn(env, name)) delete process.env[name];
  Object.assign(process.env, env);
}

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${message}\n`);
}

async function main(): Promise<void> {
  // The harness that started this host may exit at any time: its terminal's hangup is not ours.
  process.on('SIGHUP', () => {});
  process.on('uncaughtException', (error) => log(`uncaught: ${error.stack ?? String(error)}`));

  // A host started ahead of time that is stopped, or let go (its harness closed its input or went
  // away), before it was given a session: its provisional log goes with it.
  const leave = (): never => {
    const startingLog = stderrPath() ?? process.argv[2];
    if (startingLog !== undefined && basename(startingLog).startsWith('starting-')) {
      rmSync(startingLog, { force: true });
    }
    process.exit(0);
  };
  process.once('SIGTERM', leave);
  process.once('SIGINT', leave);
  const input = await readStdin();
  process.off('SIGTERM', leave);
  process.off('SIGINT', leave);
  if (input.trim() === '') leave();
  let host: SessionHost;
  try {
    const spec = JSON.parse(input) as HostSpec;
    if (spec.baseEnv !== undefined) takeEnvironment(spec.baseEnv);
    host = new SessionHost(spec);
    await host.start();
  } catch (error) {
    const code = isSessionError(error) ? error.code : 'HOST_START_FAILED';
    await announce({ type: 'failed', code, message: (error as Error).message ?? String(error) });
    process.exit(1);
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => host.terminate());
  await announce({ type: 'ready', hostPid: process.pid });
  // Nothing more goes to the harness: it may already be gone.
  process.stdout.destroy();
  await host.done;
  process.exit(0);
}

await main();
