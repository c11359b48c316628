import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, collect, runCli, type CliResult } from './cli-runner.js';
import { isProcessRunning, killGroup } from '../../session-manager/test/helpers/process.js';
import { makeTempDir } from '../../session-manager/test/helpers/temp.js';
import { settleWithin, TIMED_OUT } from '../../session-manager/test/helpers/settle.js';

interface ListedSession {
  id: string;
  status: string;
  failureReason: string | null;
  pid: number | null;
}

describe('gsd-harness run, robustness', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let children: ChildProcess[];

  beforeEach(() => {
    temp = makeTempDir('gsd-cli-');
    children = [];
  });
  afterEach(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    // Sessions a CLI left behind.
    for (const session of await listSessions()) {
      if (session.pid !== null && isProcessRunning(session.pid)) killGroup(session.pid);
    }
    temp.remove();
  });

  /** Starts the built CLI with its own database, with stdin, stdout and stderr on pipes. */
  function startCli(args: string[]): ChildProcess {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: temp.dir,
      env: { ...process.env, GSD_HARNESS_DB: temp.dbPath, GSD_HARNESS_HOME: undefined },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(child);
    return child;
  }

  async function listSessions(): Promise<ListedSession[]> {
    const listed = await runCli(['ls', '--json'], temp.dbPath);
    return listed.code === 0 ? (JSON.parse(listed.stdout) as ListedSession[]) : [];
  }

  it('ends the session when the reader of its output goes away', async () => {
    const cli = startCli(['run', '--', 'seq 1 100000; sleep 20; echo done']);
    cli.stdin?.end();
    let stderr = '';
    cli.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = once(cli, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;

    const [first] = (await once(cli.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    expect(first.toString()).toMatch(/^1\n/);
    const started = Date.now();
    cli.stdout?.destroy();

    const [code] = await exited;
    // Well before `sleep 20` would have ended.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(code).toBe(143);
    expect(stderr).toMatch(/failed: terminated on request/);

    const sessions = await listSessions();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ status: 'failed', failureReason: 'terminated on request' });
    expect(isProcessRunning(sessions[0]?.pid as number)).toBe(false);
  });

  for (const [input, expected] of [
    ['hi\n', 'hi'],
    ['partial', 'partial'],
  ] as const) {
    it(`ends a PTY session's input at the end of piped input (${JSON.stringify(input)})`, async () => {
      const cli = startCli(['run', '--pty', '--', 'cat']);
      const result = settleWithin(collect(cli), 15_000);
      cli.stdin?.end(input);

      const finished = await result;
      expect(finished).not.toBe(TIMED_OUT);
      const { code, stdout, stderr } = finished as CliResult;
      expect(code).toBe(0);
      expect(stdout).toContain(expected);
      // cat printed the line back after the terminal echoed it.
      expect(stdout.split(expected).length - 1).toBe(2);
      expect(stderr).toMatch(/completed \(exit 0\)/);
    });
  }
});
