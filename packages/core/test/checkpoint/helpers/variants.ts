import type { CheckpointDetails } from '../../../src/index.js';

/** The box drawn with `+`, `-` and `|`, and `>` for the arrow (transcript 03's re-rendering). */
export function toAscii(screen: string): string {
  return screen
    .replace(/[╔╗╚╝]/g, '+')
    .replace(/[═─]/g, '-')
    .replace(/║/g, '|')
    .replace(/→/g, '>');
}

/** `->` for the arrow. */
export function withAsciiArrow(screen: string): string {
  return screen.replace(/→/g, '->');
}

/** No box and no rules: only the words. */
export function withoutBox(screen: string): string {
  return screen
    .split('\n')
    .filter((line) => !/^[╔╚─═]/.test(line))
    .map((line) => line.replace(/^║\s*/, '').replace(/\s*║$/, ''))
    .join('\n');
}

/** `Checkpoint: Verification Required`, without a box, and `Your action:`. */
export function inTitleCase(screen: string): string {
  return withoutBox(screen).replace('CHECKPOINT:', 'Checkpoint:').replace('YOUR ACTION:', 'Your action:');
}

/** The presentation as markdown: `## CHECKPOINT: …` and bold labels. */
export function asMarkdown(screen: string): string {
  return withoutBox(screen)
    .replace(/^CHECKPOINT: (.*)$/m, '## CHECKPOINT: $1')
    .replace(
      /^(Progress|Task|Built|Decision|Context|Options|Attempted|Error|How to verify|What you need to do):/gm,
      '**$1:**',
    )
    .replace(/^→ YOUR ACTION:/m, '**→ YOUR ACTION:**');
}

export function withCrlf(screen: string): string {
  return screen.replace(/\n/g, '\r\n');
}

/** Every line followed by a blank one, as some renderers space the output. */
export function withExtraBlankLines(screen: string): string {
  return screen.replace(/\n/g, '\n\n');
}

/**
 * Cuts every line at `cols` characters and carries the rest onto the next line, as a terminal does
 * (words are split where the width runs out; trailing spaces of each screen line are trimmed).
 */
export function wrapAt(screen: string, cols: number): string {
  return screen
    .split('\n')
    .flatMap((line) => {
      const rows: string[] = [];
      for (let start = 0; start < Math.max(1, line.length); start += cols)
        rows.push(line.slice(start, start + cols));
      return rows;
    })
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n');
}

export interface ClaudeCodeOptions {
  /** `rounded`: `╭─╮ │ > │ ╰─╯` (Claude Code 1.x); `rules`: `>` between two rules (2.x). */
  box?: 'rounded' | 'rules';
  /** Text already typed into the input box. */
  typed?: string;
  /** A spinner above the box: the agent is still working. */
  busy?: boolean;
  width?: number;
}

/**
 * The screen as Claude Code shows it: the message marked with `⏺` and indented, then its input box
 * and the hints below it.
 */
export function inClaudeCode(screen: string, options: ClaudeCodeOptions = {}): string {
  const width = options.width ?? 100;
  const message = screen
    .split('\n')
    .map((line, index) => (index === 0 ? `⏺ ${line}` : line === '' ? '' : `  ${line}`));
  const spinner = options.busy === true ? ['', '✻ Thinking… (3s · ↑ 120 tokens · esc to interrupt)'] : [];
  const input = `> ${options.typed ?? ''}`;
  const box =
    options.box === 'rules'
      ? ['─'.repeat(width), input, '─'.repeat(width)]
      : [`╭${'─'.repeat(width - 2)}╮`, `│ ${input.padEnd(width - 4)} │`, `╰${'─'.repeat(width - 2)}╯`];
  const hints = ['  ? for shortcuts', '  ⏵⏵ accept edits on (shift+tab to cycle)'];
  return [...message, ...spinner, '', ...box, ...hints].join('\n');
}

/** The details that must not change however the presentation is drawn. */
export function essence(details: CheckpointDetails | null): Record<string, unknown> | null {
  if (details === null) return null;
  return {
    type: details.type,
    progress: details.progress,
    task: details.task,
    built: details.built,
    verifySteps: details.verifySteps,
    decision: details.decision,
    context: details.context,
    options: details.options,
    actionSteps: details.actionSteps,
    resumeKeywords: details.resumeKeywords,
  };
}
