import { isContinuation, readListItem } from './line-patterns.js';
import { readOption } from './options.js';
import { readKeywords } from './resume.js';
import { contentEnd, type ScreenLine } from './screen-line.js';
import type { CheckpointDetails, CheckpointOption } from './types.js';
import { emptyDetails } from './empty-details.js';

/** `Continue? [y/N]`, `Approve plan? [yes/no]:`, `(y/n)`. */
const YES_NO_PROMPT = /[[(]\s*y(?:es)?\s*\/\s*n(?:o)?\s*[\])]\s*[:?>]?\s*$/i;
/** `Select option [1/2]:`, `Choose (1-3)`. */
const NUMBER_PROMPT = /[[(]\s*\d+\s*(?:(?:[/,|]\s*\d+\s*)+|-\s*\d+\s*)[\])]\s*[:?>]?\s*$/;
/** `Type done when ready:`, `Enter your choice:`, `Press Enter to continue`. */
const ASKING_LINE =
  /^(?:please\s+)?(?:type|enter|select|choose|pick|answer|reply|respond|provide|input)\b.{0,100}[:?]$|\b(?:your choice|choice|selection)\s*[:?]$|^press (?:enter|return|any key)\b/i;
/** Claude Code's selection menu footer (AskUserQuestion, permission prompts). */
const MENU_HINT = /enter to (?:select|confirm)|↑\/↓|esc to cancel/i;
const QUESTION = /\?\s*\)?$/;
/** Lines above a prompt searched for the choices it offers. */
const MAX_MENU_LINES = 20;
/** Indentation from which a line under a menu item is its description. */
const DESCRIPTION_INDENT = 4;

interface Choices {
  start: number;
  options: CheckpointOption[];
  /** The line above the list that asks the question, if any. */
  question: string | null;
}

/** Indentation of a menu line inside or outside a box; a description under an item is indented deeper. */
function indentOf(line: ScreenLine): number {
  const inner = line.raw.replace(/^\s*[│║|]/, '');
  return inner.length - inner.trimStart().length;
}

/** The numbered list ending at `end` (exclusive), the descriptions under its items, and its question. */
function readChoices(lines: ScreenLine[], end: number): Choices {
  let top = end;
  let index = end - 1;
  for (; index >= Math.max(0, end - MAX_MENU_LINES); index--) {
    const line = lines[index] as ScreenLine;
    if (line.kind === 'blank') continue;
    if (line.kind !== 'text') break;
    const item = readListItem(line.text);
    if (item !== null && item.number !== null) top = index;
    else if (indentOf(line) < DESCRIPTION_INDENT) break;
  }
  const options: CheckpointOption[] = [];
  for (let i = top; i < end; i++) {
    const line = lines[i] as ScreenLine;
    if (line.kind !== 'text') continue;
    const item = readListItem(line.text);
    const previous = options.at(-1);
    if (item !== null && item.number !== null) {
      options.push(readOption(item.body, item.number, true));
    } else if (previous !== undefined) {
      previous.description = `${previous.description ?? ''} ${line.text}`.trim();
    }
  }
  let above = top - 1;
  while (above >= 0 && lines[above]?.kind === 'blank') above--;
  const line = lines[above];
  const question = options.length > 0 && line?.kind === 'text' && !isContinuation(line) ? line.text : null;
  return { start: question === null ? top : above, options, question };
}

function inputDetails(
  title: string,
  instruction: string | null,
  choices: Choices | null,
  lines: ScreenLine[],
  end: number,
): CheckpointDetails {
  const start = choices?.start ?? end - 1;
  const keywords = instruction === null ? [] : readKeywords(instruction);
  const options = choices?.options ?? [];
  const text = lines
    .slice(start, end)
    .map((line) => line.raw)
    .join('\n');
  return {
    ...emptyDetails(title, text),
    decision: choices?.question ?? null,
    options,
    resumeInstruction: instruction,
    resumeKeywords: keywords.length > 0 ? keywords : options.map((option) => option.id),
  };
}

/**
 * A generic wait for input at the end of the screen: a y/n or numbered-choice prompt, a selection menu,
 * an instruction ending in `:`, or, only when the agent's own input box shows it is idle, a question
 * closing its last message. A statement followed by the idle box is not counted: the agent may simply
 * have finished.
 */
export function detectInputPrompt(lines: ScreenLine[], agentIdle: boolean): CheckpointDetails | null {
  let end = contentEnd(lines);
  if (end === 0) return null;
  const last = lines[end - 1] as ScreenLine;
  if (isContinuation(last)) return null;
  if (MENU_HINT.test(last.text)) {
    end--;
    while (end > 0 && lines[end - 1]?.kind !== 'text') end--;
    const choices = readChoices(lines, end);
    if (choices.options.length < 2) return null;
    return inputDetails(choices.question ?? 'Select an option', choices.question, choices, lines, end);
  }
  const prompt = last.text;
  if (NUMBER_PROMPT.test(prompt)) {
    const choices = readChoices(lines, end - 1);
    return inputDetails(prompt, prompt, { ...choices, start: Math.min(choices.start, end - 1) }, lines, end);
  }
  if (YES_NO_PROMPT.test(prompt) || ASKING_LINE.test(prompt)) {
    return inputDetails(prompt, prompt, null, lines, end);
  }
  if (!agentIdle) return null;
  if (QUESTION.test(prompt) && readListItem(prompt) === null) {
    return inputDetails(prompt, prompt, null, lines, end);
  }
  const choices = readChoices(lines, end);
  if (choices.options.length >= 2 && choices.question !== null && QUESTION.test(choices.question)) {
    return inputDetails(choices.question, choices.question, choices, lines, end);
  }
  return null;
}
