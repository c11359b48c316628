import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Whether `pid` is a running process. A zombie counts as gone: orphans re-parented to an init that
 * does not reap them stay visible to `kill(pid, 0)` after they have died.
 */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return process.platform !== 'linux';
  }
}

/** The PID of a process that has run and exited (and been reaped). */
export async function deadPid(): Promise<number> {
  const child = spawn('true', { stdio: 'ignore' });
  const pid = child.pid as number;
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return pid;
}

/** Sends `signal` to the process group led by `pid`, ignoring a group that is already gone. */
export function killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
