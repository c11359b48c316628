import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the built CLI with its own database and no terminal. */
export function startCli(args: string[], dbPath: string, cwd?: string): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, GSD_HARNESS_DB: dbPath, GSD_HARNESS_HOME: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the built CLI to completion. */
export function runCli(args: string[], dbPath: string, cwd?: string): Promise<CliResult> {
  const child = startCli(args, dbPath, cwd);
  return collect(child);
}

export function collect(child: ChildProcess): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
