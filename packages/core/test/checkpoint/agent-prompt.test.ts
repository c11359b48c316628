import { describe, expect, it } from 'vitest';
import { splitAgentPrompt } from '../../src/checkpoint/agent-prompt.js';
import { toScreenLines } from '../../src/checkpoint/screen-line.js';
import { inClaudeCode } from './helpers/variants.js';

function split(screen: string) {
  const result = splitAgentPrompt(toScreenLines(screen));
  return {
    ...result,
    content: result.content
      .map((line) => line.raw)
      .join('\n')
      .trimEnd(),
  };
}

describe('splitAgentPrompt', () => {
  it('removes the rounded input box and the hints below it', () => {
    expect(split(inClaudeCode('Done.'))).toEqual({ content: '⏺ Done.', promptBox: true, busy: false });
  });

  it('removes the input box drawn with rules, with typed text in it', () => {
    expect(split(inClaudeCode('Done.', { box: 'rules', typed: 'approved' }))).toMatchObject({
      content: '⏺ Done.',
      promptBox: true,
    });
  });

  it('drops the summary line printed when a turn has ended', () => {
    const screen = inClaudeCode('Done.\n\n✻ Worked for 1m 12s');
    expect(split(screen)).toEqual({ content: '⏺ Done.', promptBox: true, busy: false });
  });

  it('sees a spinner above the box as busy', () => {
    expect(split(inClaudeCode('Working on it', { busy: true })).busy).toBe(true);
  });

  it("keeps GSD's `> YOUR ACTION:` between rules: it is not an input box", () => {
    const screen = ['────────────', '> YOUR ACTION: Type "approved" or describe issues', '────────────'].join(
      '\n',
    );
    expect(split(screen)).toEqual({ content: screen, promptBox: false, busy: false });
  });
});
