import { fileURLToPath } from 'node:url';
import { detectCheckpoint, type CheckpointDetails, type CheckpointType } from '@gsd/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderScreen, screenText } from '../src/screen/render-screen.js';
import { SessionManager } from '../src/session-manager.js';
import { makeTempDir } from './helpers/temp.js';

const AGENT = fileURLToPath(new URL('./fixtures/fake-gsd-agent.mjs', import.meta.url));
const COLS = 100;
const ROWS = 40;
/** Output must stay unchanged this long before the screen is read, as the harness's watcher does. */
const QUIET_MS = 400;
const POLL_MS = 20;
const QUIET_TIMEOUT_MS = 15_000;

describe('fake GSD agent in a real PTY', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let manager: SessionManager;

  beforeEach(() => {
    temp = makeTempDir();
    manager = new SessionManager({ terminateGraceMs: 300 });
  });
  afterEach(async () => {
    await manager.terminateAll();
    temp.remove();
  });

  async function start(args: string): Promise<string> {
    const session = await manager.spawn(temp.dir, `node ${AGENT} ${args}`, {
      pty: true,
      cols: COLS,
      rows: ROWS,
    });
    return session.id;
  }

  /**
   * Polls the output until more than `after` bytes have arrived and nothing new has come for
   * QUIET_MS, then returns the screen a person would see and the output length it was read at.
   */
  async function quietScreen(sessionId: string, after = 0): Promise<{ screen: string; bytes: number }> {
    const deadline = Date.now() + QUIET_TIMEOUT_MS;
    let seen = -1;
    let changedAt = Date.now();
    for (;;) {
      const output = manager.getOutput(sessionId) ?? Buffer.alloc(0);
      if (output.length !== seen) {
        seen = output.length;
        changedAt = Date.now();
      } else if (seen > after && Date.now() - changedAt >= QUIET_MS) {
        return { screen: screenText(await renderScreen(output, COLS, ROWS)), bytes: seen };
      }
      if (Date.now() > deadline) throw new Error(`output did not go quiet within ${QUIET_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  function checkpointOn(screen: string, type: CheckpointType): CheckpointDetails {
    const details = detectCheckpoint(screen);
    expect(details?.type, screen).toBe(type);
    return details as CheckpointDetails;
  }

  async function finalScreen(sessionId: string): Promise<string> {
    return screenText(await renderScreen(manager.getOutput(sessionId) ?? Buffer.alloc(0), COLS, ROWS));
  }

  const cases: [CheckpointType, string, string][] = [
    ['human-verify', '', 'approved'],
    ['decision', '', 'supabase'],
    ['human-action', '', 'done'],
    ['verify-work', '', 'pass'],
    ['input', '', 'y'],
    ['human-verify', ' --ascii', 'approved'],
    ['decision', ' --ascii', 'supabase'],
    ['human-action', ' --ascii', 'done'],
    ['human-verify', ' --prompt-box', 'approved'],
  ];

  it.each(cases)(
    '%s%s: detected, answered with its first keyword, completes',
    async (type, flags, answer) => {
      const id = await start(`${type}${flags}`);
      const { screen } = await quietScreen(id);
      const details = checkpointOn(screen, type);
      expect(details.resumeKeywords[0]).toBe(answer);

      manager.sendInput(id, `${answer}\r`);
      const ended = await manager.waitForEnd(id);
      expect(ended).toMatchObject({ status: 'completed', exitCode: 0 });
      const after = await finalScreen(id);
      expect(after).toContain('Plan 03-02 complete');
      expect(detectCheckpoint(after)).toBeNull();
    },
  );

  it('a second checkpoint after the first answer', async () => {
    const id = await start('human-verify --then-checkpoint decision');
    const first = await quietScreen(id);
    checkpointOn(first.screen, 'human-verify');
    manager.sendInput(id, 'approved\r');

    const second = await quietScreen(id, first.bytes);
    const details = checkpointOn(second.screen, 'decision');
    expect(details.options.map((option) => option.id)).toEqual(['supabase', 'clerk', 'nextauth']);
    manager.sendInput(id, 'clerk\r');
    expect(await manager.waitForEnd(id)).toMatchObject({ status: 'completed', exitCode: 0 });
  });

  it('an answer that reports an issue stops the agent with status 3', async () => {
    const id = await start('human-verify');
    checkpointOn((await quietScreen(id)).screen, 'human-verify');
    manager.sendInput(id, 'the sidebar overlaps the header\r');
    expect(await manager.waitForEnd(id)).toMatchObject({ status: 'failed', exitCode: 3 });
    const after = await finalScreen(id);
    expect(after).toContain("I'll address the issue");
    expect(detectCheckpoint(after)).toBeNull();
  });
});
