import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quoteShellWord, type SessionResumedEvent, type SessionWaitingEvent } from '@gsd/core';
import { DatabaseConnection, PersistentSessionManager, SessionStore } from '../../src/index.js';
import { makeTempDir, pollUntil } from '../helpers/temp.js';
import { VERIFY_CHECKPOINT, writeCheckpointScript } from './fixtures.js';

function next<T>(
  manager: PersistentSessionManager,
  event: 'session:waiting' | 'session:resumed',
): Promise<T> {
  return new Promise((resolve) => manager.once(event, resolve as (payload: unknown) => void));
}

describe('checkpoints through the manager', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let manager: PersistentSessionManager;

  beforeEach(() => {
    temp = makeTempDir();
    manager = new PersistentSessionManager({ dbPath: temp.dbPath, checkpointQuietMs: 200 });
  });
  afterEach(async () => {
    await manager.close();
    temp.remove();
  });

  function storedStatus(id: string): string | undefined {
    const connection = new DatabaseConnection(temp.dbPath);
    try {
      return new SessionStore(connection).get(id)?.status;
    } finally {
      connection.close();
    }
  }

  it('detects a checkpoint, records it, and resumes after the answer', async () => {
    const script = writeCheckpointScript(temp.dir, VERIFY_CHECKPOINT);
    const waiting = next<SessionWaitingEvent>(manager, 'session:waiting');
    const session = await manager.spawn(temp.dir, script, { pty: true });
    const event = await waiting;

    expect(event.session.status).toBe('waiting_checkpoint');
    expect(event.checkpoint.details).toMatchObject({
      type: 'human-verify',
      progress: '5/8 tasks complete',
      task: 'Responsive dashboard layout',
      resumeKeywords: ['approved'],
    });
    expect(manager.getSession(session.id)?.status).toBe('waiting_checkpoint');
    expect(storedStatus(session.id)).toBe('waiting_checkpoint');
    expect(manager.listSessions().find((s) => s.id === session.id)?.status).toBe('waiting_checkpoint');
    expect(manager.getCheckpoint(session.id)?.response).toBeNull();

    const resumed = next<SessionResumedEvent>(manager, 'session:resumed');
    const answered = manager.respondToCheckpoint(session.id, 'approved', 'cli');
    expect(answered).toMatchObject({ response: 'approved', responder: 'cli' });
    expect((await resumed).session.status).toBe('running');
    expect(storedStatus(session.id)).toBe('running');

    const final = await manager.waitForEnd(session.id);
    expect(final.status).toBe('completed');
    expect(manager.getOutput(session.id).toString()).toContain('got: approved');
    expect(manager.getCheckpoint(session.id)).toMatchObject({ response: 'approved', responder: 'cli' });
  });

  it('records an answer typed key by key as the line typed, once Enter is pressed', async () => {
    const script = writeCheckpointScript(temp.dir, VERIFY_CHECKPOINT);
    const waiting = next<SessionWaitingEvent>(manager, 'session:waiting');
    const session = await manager.spawn(temp.dir, script, { pty: true });
    await waiting;

    const resumed = next<SessionResumedEvent>(manager, 'session:resumed');
    manager.sendInput(session.id, 'a', 'dashboard');
    // The first key answers the checkpoint: the session counts as running at once.
    expect((await resumed).session.status).toBe('running');
    expect(manager.getCheckpoint(session.id)).toMatchObject({ response: 'a', responder: 'dashboard' });
    for (const key of ['p', 'x', '\u007f', 'p', 'r', 'o', 'v', 'e', 'd'])
      manager.sendInput(session.id, key, 'dashboard');
    expect(manager.getCheckpoint(session.id)?.response).toBe('approved');
    manager.sendInput(session.id, '\r', 'dashboard');
    // Keys after Enter are not part of the answer.
    manager.sendInput(session.id, 'more', 'dashboard');

    const final = await manager.waitForEnd(session.id);
    expect(final.status).toBe('completed');
    expect(manager.getOutput(session.id).toString()).toContain('approved');
    expect(manager.getCheckpoint(session.id)).toMatchObject({ response: 'approved', responder: 'dashboard' });
  });

  it('keeps one answer typed slowly, with pauses longer than the quiet time, for one checkpoint', async () => {
    const script = writeCheckpointScript(temp.dir, VERIFY_CHECKPOINT);
    const waiting = next<SessionWaitingEvent>(manager, 'session:waiting');
    const session = await manager.spawn(temp.dir, script, { pty: true });
    await waiting;
    for (const key of 'appr') manager.sendInput(session.id, key, 'dashboard');
    // The echo of the keys is output; once it has been quiet, the screen still shows the checkpoint.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(manager.getSession(session.id)?.status).toBe('running');
    for (const key of 'oved\r') manager.sendInput(session.id, key, 'dashboard');

    const final = await manager.waitForEnd(session.id);
    expect(final).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(manager.checkpointStore.listBySession(session.id)).toEqual([
      expect.objectContaining({ response: 'approved', responder: 'dashboard' }),
    ]);
  });

  it('ends an answer given with one key once the agent has moved on', async () => {
    const textFile = join(temp.dir, 'checkpoint.txt');
    writeFileSync(textFile, `${VERIFY_CHECKPOINT}\n`);
    const script = [
      `cat '${textFile}'`,
      'read -rn1 key',
      'echo; echo "working on the next task"',
      'read -r line',
      'echo "then: $line"',
    ].join('; ');
    const waiting = next<SessionWaitingEvent>(manager, 'session:waiting');
    const session = await manager.spawn(temp.dir, `bash -c ${quoteShellWord(script)}`, { pty: true });
    await waiting;
    manager.sendInput(session.id, '1', 'dashboard');
    await pollUntil(() => manager.getOutput(session.id).includes('working on the next task'));
    // Once the agent's output has been quiet, what is typed next is not part of the answer.
    await new Promise((resolve) => setTimeout(resolve, 800));
    for (const key of 'next\r') manager.sendInput(session.id, key, 'dashboard');

    await manager.waitForEnd(session.id);
    expect(manager.getOutput(session.id).toString()).toContain('then: next');
    expect(manager.getCheckpoint(session.id)).toMatchObject({ response: '1', responder: 'dashboard' });
  });

  it('refuses an answer when the session is not waiting, without writing anything', async () => {
    const session = await manager.spawn(temp.dir, 'read -r line; echo "line: $line"', { pty: true });
    expect(() => manager.respondToCheckpoint(session.id, 'approved', 'mcp')).toThrow(
      /not waiting at a checkpoint/,
    );
    manager.sendInput(session.id, 'typed\r');
    await manager.waitForEnd(session.id);
    expect(manager.getOutput(session.id).toString()).toBe('typed\r\nline: typed\r\n');
  });

  it('wakes waitForChange when a session starts waiting', async () => {
    const script = writeCheckpointScript(temp.dir, VERIFY_CHECKPOINT);
    const session = await manager.spawn(temp.dir, script, { pty: true });
    const result = await manager.waitForChange({ sessionIds: [session.id], timeoutMs: 10_000 });
    expect(result.changes[0]?.session.status).toBe('waiting_checkpoint');
    manager.respondToCheckpoint(session.id, 'no: the sidebar overlaps', 'mcp');
    const final = await manager.waitForEnd(session.id);
    expect(final).toMatchObject({ status: 'failed', exitCode: 3 });
  });

  it('reads the live screen from the mirror', async () => {
    const session = await manager.spawn(temp.dir, "printf 'one\\ntwo\\n\\033[2J\\033[Hclean'; sleep 5", {
      pty: true,
    });
    let screen: string | undefined;
    for (let i = 0; i < 100 && screen !== 'clean'; i++) {
      screen = await manager.liveScreen(session.id);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(screen).toBe('clean');
  });
});

