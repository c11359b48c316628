import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quoteShellWord } from '@gsd/core';
import { PersistentSessionManager } from '@gsd/session-manager';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMcpServer, type SessionView } from '../src/index.js';
import { makeTempDir } from '../../session-manager/test/helpers/temp.js';

const RECORD_ARGS = fileURLToPath(
  new URL('../../session-manager/test/fixtures/record-args.mjs', import.meta.url),
);

/** gsd_resume_session in process, with an agent CLI that records how it was called. */
describe('gsd_resume_session', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let manager: PersistentSessionManager;
  let client: Client;
  let argsFile: string;

  beforeEach(async () => {
    temp = makeTempDir('gsd-mcp-resume-');
    argsFile = join(temp.dir, 'args.jsonl');
    manager = new PersistentSessionManager({ dbPath: temp.dbPath });
    const agentCommand =
      `RECORD_ARGS_FILE=${quoteShellWord(argsFile)} ` +
      `${quoteShellWord(process.execPath)} ${quoteShellWord(RECORD_ARGS)}`;
    const server = createMcpServer({ manager, agentCommand });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: 'test', version: '1.0.0' });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  });
  afterEach(async () => {
    await client.close();
    await manager.close();
    temp.remove();
  });

  async function call(
    name: string,
    args: Record<string, unknown>,
  ): Promise<{ error: boolean; text: string }> {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    const first = result.content[0];
    return { error: result.isError === true, text: first?.type === 'text' ? first.text : '' };
  }
  async function ok<T>(name: string, args: Record<string, unknown>): Promise<T> {
    const { error, text } = await call(name, args);
    expect(error, text).toBe(false);
    return JSON.parse(text) as T;
  }
  function recordedArgs(): string[][] {
    return readFileSync(argsFile, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { argv: string[] }).argv);
  }

  it('resumes an ended prompt session with --resume <its conversation id> and the prompt', async () => {
    const first = await ok<SessionView>('gsd_start_session', { workingDir: temp.dir, prompt: 'plan it' });
    expect(first).toMatchObject({ durable: false, resumedFrom: null });
    expect(first.agentSessionId).toMatch(/^[0-9a-f-]{36}$/);
    await manager.waitForEnd(first.id);

    const resumed = await ok<SessionView>('gsd_resume_session', { sessionId: first.id, prompt: 'go on' });
    expect(resumed).toMatchObject({
      workingDir: temp.dir,
      mode: 'pty',
      agentSessionId: first.agentSessionId,
      resumedFrom: first.id,
    });
    await manager.waitForEnd(resumed.id);
    expect(recordedArgs()).toEqual([
      ['--session-id', first.agentSessionId, 'plan it'],
      ['--resume', first.agentSessionId, 'go on'],
    ]);
    const shown = await ok<SessionView>('gsd_get_session', { sessionId: resumed.id });
    expect(shown).toMatchObject({ resumedFrom: first.id, agentSessionId: first.agentSessionId });
  });

  it('refuses with a readable isError result', async () => {
    await expect(call('gsd_resume_session', { sessionId: 'nope' })).resolves.toEqual({
      error: true,
      text: 'No session with id "nope"',
    });
    const shell = await ok<SessionView>('gsd_start_session', { workingDir: temp.dir, command: 'sleep 30' });
    const notAgent = await call('gsd_resume_session', { sessionId: shell.id });
    expect(notAgent).toMatchObject({ error: true, text: expect.stringMatching(/only agent sessions/) });
    const missing = await call('gsd_resume_session', {});
    expect(missing).toMatchObject({ error: true, text: expect.stringMatching(/sessionId/) });
  });
});
