import type { ScreenLine } from './screen-line.js';

/** The screen above the agent's own input box, and what the box area says about the agent. */
export interface AgentScreen {
  /** Lines above the input box (all lines when there is none). */
  content: ScreenLine[];
  /** Claude Code's input box is at the bottom: the agent is ready for a message unless `busy`. */
  promptBox: boolean;
  /** The agent is still working (a spinner with an interrupt hint shows above its input box). */
  busy: boolean;
}

/** Lines below the input box: shortcuts, mode and context hints, the status line. */
const MAX_HINT_LINES = 4;
/** Rows of typed input inside the box (a long message wraps). */
const MAX_INPUT_ROWS = 12;
/** Lines above the input box searched for a spinner. */
const SPINNER_SEARCH_LINES = 4;

const ROUND_TOP = /^\s*╭─+╮\s*$/;
const ROUND_BOTTOM = /^\s*╰─+╯\s*$/;
const BOX_ROW = /^\s*│.*│\s*$/;
const PLAIN_RULE = /^\s*─{10,}\s*$/;
// The prompt character; a GSD `> YOUR ACTION:` line drawn between rules looks alike and is excluded.
const PROMPT_ROW = /^\s*(?:│\s*)?[>❯](?:\s|$)/;
const NOT_PROMPT = /YOUR ACTION|\b(?:type|select)\b.*["'`]/i;
const INTERRUPT_HINT = /\b(?:esc|ctrl\+c) to interrupt\b/i;
const SPINNER = /^\s*[✻✶✳✢✽✺·*]\s*\S+…/;
/** `✻ Worked for 1m 12s`: printed once a turn has ended, below the agent's last message. */
const TURN_SUMMARY = /^\s*[✻✶✳✢✽✺]\s+\w+ for \d+(?:\.\d+)?\s*[hms]/;

function isPromptRow(line: ScreenLine): boolean {
  return PROMPT_ROW.test(line.raw) && !NOT_PROMPT.test(line.raw);
}

/** Index of the input box's top edge when `bottom` is its bottom edge, or -1. */
function findBoxTop(lines: ScreenLine[], bottom: number): number {
  const rounded = ROUND_BOTTOM.test(lines[bottom]?.raw ?? '');
  if (!rounded && !PLAIN_RULE.test(lines[bottom]?.raw ?? '')) return -1;
  let top = bottom - 1;
  let sawPrompt = false;
  for (; top >= 0 && bottom - top <= MAX_INPUT_ROWS + 1; top--) {
    const raw = (lines[top] as ScreenLine).raw;
    if (rounded ? ROUND_TOP.test(raw) : PLAIN_RULE.test(raw)) break;
    if (rounded && !BOX_ROW.test(raw)) return -1;
    if (isPromptRow(lines[top] as ScreenLine)) sawPrompt = true;
  }
  // The first row inside the box holds the prompt character.
  const first = lines[top + 1];
  if (top < 0 || !sawPrompt || first === undefined || !isPromptRow(first)) return -1;
  return top;
}

/**
 * Separates Claude Code's input box (`╭─╮ │ > │ ╰─╯`, or `>` between two rules in newer versions) and
 * the hint lines below it from the rest of the screen.
 */
export function splitAgentPrompt(lines: ScreenLine[]): AgentScreen {
  let end = lines.length;
  while (end > 0 && lines[end - 1]?.kind === 'blank') end--;
  for (let bottom = end - 1; bottom >= Math.max(0, end - 1 - MAX_HINT_LINES); bottom--) {
    const top = findBoxTop(lines, bottom);
    if (top < 0) continue;
    let contentEnd = top;
    while (
      contentEnd > 0 &&
      (lines[contentEnd - 1]?.kind === 'blank' || TURN_SUMMARY.test(lines[contentEnd - 1]?.raw ?? ''))
    ) {
      contentEnd--;
    }
    const content = lines.slice(0, contentEnd);
    const above = content.filter((line) => line.kind !== 'blank').slice(-SPINNER_SEARCH_LINES);
    const hints = lines.slice(bottom + 1, end);
    const busy =
      above.some((line) => INTERRUPT_HINT.test(line.raw) || SPINNER.test(line.raw)) ||
      hints.some((line) => INTERRUPT_HINT.test(line.raw));
    return { content, promptBox: true, busy };
  }
  return { content: lines, promptBox: false, busy: false };
}
