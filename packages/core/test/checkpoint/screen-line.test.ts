import { describe, expect, it } from 'vitest';
import { toScreenLines } from '../../src/checkpoint/screen-line.js';

describe('toScreenLines', () => {
  it('reads rules by how they are drawn', () => {
    const lines = toScreenLines(['╔════╗', '════════', '────────', '+------+', '```', '| a |'].join('\n'));
    expect(lines.map((line) => [line.kind, line.rule])).toEqual([
      ['rule', 'box'],
      ['rule', 'double'],
      ['rule', 'single'],
      ['rule', 'box'],
      ['rule', 'single'],
      ['text', null],
    ]);
  });

  it('strips side borders, message markers, markdown headings and emphasis', () => {
    const [boxed, marked, heading] = toScreenLines(
      '║  CHECKPOINT: Decision Required  ║\n⏺ **Type:** decision\n## ✓ Phase 3',
    );
    expect(boxed?.text).toBe('CHECKPOINT: Decision Required');
    expect(marked?.text).toBe('Type: decision');
    expect(heading).toMatchObject({ text: '✓ Phase 3', heading: 2 });
  });

  it('removes escape sequences and carriage returns', () => {
    expect(toScreenLines('\u001b[1mProgress:\u001b[0m 2/3\r\nTask: x').map((line) => line.text)).toEqual([
      'Progress: 2/3',
      'Task: x',
    ]);
  });

  it('marks a line that fills the width and is followed by more text as wrapped', () => {
    const lines = toScreenLines(`${'a'.repeat(50)}\n${'b'.repeat(10)}\n${'c'.repeat(50)}\n`);
    expect(lines.map((line) => line.wrapped)).toEqual([true, false, false, false]);
  });
});
