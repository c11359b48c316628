import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect, runCli, startCli } from './cli-runner.js';
import { makeTempDir } from '../../session-manager/test/helpers/temp.js';

describe('gsd-harness CLI', () => {
  let temp: ReturnType<typeof makeTempDir>;

  beforeEach(() => {
    temp = makeTempDir('gsd-cli-');
  });
  afterEach(() => temp.remove());

  describe('run', () => {
    it('prints the output live and exits with the session status', async () => {
      const ok = await runCli(['run', '--', 'echo hello'], temp.dbPath, temp.dir);
      expect(ok).toMatchObject({ code: 0, stdout: 'hello\n' });
      expect(ok.stderr).toMatch(/session [0-9a-f]{8} completed/);

      const failed = await runCli(['run', '--', 'echo oops >&2; exit 7'], temp.dbPath, temp.dir);
      expect(failed.code).toBe(7);
      expect(failed.stdout).toBe('oops\n');
      expect(failed.stderr).toMatch(/failed: exited with code 7/);
    });

    it('passes several words as exact arguments', async () => {
      const result = await runCli(['run', '--', 'printf', '[%s]\\n', 'a  b', "it's"], temp.dbPath, temp.dir);
      expect(result.stdout).toBe("[a  b]\n[it's]\n");
    });

    it('runs in --dir and on a PTY with --pty', async () => {
      const sub = join(temp.dir, 'project');
      mkdirSync(sub);
      const result = await runCli(
        ['run', '--pty', '--dir', sub, '--', 'pwd; tty -s && echo tty'],
        temp.dbPath,
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${sub}\r\ntty\r\n`);
    });

    it('reports a signalled session as failed with 128 + signal', async () => {
      const result = await runCli(['run', '--', 'kill -TERM $$'], temp.dbPath, temp.dir);
      expect(result.code).toBe(143);
      expect(result.stderr).toMatch(/killed by SIGTERM/);
    });

    it('refuses bad input clearly and records nothing', async () => {
      const missing = await runCli(['run', '--dir', join(temp.dir, 'nope'), '--', 'true'], temp.dbPath);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/Working directory does not exist: .*nope/);

      const file = join(temp.dir, 'file.txt');
      writeFileSync(file, 'x');
      const notDir = await runCli(['run', '--dir', file, '--', 'true'], temp.dbPath);
      expect(notDir.stderr).toMatch(/Working directory is not a directory/);

      const empty = await runCli(['run', '--', '  '], temp.dbPath, temp.dir);
      expect(empty.code).toBe(2);
      expect(empty.stderr).toMatch(/Expected a command/);

      const listed = await runCli(['ls'], temp.dbPath);
      expect(listed.stdout).toBe('No sessions yet.\n');
    });

    it('says why when the database cannot be created', async () => {
      const file = join(temp.dir, 'plain-file');
      writeFileSync(file, 'x');
      const result = await runCli(['run', '--db', join(file, 'sessions.db'), '--', 'true'], temp.dbPath);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Cannot open the session database at .*plain-file\/sessions\.db/);
    });
  });

  describe('ls', () => {
    it('shows a table of sessions, newest first, and filters by status', async () => {
      await runCli(['run', '--', 'echo one'], temp.dbPath, temp.dir);
      await runCli(['run', '--', 'exit 4'], temp.dbPath, temp.dir);
      const table = await runCli(['ls'], temp.dbPath);
      const lines = table.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^ID\s+STATUS\s+EXIT\s+DIR\s+STARTED\s+DURATION\s+COMMAND$/);
      expect(lines[1]).toMatch(/^[0-9a-f]{8}\s+failed\s+4\s+.*exit 4$/);
      expect(lines[2]).toMatch(/^[0-9a-f]{8}\s+completed\s+0\s+.*echo one$/);

      const failedOnly = await runCli(['ls', '--status', 'failed', '--json'], temp.dbPath);
      const rows = JSON.parse(failedOnly.stdout) as { command: string; exitCode: number }[];
      expect(rows.map((r) => [r.command, r.exitCode])).toEqual([['exit 4', 4]]);

      const bad = await runCli(['ls', '--status', 'sleeping'], temp.dbPath);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/Unknown status "sleeping"/);
    });
  });

  describe('logs', () => {
    it('prints the whole output, or its last bytes, by id prefix', async () => {
      await runCli(['run', '--', 'seq 1 1000'], temp.dbPath, temp.dir);
      const [row] = JSON.parse((await runCli(['ls', '--json'], temp.dbPath)).stdout) as { id: string }[];
      const id = (row as { id: string }).id;
      let expected = '';
      for (let i = 1; i <= 1000; i++) expected += `${i}\n`;
      expect((await runCli(['logs', id.slice(0, 6)], temp.dbPath)).stdout).toBe(expected);
      expect((await runCli(['logs', id, '--tail', '9'], temp.dbPath)).stdout).toBe('999\n1000\n');
      const unknown = await runCli(['logs', 'ffffffff'], temp.dbPath);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/No session matches "ffffffff"/);
    });

    it('--follow prints output as it arrives and stops when the session ends', async () => {
      const runner = startCli(
        ['run', '--', 'for i in 1 2 3 4 5; do echo tick $i; sleep 0.2; done'],
        temp.dbPath,
        temp.dir,
      );
      const running = collect(runner);
      let id: string | undefined;
      while (id === undefined) {
        const listed = JSON.parse((await runCli(['ls', '--json'], temp.dbPath)).stdout) as {
          id: string;
        }[];
        id = listed[0]?.id;
      }
      const follow = await runCli(['logs', '--follow', id], temp.dbPath);
      expect(follow.code).toBe(0);
      expect(follow.stdout).toBe('tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n');
      expect((await running).code).toBe(0);
    });
  });

  it('has --help for each command', async () => {
    for (const command of ['run', 'ls', 'logs']) {
      const help = await runCli([command, '--help'], temp.dbPath);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`Usage: gsd-harness ${command}`));
      expect(help.stdout).toMatch(/--db <path>/);
    }
  });
});