const FAKE_AGENT = new URL('../fixtures/fake-gsd-agent.mjs', import.meta.url).pathname;
const ANSWERS: Record<string, string> = {
  'human-verify': 'approved',
  decision: 'supabase',
  'human-action': 'done',
  'verify-work': 'pass',
  input: 'y',
};

describe('the fake GSD agent through the manager', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let manager: PersistentSessionManager;

  beforeEach(() => {
    temp = makeTempDir();
    manager = new PersistentSessionManager({ dbPath: temp.dbPath, checkpointQuietMs: 250, maxSessions: 5 });
  });
  afterEach(async () => {
    await manager.close();
    temp.remove();
  });

  for (const [type, answer] of Object.entries(ANSWERS)) {
    it(`${type}: detect → get → respond → running → completed`, async () => {
      const waiting = next<SessionWaitingEvent>(manager, 'session:waiting');
      const command = `'${process.execPath}' '${FAKE_AGENT}' ${type} --ascii`;
      const session = await manager.spawn(temp.dir, command, { pty: true });
      expect((await waiting).checkpoint.details.type).toBe(type);
      expect(manager.getCheckpoint(session.id)?.details.type).toBe(type);

      const resumed = next<SessionResumedEvent>(manager, 'session:resumed');
      manager.respondToCheckpoint(session.id, answer, 'mcp');
      expect((await resumed).session.status).toBe('running');
      expect(await manager.waitForEnd(session.id)).toMatchObject({ status: 'completed', exitCode: 0 });
    });
  }
});
