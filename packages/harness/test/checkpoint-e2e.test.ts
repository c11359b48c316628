import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../session-manager/test/helpers/temp.js';
import { CLI } from './cli-runner.js';

const FAKE_AGENT = fileURLToPath(
  new URL('../../session-manager/test/fixtures/fake-gsd-agent.mjs', import.meta.url),
);

interface SessionView {
  id: string;
  status: string;
  exitCode: number | null;
}
interface CheckpointView {
  type: string;
  options: { id: string }[];
  resumeKeywords: string[];
  response: string | null;
  responder: string | null;
}

const ANSWERS: Record<string, string> = {
  'human-verify': 'approved',
  decision: 'clerk',
  'human-action': 'done',
  'verify-work': 'pass',
  input: 'y',
};

describe('checkpoints through the MCP tools', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let client: Client;

  beforeEach(async () => {
    temp = makeTempDir('gsd-cp-');
    client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI, 'mcp', '--standalone', '--max-sessions', '5'],
        env: {
          ...(process.env as Record<string, string>),
          GSD_HARNESS_HOME: join(temp.dir, 'home'),
          GSD_HARNESS_DB: join(temp.dir, 'home', 'sessions.db'),
          GSD_AGENT_COMMAND: `'${process.execPath}' '${FAKE_AGENT}'`,
          GSD_CHECKPOINT_QUIET_MS: '300',
        },
        stderr: 'pipe',
      }),
    );
  });
  afterEach(async () => {
    await client.close();
    temp.remove();
  });

  async function call<T>(name: string, args: Record<string, unknown>): Promise<T> {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    const first = result.content[0];
    const text = first?.type === 'text' ? first.text : '';
    if (result.isError === true) throw new Error(`${name}: ${text}`);
    return JSON.parse(text) as T;
  }

  async function waitFor(
    id: string,
    statuses: string[],
  ): Promise<{ session: SessionView; checkpoint?: CheckpointView }> {
    for (;;) {
      const result = await call<{ changes: { session: SessionView; checkpoint?: CheckpointView }[] }>(
        'gsd_wait_for_change',
        { sessionIds: [id], timeoutMs: 20_000 },
      );
      const change = result.changes.find((c) => c.session.id === id);
      if (change !== undefined && statuses.includes(change.session.status)) return change;
    }
  }

  for (const type of Object.keys(ANSWERS)) {
    it(`detects, shows and answers a ${type} checkpoint`, async () => {
      const session = await call<SessionView>('gsd_start_session', { workingDir: temp.dir, prompt: type });
      const waiting = await waitFor(session.id, ['waiting_checkpoint']);
      expect(waiting.checkpoint?.type).toBe(type);

      const shown = await call<{ waiting: boolean; checkpoint: CheckpointView }>('gsd_get_checkpoint', {
        sessionId: session.id,
      });
      expect(shown.waiting).toBe(true);
      expect(shown.checkpoint.type).toBe(type);
      if (type === 'decision') expect(shown.checkpoint.options.map((o) => o.id)).toContain('clerk');

      const answer = ANSWERS[type] as string;
      const answered = await call<{ checkpoint: CheckpointView }>('gsd_respond_checkpoint', {
        sessionId: session.id,
        response: answer,
      });
      expect(answered.checkpoint).toMatchObject({ response: answer, responder: 'mcp' });

      const final = await waitFor(session.id, ['completed', 'failed']);
      expect(final.session).toMatchObject({ status: 'completed', exitCode: 0 });
      const again = await client.callTool({
        name: 'gsd_respond_checkpoint',
        arguments: { sessionId: session.id, response: answer },
      });
      expect(again.isError).toBe(true);
    });
  }
});
