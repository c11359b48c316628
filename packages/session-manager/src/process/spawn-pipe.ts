import { spawn } from 'node:child_process';
import { SessionError } from '../errors.js';
import {
  killProcessGroup,
  type ChildCallbacks,
  type ChildExit,
  type ChildHandle,
  type ChildSpawnOptions,
} from './child.js';

/**
 * Runs `command` under `/bin/sh -c` with stdin, stdout and stderr on pipes, in a new process group.
 * stdout and stderr are merged into one byte stream in arrival order.
 */
export function spawnPipe(options: ChildSpawnOptions, callbacks: ChildCallbacks): Promise<ChildHandle> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', options.command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const streams = [child.stdout, child.stderr];
    let exit: ChildExit | null = null;
    let exitedAt = 0;
    let finished = false;
    let drainTimer: NodeJS.Timeout | undefined;

    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(drainTimer);
      for (const stream of streams) stream.destroy();
      child.stdin.destroy();
      callbacks.onExit(exit ?? { exitCode: null, signal: 'SIGKILL' });
    };
    // After exit, a background process may still hold the pipes open: stop waiting once they go
    // quiet, or after drainMaxMs in any case.
    const armDrainTimer = (): void => {
      if (exit === null || finished) return;
      clearTimeout(drainTimer);
      const remaining = exitedAt + options.drainMaxMs - Date.now();
      drainTimer = setTimeout(finish, Math.max(0, Math.min(options.drainIdleMs, remaining)));
    };

    for (const stream of streams) {
      stream.on('data', (bytes: Buffer) => {
        if (finished) return;
        callbacks.onData(bytes);
        armDrainTimer();
      });
    }
    // Writing to a process that has exited raises EPIPE; the exit is reported separately.
    child.stdin.on('error', () => {});

    child.once('error', (error) => {
      if (child.pid === undefined) {
        reject(
          new SessionError('SPAWN_FAILED', `Could not start /bin/sh: ${error.message}`, { cause: error }),
        );
      }
    });
    child.once('spawn', () => {
      const pid = child.pid as number;
      resolve({
        pid,
        write: (data) => {
          child.stdin.write(data);
        },
        endInput: () => {
          child.stdin.end();
        },
        resize: () => {},
        // Once the shell has been reaped its PID may be reused: signal only the group it led.
        kill: (signal) => killProcessGroup(pid, signal, exit === null),
        pause: () => streams.forEach((stream) => stream.pause()),
        resume: () => streams.forEach((stream) => stream.resume()),
        forceClose: finish,
      });
    });
    child.once('exit', (exitCode, signal) => {
      exit = { exitCode, signal };
      exitedAt = Date.now();
      // Output still buffered must be read even if a reader paused it.
      streams.forEach((stream) => stream.resume());
      armDrainTimer();
    });
    // 'close' comes after 'exit' once every stream has reached end-of-file.
    child.once('close', (exitCode, signal) => {
      exit ??= { exitCode, signal };
      finish();
    });
  });
}
