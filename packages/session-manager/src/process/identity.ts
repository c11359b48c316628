import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let bootId: string | undefined;

function linuxBootId(): string {
  bootId ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return bootId;
}

function readProcStat(pid: number): { state: string; startTime: string } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTicks = fields[19];
  if (state === undefined || startTicks === undefined) return null;
  return { state, startTime: `${linuxBootId()}:${startTicks}` };
}

/**
 * An identifier for the process's start (boot id and start time on Linux, `ps` start time elsewhere),
 * so that a later process given the same PID is not mistaken for it. Null when the process is gone.
 */
export function readProcessStartTime(pid: number): string | null {
  if (process.platform === 'linux') return readProcStat(pid)?.startTime ?? null;
  try {
    const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return started === '' ? null : started;
  } catch {
    return null;
  }
}

/** Whether a process with this PID exists (whoever it belongs to). */
export function signalZeroSucceeds(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type ProcessLiveness = 'alive' | 'gone' | 'reused';

/**
 * Whether the process that had `pid` (and, when known, `startTime`) is still running.
 * `reused` means a different process now holds the PID.
 */
export function checkProcess(pid: number | null, startTime: string | null): ProcessLiveness {
  if (pid === null || pid <= 0 || !signalZeroSucceeds(pid)) return 'gone';
  if (process.platform === 'linux') {
    const stat = readProcStat(pid);
    if (stat === null || stat.state === 'Z' || stat.state === 'X') return 'gone';
    if (startTime !== null && stat.startTime !== startTime) return 'reused';
    return 'alive';
  }
  if (startTime !== null) {
    const current = readProcessStartTime(pid);
    if (current === null) return 'gone';
    if (current !== startTime) return 'reused';
  }
  return 'alive';
}
