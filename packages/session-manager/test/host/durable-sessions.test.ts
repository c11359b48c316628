import { readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quoteShellWord, type Session } from '@gsd/core';
import {
  DatabaseConnection,
  HostConnection,
  OwnerStore,
  PersistentSessionManager,
  SessionStore,
  type PersistentSessionManagerOptions,
} from '../../src/index.js';
import { endDurableSessions } from '../helpers/hosts.js';
import { isProcessRunning } from '../helpers/process.js';
import { makeTempDir, pollUntil } from '../helpers/temp.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const COUNTER = fixture('counter.mjs');
const FAKE_AGENT = fixture('fake-gsd-agent.mjs');

describe('durable sessions', () => {
  let temp: ReturnType<typeof makeTempDir>;
  const managers: PersistentSessionManager[] = [];

  beforeEach(() => {
    temp = makeTempDir('gsd-durable-');
  });
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((manager) => manager.close()));
    await endDurableSessions(temp.dbPath);
    temp.remove();
  });

  function open(options: PersistentSessionManagerOptions = {}): PersistentSessionManager {
    const manager = new PersistentSessionManager({
      dbPath: temp.dbPath,
      hostDir: join(temp.dir, 'hosts'),
      durableByDefault: true,
      reattach: true,
      checkpointQuietMs: 200,
      ...options,
    });
    managers.push(manager);
    return manager;
  }

  async function closeAll(): Promise<void> {
    await Promise.all(managers.splice(0).map((manager) => manager.close()));
  }

  function stored(sessionId: string): { session: Session; hostPid: number } {
    const connection = new DatabaseConnection(temp.dbPath);
    try {
      const session = new SessionStore(connection).get(sessionId) as Session;
      const owner = new OwnerStore(connection).get(session.ownerId as string);
      return { session, hostPid: owner?.pid as number };
    } finally {
      connection.close();
    }
  }

  const counterCommand = (record: string, extra = ''): string =>
    `node ${quoteShellWord(COUNTER)} ${quoteShellWord(record)} ${extra}`;

  it('keeps running when the manager closes, and a new manager re-attaches it with nothing lost', async () => {
    const record = join(temp.dir, 'record.txt');
    const first = open();
    const session = await first.spawn(temp.dir, counterCommand(record), { pty: true });
    expect(session).toMatchObject({ durable: true, status: 'running' });
    let live = '';
    first.on('session:output', (event) => (live += event.data));
    await pollUntil(() => live.includes('count 20'));
    await closeAll();

    // Printed while no harness was attached: the host stores it.
    const storedBefore = stored(session.id).session.outputBytes;
    await pollUntil(() => stored(session.id).session.outputBytes > storedBefore + 200);
    expect(stored(session.id).session.status).toBe('running');

    const second = open();
    const recovery = await second.ready;
    expect(recovery?.reattached).toEqual([session.id]);
    expect(recovery?.markedFailed).toEqual([]);
    expect(second.getSession(session.id)?.status).toBe('running');
    let after = '';
    second.on('session:output', (event) => (after += event.data));
    await pollUntil(() => /count \d+/.test(after));

    const ended = await second.terminate(session.id);
    expect(ended.status).toBe('failed');
    expect(ended.failureReason).toMatch(/terminated on request/);
    const lines = second.getOutput(session.id).toString('utf8').replace(/\r/g, '').split('\n');
    const printed = readFileSync(record, 'utf8').split('\n');
    // Every line the program printed, once each and in order (the last one may have been cut by SIGTERM).
    expect(lines.filter((line) => line !== '')).toEqual(printed.filter((line) => line !== ''));
  });

  it('records an end that happens while no manager is attached, with the exit code', async () => {
    const first = open();
    const ok = await first.spawn(temp.dir, 'sleep 0.5; echo done', { pty: true });
    const bad = await first.spawn(temp.dir, 'sleep 0.5; exit 7');
    await closeAll();
    await pollUntil(() => stored(bad.id).session.endedAt !== null && stored(ok.id).session.endedAt !== null);

    const second = open();
    const recovery = await second.ready;
    expect(recovery?.reattached).toEqual([]);
    expect(recovery?.markedFailed).toEqual([]);
    expect(second.getSession(ok.id)).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(second.getSession(bad.id)).toMatchObject({
      status: 'failed',
      exitCode: 7,
      failureReason: 'exited with code 7',
    });
    expect(second.getOutput(ok.id).toString()).toBe('done\r\n');
  });

  it('marks failed, with the reason, a session whose host was killed while no manager was attached', async () => {
    const first = open();
    const session = await first.spawn(temp.dir, 'sleep 30', { pty: true });
    const { hostPid } = stored(session.id);
    await closeAll();
    process.kill(hostPid, 'SIGKILL');
    await pollUntil(() => !isProcessRunning(hostPid));

    const second = open();
    const recovery = await second.ready;
    expect(recovery?.markedFailed).toEqual([session.id]);
    expect(recovery?.reattached).toEqual([]);
    const failed = second.getSession(session.id);
    expect(failed?.status).toBe('failed');
    expect(failed?.failureReason).toMatch(new RegExp(`session host \\(pid ${hostPid}\\) is gone`));
  });

  it('re-attaches 20 sessions at once, beyond maxSessions', async () => {
    const first = open({ maxSessions: 20 });
    const started = await Promise.all(
      Array.from({ length: 20 }, (_, i) => first.spawn(temp.dir, `echo ready ${i}; exec cat`, { pty: true })),
    );
    await closeAll();

    const second = open({ maxSessions: 3 });
    const recovery = await second.ready;
    expect([...(recovery?.reattached ?? [])].sort()).toEqual(started.map((s) => s.id).sort());
    expect(second.activeCount).toBe(20);
    // Each one is live: input reaches it and its echo comes back.
    const echoes = new Map<string, string>();
    second.on('session:output', (event) =>
      echoes.set(event.sessionId, (echoes.get(event.sessionId) ?? '') + event.data),
    );
    for (const session of started) second.sendInput(session.id, `hello ${session.id.slice(0, 8)}\r`);
    await pollUntil(() => started.every((s) => echoes.get(s.id)?.includes(`hello ${s.id.slice(0, 8)}`)));
    await expect(second.spawn(temp.dir, 'true')).rejects.toMatchObject({ code: 'SESSION_LIMIT' });
  });

  it('serves its socket to its owner only, in a private directory', async () => {
    const manager = open();
    const session = await manager.spawn(temp.dir, 'sleep 30');
    const address = new SessionStore(manager.connection).hostAddress(session.id);
    expect(address).toBeDefined();
    const socket = statSync(address?.socketPath as string);
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    expect(statSync(join(temp.dir, 'hosts')).mode & 0o777).toBe(0o700);
  });

  it('does not trust a process listening at a dead host’s socket path', async () => {
    const first = open();
    const session = await first.spawn(temp.dir, 'sleep 30', { pty: true });
    const { hostPid } = stored(session.id);
    const address = new SessionStore(first.connection).hostAddress(session.id);
    const socketPath = address?.socketPath as string;
    await closeAll();
    process.kill(hostPid, 'SIGKILL');
    await pollUntil(() => !isProcessRunning(hostPid));

    // Something else takes the stale path and answers like a host, but cannot know the session's secret.
    rmSync(socketPath, { force: true });
    const impostor = await listenAt(socketPath, (socket) =>
      socket.on('data', () =>
        socket.write(
          frameJson({ type: 'welcome', version: 1, sessionId: session.id, proof: 'ab'.repeat(32) }),
        ),
      ),
    );
    try {
      await expect(
        HostConnection.open(address as NonNullable<typeof address>, session.id, 'controller'),
      ).rejects.toMatchObject({ code: 'HOST_UNTRUSTED' });
      const second = open();
      const recovery = await second.ready;
      expect(recovery?.reattached).toEqual([]);
      expect(second.getSession(session.id)?.status).toBe('failed');
    } finally {
      impostor.close();
    }
  });

  it('does not re-attach a live host’s session whose socket was replaced', async () => {
    const first = open();
    const session = await first.spawn(temp.dir, 'sleep 30', { pty: true });
    const address = new SessionStore(first.connection).hostAddress(session.id);
    await closeAll();
    rmSync(address?.socketPath as string);
    const impostor = await listenAt(address?.socketPath as string, (socket) =>
      socket.on('data', () => socket.write(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'))),
    );
    try {
      const second = open();
      const recovery = await second.ready;
      expect(recovery?.reattached).toEqual([]);
      expect(recovery?.notReattached).toEqual([
        expect.objectContaining({ sessionId: session.id, untrusted: true }),
      ]);
      expect(recovery?.skippedLiveOwner).toEqual([session.id]);
      // Its host still runs it and nothing marked it failed.
      expect(second.getSession(session.id)?.status).toBe('running');
    } finally {
      impostor.close();
      // Nothing can reach this host through its socket any more: it is asked to end by signal.
      process.kill(stored(session.id).hostPid, 'SIGTERM');
    }
  });

  it('sends a flood to its harness and a viewer in batched frames, contiguous and equal to what it stores', async () => {
    const manager = open();
    const session = await manager.spawn(temp.dir, 'read go; head -c 3000000 /dev/urandom | base64', {
      pty: false,
    });
    const address = new SessionStore(manager.connection).hostAddress(session.id);
    const viewer = await HostConnection.open(address as NonNullable<typeof address>, session.id, 'viewer');
    const seen: Buffer[] = [];
    let next = viewer.welcome.outputBytes;
    let gaps = 0;
    let largest = 0;
    viewer.start({
      onOutput: (offset, bytes) => {
        if (offset !== next) gaps++;
        next = offset + bytes.length;
        largest = Math.max(largest, bytes.length);
        seen.push(Buffer.from(bytes));
      },
      onResized: () => {},
      onExit: () => {},
      onClose: () => {},
    });
    const live: Buffer[] = [];
    manager.on('session:output', (event) => live.push(Buffer.from(event.bytes)));

    manager.sendInput(session.id, 'go\n');
    const ended = await manager.waitForEnd(session.id);
    expect(ended.status).toBe('completed');
    await pollUntil(() => viewer.isClosed);

    const storedBytes = manager.getOutput(session.id);
    expect(storedBytes.length).toBe(4_052_632);
    expect(gaps).toBe(0);
    expect(Buffer.concat(seen).equals(storedBytes)).toBe(true);
    expect(Buffer.concat(live).equals(storedBytes)).toBe(true);
    // A pipe is read 64 KiB at a time at most: a larger frame holds several reads.
    expect(largest).toBeGreaterThan(64 * 1024);
  });

  it('lets one manager at a time hold a session; another can still end it through the host', async () => {
    const first = open();
    const session = await first.spawn(temp.dir, 'exec cat', { pty: true });
    const second = open();
    const recovery = await second.ready;
    expect(recovery?.skippedLiveOwner).toContain(session.id);
    expect(recovery?.notReattached).toEqual([
      expect.objectContaining({ sessionId: session.id, untrusted: false }),
    ]);
    const ended = await second.terminate(session.id);
    expect(ended).toMatchObject({ status: 'failed', failureReason: 'terminated on request' });
    expect((await first.waitForEnd(session.id)).status).toBe('failed');
  });

  it('resumes checkpoint detection after re-attaching: a checkpoint reached while detached is answered', async () => {
    const first = open();
    const session = await first.spawn(temp.dir, `node ${quoteShellWord(FAKE_AGENT)} decision --delay-ms 1`, {
      pty: true,
    });
    await closeAll();
    await pollUntil(() => stored(session.id).session.outputBytes > 500);

    const second = open();
    await second.ready;
    const waiting = await pollUntil(() => second.getSession(session.id)?.status === 'waiting_checkpoint');
    expect(waiting).toBe(true);
    const checkpoint = second.getCheckpoint(session.id);
    expect(checkpoint?.details.type).toBe('decision');
    const option = checkpoint?.details.options[0]?.id as string;
    second.respondToCheckpoint(session.id, option, 'mcp');
    const ended = await second.waitForEnd(session.id);
    expect(ended.status).toBe('completed');
    expect(second.getCheckpoint(session.id)).toMatchObject({ response: option, responder: 'mcp' });
  });

  it('records keys typed in an attached terminal that answer a checkpoint, as from the terminal', async () => {
    const manager = open();
    const session = await manager.spawn(
      temp.dir,
      `node ${quoteShellWord(FAKE_AGENT)} decision --delay-ms 1`,
      {
        pty: true,
      },
    );
    await pollUntil(() => manager.getSession(session.id)?.status === 'waiting_checkpoint');
    const option = manager.getCheckpoint(session.id)?.details.options[0]?.id as string;
    expect(option.length).toBeGreaterThan(0);

    const address = new SessionStore(manager.connection).hostAddress(session.id);
    const terminal = await HostConnection.open(address as NonNullable<typeof address>, session.id, 'viewer');
    terminal.start(noEvents());
    // One key at a time, with a typo corrected, as a person types.
    for (const key of ['x', '\u007f', ...option, '\r']) terminal.write(Buffer.from(key));

    const ended = await manager.waitForEnd(session.id);
    expect(ended.status).toBe('completed');
    expect(manager.getCheckpoint(session.id)).toMatchObject({ response: option, responder: 'terminal' });
    await terminal.close();
  });

  it('does not take focus or arrow reports from a terminal as an answer; decodes characters split in two', async () => {
    const manager = open();
    const session = await manager.spawn(
      temp.dir,
      `node ${quoteShellWord(FAKE_AGENT)} decision --delay-ms 1`,
      // On pipes nothing echoes the reports back, so the screen still shows the checkpoint after them.
      { pty: false },
    );
    await pollUntil(() => manager.getSession(session.id)?.status === 'waiting_checkpoint');
    const address = new SessionStore(manager.connection).hostAddress(session.id);
    const terminal = await HostConnection.open(address as NonNullable<typeof address>, session.id, 'viewer');
    terminal.start(noEvents());
    terminal.write(Buffer.from('\u001b[I\u001b[A'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(manager.getSession(session.id)?.status).toBe('waiting_checkpoint');
    expect(manager.getCheckpoint(session.id)?.response).toBeNull();

    const umlaut = Buffer.from('ü');
    terminal.write(umlaut.subarray(0, 1));
    terminal.write(umlaut.subarray(1));
    terminal.write(Buffer.from('\n'));
    await manager.waitForEnd(session.id);
    expect(manager.getCheckpoint(session.id)).toMatchObject({ response: 'ü', responder: 'terminal' });
    await terminal.close();
  });
});

function noEvents(): Parameters<HostConnection['start']>[0] {
  return { onOutput: () => {}, onResized: () => {}, onExit: () => {}, onClose: () => {} };
}

function frameJson(message: object): Buffer {
  const body = Buffer.from(JSON.stringify(message));
  const header = Buffer.alloc(5);
  header.writeUInt32BE(body.length + 1, 0);
  header.writeUInt8(0, 4);
  return Buffer.concat([header, body]);
}

async function listenAt(path: string, onSocket: (socket: Socket) => void): Promise<Server> {
  const umask = process.umask(0o177);
  const server = createServer(onSocket);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
  } finally {
    process.umask(umask);
  }
  return server;
}
