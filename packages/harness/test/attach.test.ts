import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PersistentSessionManager,
  ScreenMirror,
  SessionManager,
  SessionStore,
  DatabaseConnection,
} from '../../session-manager/src/index.js';
import { endDurableSessions } from '../../session-manager/test/helpers/hosts.js';
import { makeTempDir, pollUntil } from '../../session-manager/test/helpers/temp.js';
import { quoteShellWord } from '@gsd/core';
import { CLI, collect } from './cli-runner.js';

const FAKE_AGENT = fileURLToPath(
  new URL('../../session-manager/test/fixtures/fake-gsd-agent.mjs', import.meta.url),
);

/** A terminal running `gsd-harness attach`, driven through a PTY as a person's would be. */
interface Viewer {
  id: string;
  screen: ScreenMirror;
  printed(): string;
}

describe('gsd-harness attach and end', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let env: Record<string, string>;
  let terminals: SessionManager;

  beforeEach(() => {
    temp = makeTempDir('gsd-attach-');
    env = { GSD_HARNESS_DB: temp.dbPath, GSD_HARNESS_HOME: join(temp.dir, 'home') };
    terminals = new SessionManager({ maxSessions: 4, terminateGraceMs: 1_000 });
  });
  afterEach(async () => {
    await terminals.terminateAll();
    await endDurableSessions(temp.dbPath);
    temp.remove();
  });

  /** Starts a durable session and leaves it running with no harness attached. */
  async function startDurable(command: string): Promise<string> {
    const manager = new PersistentSessionManager({
      dbPath: temp.dbPath,
      hostDir: join(temp.dir, 'home', 'hosts'),
      durableByDefault: true,
    });
    try {
      const session = await manager.spawn(temp.dir, command, { pty: true, cols: 80, rows: 24 });
      return session.id;
    } finally {
      await manager.close();
    }
  }

  async function attach(sessionId: string): Promise<Viewer> {
    const screen = new ScreenMirror(100, 30);
    let printed = '';
    const terminal = await terminals.spawn(
      temp.dir,
      `${quoteShellWord(process.execPath)} ${quoteShellWord(CLI)} attach ${sessionId.slice(0, 8)}`,
      { pty: true, cols: 100, rows: 30, env },
    );
    terminals.on('session:output', (event) => {
      if (event.sessionId !== terminal.id) return;
      screen.write(event.bytes);
      printed += event.data;
    });
    return { id: terminal.id, screen, printed: () => printed };
  }

  function runCli(args: string[]) {
    return collect(
      spawn(process.execPath, [CLI, ...args], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
  }

  function storedSession(sessionId: string) {
    const connection = new DatabaseConnection(temp.dbPath);
    try {
      return new SessionStore(connection).get(sessionId);
    } finally {
      connection.close();
    }
  }

  it('attaches two terminals at once: both see the screen and each other’s keys; Ctrl-] detaches one', async () => {
    const sessionId = await startDurable(`printf 'hello from session\\n'; exec cat`);
    const first = await attach(sessionId);
    const second = await attach(sessionId);
    for (const viewer of [first, second]) {
      await pollUntil(async () => (await viewer.screen.text()).includes('hello from session'));
    }
    // The session takes the size of the terminal that attached.
    await pollUntil(() => storedSession(sessionId)?.cols === 100 && storedSession(sessionId)?.rows === 30);

    terminals.sendInput(first.id, 'ping from first\r');
    await pollUntil(async () => (await second.screen.text()).includes('ping from first'));

    terminals.sendInput(first.id, '\u001d');
    const detached = await terminals.waitForEnd(first.id);
    expect(detached.exitCode).toBe(0);
    expect(first.printed()).toContain('detached from session');
    expect(storedSession(sessionId)?.status).toBe('running');

    terminals.sendInput(second.id, 'pong from second\r');
    await pollUntil(async () => (await second.screen.text()).includes('pong from second'));

    const ended = await runCli(['end', sessionId.slice(0, 8)]);
    expect(ended.code).toBe(0);
    expect(ended.stdout).toContain('failed: terminated on request');
    const closed = await terminals.waitForEnd(second.id);
    expect(closed.exitCode).toBe(0);
    expect(second.printed()).toMatch(/ended: failed: terminated on request/);
    expect(storedSession(sessionId)).toMatchObject({
      status: 'failed',
      failureReason: 'terminated on request',
    });
  });

  it('records an answer typed in an attached terminal as the checkpoint’s, from the terminal', async () => {
    // A harness server, attached to the session as it runs.
    const server = new PersistentSessionManager({
      dbPath: temp.dbPath,
      hostDir: join(temp.dir, 'home', 'hosts'),
      durableByDefault: true,
      checkpointQuietMs: 200,
    });
    try {
      const session = await server.spawn(
        temp.dir,
        `node ${quoteShellWord(FAKE_AGENT)} decision --delay-ms 1`,
        {
          pty: true,
        },
      );
      await pollUntil(() => server.getSession(session.id)?.status === 'waiting_checkpoint');
      const option = server.getCheckpoint(session.id)?.details.options[0]?.id as string;
      const viewer = await attach(session.id);
      await pollUntil(async () => (await viewer.screen.text()).includes(option));

      // A person types the answer, one key at a time.
      for (const key of [...option, '\r']) terminals.sendInput(viewer.id, key);
      const ended = await server.waitForEnd(session.id);
      expect(ended.status).toBe('completed');
      expect(server.getCheckpoint(session.id)).toMatchObject({ response: option, responder: 'terminal' });
      await terminals.waitForEnd(viewer.id);
    } finally {
      await server.close();
    }
  });

  it('prints the tail of an ended session', async () => {
    const sessionId = await startDurable(`printf 'first line\\nlast line\\n'`);
    await pollUntil(() => storedSession(sessionId)?.endedAt !== null);
    const result = await runCli(['attach', sessionId, '--tail', '11']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('last line\r\n');
    expect(result.stderr).toContain('has ended: completed (exit 0)');
  });

  it('refuses to attach to a session that is not durable, and says what to do instead', async () => {
    const manager = new PersistentSessionManager({ dbPath: temp.dbPath });
    try {
      const session = await manager.spawn(temp.dir, 'sleep 30');
      const result = await runCli(['attach', session.id]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/is not durable.*gsd-harness logs -f/s);
      const end = await runCli(['end', session.id]);
      expect(end.code).toBe(1);
      expect(end.stderr).toMatch(/runs inside another harness process \(pid \d+\)/);
    } finally {
      await manager.close();
    }
  });

  it('says an ended session has already ended', async () => {
    const sessionId = await startDurable('exit 3');
    await pollUntil(() => storedSession(sessionId)?.endedAt !== null);
    const result = await runCli(['end', sessionId]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('has already ended: failed: exited with code 3');
  });

  it('lists durable sessions no harness has held for longer than the grace period with ls --orphans', async () => {
    const sessionId = await startDurable('sleep 30');
    const listed = await runCli(['ls', '--orphans', '--grace', '0', '--json']);
    expect(listed.code).toBe(0);
    const rows = JSON.parse(listed.stdout) as { id: string; hostPid: number; durable: boolean }[];
    expect(rows.map((row) => row.id)).toEqual([sessionId]);
    expect(rows[0]?.hostPid).toBeGreaterThan(0);
    expect((await runCli(['ls', '--orphans', '--grace', '0'])).stdout).toContain(sessionId.slice(0, 8));

    // Not yet past a long grace period.
    expect((await runCli(['ls', '--orphans', '--grace', '3600'])).stdout).toContain(
      'No orphaned durable sessions',
    );

    // A harness attached to it: not an orphan.
    const manager = new PersistentSessionManager({ dbPath: temp.dbPath, reattach: true });
    try {
      expect((await manager.ready)?.reattached).toEqual([sessionId]);
      const attached = await runCli(['ls', '--orphans', '--grace', '0', '--json']);
      expect(JSON.parse(attached.stdout)).toEqual([]);
    } finally {
      await manager.close();
    }
    expect((await runCli(['ls', '--orphans', '--grace', 'soon'])).code).toBe(2);
  });
});
