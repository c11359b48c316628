import { describe, expect, it } from 'vitest';
import { detectCheckpoint } from '../../src/index.js';
import { excerpt, readScreen, readTranscript } from './helpers/transcript.js';
import { inClaudeCode } from './helpers/variants.js';

const verifyBox = excerpt(readTranscript('04'), '```', '```', '**For checkpoint:human-verify:**');
const banner = [
  '━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━',
  ' GSD ► EXECUTING WAVE 2',
  '━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━',
].join('\n');

describe('screens that are not stops', () => {
  it('an empty screen, a shell prompt, ordinary progress', () => {
    expect(detectCheckpoint('')).toBeNull();
    expect(detectCheckpoint('\n\n   \n')).toBeNull();
    expect(detectCheckpoint('user@host:~/project$')).toBeNull();
    expect(
      detectCheckpoint('✓ Task 1: Dashboard grid layout\n✓ Task 2: Sidebar component\nRunning tests...'),
    ).toBeNull();
  });

  it('a stage banner, also with Claude Code idle below it', () => {
    expect(detectCheckpoint(banner)).toBeNull();
    expect(detectCheckpoint(inClaudeCode(banner))).toBeNull();
  });

  it('a checkpoint that was answered: the answer and new banner follow it', () => {
    expect(detectCheckpoint(`${verifyBox}\n\napproved\n\n${banner}`)).toBeNull();
    expect(detectCheckpoint(inClaudeCode(`${verifyBox}\n\n⚡ Auto-approved checkpoint`))).toBeNull();
  });

  it('a box still being printed: top border and title only', () => {
    const top = verifyBox.split('\n').slice(0, 2).join('\n');
    expect(top).toContain('CHECKPOINT: Verification Required');
    expect(detectCheckpoint(top)).toBeNull();
  });

  it('an answered checkpoint higher up, then work, then a new box still being printed', () => {
    const screen = `${verifyBox}\n\napproved\n\n⏺ Bash(npm test)\n  ⎿  12 passed\n\n${verifyBox.split('\n').slice(0, 10).join('\n')}`;
    expect(detectCheckpoint(screen)).toBeNull();
  });

  it('a PLAN file on display whose checkpoint task carries a resume signal', () => {
    expect(detectCheckpoint(readScreen('plan-file-checkpoint-task'))).toBeNull();
  });

  it('a PLAN file on display that quotes the whole box, cut right after its resume line', () => {
    const screen = readScreen('plan-file-quoting-box');
    expect(screen.trimEnd().split('\n').at(-1)).toMatch(/─+$/);
    expect(detectCheckpoint(screen)).toBeNull();
  });

  it('a template with placeholders (a reference file on display)', () => {
    const template = [
      '════════════════════════════════════════',
      'CHECKPOINT: [Type]',
      '════════════════════════════════════════',
      '',
      'Task [X] of [Y]: [Action/What-Built/Decision]',
      '',
      'Type "approved" or describe issues',
      '════════════════════════════════════════',
    ].join('\n');
    expect(detectCheckpoint(template)).toBeNull();
  });

  it('Next Up once the chain auto-advances', () => {
    const screen = `${readScreen('08-next-up')}\n\n${readScreen('08-auto-advance-filled')}`;
    expect(detectCheckpoint(screen)).toBeNull();
  });

  it('Next Up once the person has typed the next command and the agent works on it', () => {
    const screen = `${readScreen('08-next-up')}\n\n> /gsd:execute-phase 4\n\n⏺ Read(.planning/ROADMAP.md)\n  ⎿  Read 120 lines`;
    expect(detectCheckpoint(screen)).toBeNull();
  });

  it('Claude Code idle after a statement (the agent may simply have finished)', () => {
    expect(detectCheckpoint(inClaudeCode('All 12 tests pass and the plan summary is written.'))).toBeNull();
  });

  it('a question at the end of plain output, without an idle agent prompt below it', () => {
    expect(detectCheckpoint('Checking dependencies...\nWhy is this slow?')).toBeNull();
  });
});
