// The session host process: `node host-main.js` with a HostSpec as JSON on standard input. It answers
// with one JSON line on standard output once the session runs (or could not start), then runs
// detached from the harness until the session has ended and its end is recorded.
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

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${message}\n`);
}

async function main(): Promise<void> {
  // The harness that started this host may exit at any time: its terminal's hangup is not ours.
  process.on('SIGHUP', () => {});
  process.on('uncaughtException', (error) => log(`uncaught: ${error.stack ?? String(error)}`));

  let host: SessionHost;
  try {
    const spec = JSON.parse(await readStdin()) as HostSpec;
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
