import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PersistentSessionManager } from '@gsd/session-manager';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMcpServer } from '../src/index.js';
import { makeTempDir } from '../../session-manager/test/helpers/temp.js';

/** The tools, in process, through the SDK's own client over an in-memory transport. */
describe('gsd_* tools', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let manager: PersistentSessionManager;
  let client: Client;

  beforeEach(async () => {
    temp = makeTempDir('gsd-mcp-');
    manager = new PersistentSessionManager({ dbPath: temp.dbPath, maxSessions: 2 });
    const agent = join(temp.dir, 'fake-agent.sh');
    // Reports its last argument: the prompt, after `--session-id <uuid>`.
    writeFileSync(agent, '#!/bin/sh\nfor last; do :; done\nprintf "agent got: %s\\n" "$last"\n', {
      mode: 0o755,
    });
    const server = createMcpServer({ manager, agentCommand: agent });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: 'test', version: '1.0.0' });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  });
  afterEach(async () => {
    await client.close();
    await manager.close();
    temp.remove();
  });

  async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    return (await client.callTool({ name, arguments: args })) as CallToolResult;
  }
  function textOf(result: CallToolResult): string {
    const first = result.content[0];
    return first?.type === 'text' ? first.text : '';
  }
  async function ok<T>(name: string, args: Record<string, unknown>): Promise<T> {
    const result = await call(name, args);
    expect(result.isError, textOf(result)).toBeFalsy();
    return JSON.parse(textOf(result)) as T;
  }
  async function fails(name: string, args: Record<string, unknown>, message: RegExp): Promise<void> {
    const result = await call(name, args);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(message);
  }

  it('lists the eleven tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'gsd_end_session',
      'gsd_get_checkpoint',
      'gsd_get_output',
      'gsd_get_session',
      'gsd_get_state',
      'gsd_list_sessions',
      'gsd_respond_checkpoint',
      'gsd_resume_session',
      'gsd_send_input',
      'gsd_start_session',
      'gsd_wait_for_change',
    ]);
  });

  it('runs a prompt through the configured agent CLI in a PTY', async () => {
    const session = await ok<{ id: string; mode: string; command: string }>('gsd_start_session', {
      workingDir: temp.dir,
      prompt: "/gsd:execute-plan .planning/phases/02-x/02-03-PLAN.md (it's)",
    });
    expect(session.mode).toBe('pty');
    await ok('gsd_wait_for_change', { sessionIds: [session.id], timeoutMs: 10_000 });
    const output = await ok<{ data: string }>('gsd_get_output', { sessionId: session.id, format: 'text' });
    expect(output.data).toBe("agent got: /gsd:execute-plan .planning/phases/02-x/02-03-PLAN.md (it's)\n");
  });

  it('reports free slots', async () => {
    await ok('gsd_start_session', { workingDir: temp.dir, command: 'sleep 30' });
    const listed = await ok<{ slots: { max: number; used: number; free: number } }>('gsd_list_sessions', {});
    expect(listed.slots).toEqual({ max: 2, used: 1, free: 1 });
  });

  it('returns a wait result as soon as a session ends, and at once for one that already has', async () => {
    const session = await ok<{ id: string }>('gsd_start_session', {
      workingDir: temp.dir,
      command: 'sleep 0.3',
    });
    const waited = await ok<{
      timedOut: boolean;
      changes: { previousStatus: string; session: { status: string } }[];
    }>('gsd_wait_for_change', { sessionIds: [session.id], timeoutMs: 20_000 });
    expect(waited.timedOut).toBe(false);
    expect(waited.changes[0]).toMatchObject({ previousStatus: 'running', session: { status: 'completed' } });
    const again = await ok<{ changes: unknown[] }>('gsd_wait_for_change', { sessionIds: [session.id] });
    expect(again.changes).toHaveLength(1);
  });

  it('times out when nothing changes', async () => {
    await ok('gsd_start_session', { workingDir: temp.dir, command: 'sleep 30' });
    const waited = await ok<{ timedOut: boolean; watched: number }>('gsd_wait_for_change', {
      timeoutMs: 100,
    });
    expect(waited).toMatchObject({ timedOut: true, watched: 1 });
  });

  describe('bad input is an isError result with a readable message', () => {
    it('gsd_start_session', async () => {
      const file = join(temp.dir, 'file.txt');
      writeFileSync(file, 'x');
      await fails(
        'gsd_start_session',
        { workingDir: join(temp.dir, 'missing'), command: 'true' },
        /does not exist/,
      );
      await fails('gsd_start_session', { workingDir: file, command: 'true' }, /is not a directory/);
      await fails('gsd_start_session', { workingDir: temp.dir }, /Give a non-empty `command`/);
      await fails('gsd_start_session', { workingDir: temp.dir, command: ' ' }, /Give a non-empty `command`/);
      await fails('gsd_start_session', { workingDir: temp.dir, command: 'true', prompt: 'hi' }, /not both/);
      await fails(
        'gsd_start_session',
        { workingDir: temp.dir, prompt: 'hi', pty: false },
        /always run in a PTY/,
      );
      await fails('gsd_start_session', { command: 'true' }, /workingDir/);
      mkdirSync(join(temp.dir, 'a'));
      await ok('gsd_start_session', { workingDir: temp.dir, command: 'sleep 30' });
      await ok('gsd_start_session', { workingDir: temp.dir, command: 'sleep 30' });
      await fails(
        'gsd_start_session',
        { workingDir: temp.dir, command: 'true' },
        /All 2 session slots are in use/,
      );
      const listed = await ok<{ sessions: unknown[] }>('gsd_list_sessions', {});
      expect(listed.sessions).toHaveLength(2);
    });

    it('unknown sessions', async () => {
      for (const tool of ['gsd_get_session', 'gsd_get_output', 'gsd_end_session']) {
        await fails(tool, { sessionId: 'nope' }, /No session with id "nope"/);
      }
      await fails('gsd_send_input', { sessionId: 'nope', input: 'x' }, /No session with id "nope"/);
      await fails('gsd_wait_for_change', { sessionIds: ['nope'] }, /No session with id "nope"/);
      await fails('gsd_get_session', { sessionId: '' }, /sessionId/);
    });

    it('sizes and timeouts out of range', async () => {
      const session = await ok<{ id: string }>('gsd_start_session', {
        workingDir: temp.dir,
        command: 'echo hi',
      });
      const id = session.id;
      await fails('gsd_get_output', { sessionId: id, maxBytes: -1 }, /maxBytes/);
      await fails('gsd_get_output', { sessionId: id, maxBytes: 0 }, /maxBytes/);
      await fails('gsd_get_output', { sessionId: id, maxBytes: 10_000_000 }, /maxBytes/);
      await fails('gsd_get_output', { sessionId: id, tailBytes: -5 }, /tailBytes/);
      await fails('gsd_get_output', { sessionId: id, tailBytes: 10_000_000 }, /tailBytes/);
      await fails('gsd_get_output', { sessionId: id, fromOffset: -1 }, /fromOffset/);
      await fails('gsd_get_output', { sessionId: id, fromOffset: 1.5 }, /fromOffset/);
      await fails(
        'gsd_get_output',
        { sessionId: id, tailBytes: 10, fromOffset: 0 },
        /either tailBytes or fromOffset/,
      );
      await fails('gsd_get_output', { sessionId: id, format: 'html' }, /format/);
      await fails('gsd_wait_for_change', { timeoutMs: -1 }, /timeoutMs/);
      await fails('gsd_wait_for_change', { timeoutMs: 60_000 }, /timeoutMs/);
      await fails('gsd_list_sessions', { limit: 0 }, /limit/);
      await fails('gsd_list_sessions', { status: 'sleeping' }, /status/);
    });

    it('input to an ended session, and nothing to send', async () => {
      const session = await ok<{ id: string }>('gsd_start_session', {
        workingDir: temp.dir,
        command: 'true',
      });
      await ok('gsd_wait_for_change', { sessionIds: [session.id] });
      await fails(
        'gsd_send_input',
        { sessionId: session.id, input: 'y', enter: true },
        /has ended \(completed\)/,
      );
      const live = await ok<{ id: string }>('gsd_start_session', {
        workingDir: temp.dir,
        command: 'sleep 30',
      });
      await fails('gsd_send_input', { sessionId: live.id, input: '' }, /Nothing to send/);
    });
  });
});
