import { hasPlanMarkup, isPlaceholder } from './line-patterns.js';
import type { CheckpointOption, CheckpointType } from './types.js';

/** `→ YOUR ACTION:`, re-rendered as `> YOUR ACTION:`, `-> YOUR ACTION:` or without an arrow. */
const YOUR_ACTION = /^(?:[→>▶►➜➔⮕=-]+\s*)?YOUR ACTION\s*:\s*/i;
const ANSWER_VERB =
  /^(?:[→>▶►➜➔-]+\s*)?(?:please\s+)?(?:type|reply|respond|select|choose|pick|enter|say|answer)\b/i;
/** `"approved" → continue | Report issues → gap closure` (the phase-level verification stop). */
const KEYWORD_ARROW = /["'`“][\w-]+["'`”]\s*(?:→|->)/;
/** `… and type "approved" …` inside a sentence. */
const QUOTED_ANSWER = /\b(?:type|reply|respond(?: with)?|say|enter|answer)\s+["'`“][\w-]+["'`”]/i;

/** The instruction without its `→ YOUR ACTION:` prefix, if `text` tells the person how to resume. */
export function readResumeInstruction(text: string): string | null {
  if (isPlaceholder(text) || hasPlanMarkup(text)) return null;
  const action = YOUR_ACTION.exec(text);
  if (action !== null) return text.slice(action[0].length).trim() || null;
  if (ANSWER_VERB.test(text) || KEYWORD_ARROW.test(text) || QUOTED_ANSWER.test(text)) {
    return text.replace(/^[→>▶►➜➔-]+\s*/, '').trim();
  }
  return null;
}

/** The instruction carries GSD's own `YOUR ACTION:` marker. */
export function isActionLine(text: string): boolean {
  return YOUR_ACTION.test(text);
}

const DOUBLE_QUOTED = /["“]([^"”\s]{1,40})["”]/g;
const SINGLE_QUOTED = /(?<!\w)'([^'\s]{1,40})'(?!\w)/g;
const BACKTICKED = /`([^`\s]{1,40})`/g;
const TYPE_WORD = /\btype\s+([A-Za-z][\w-]*)/i;
const CHOICE_LIST = /\b(?:select|choose|pick)\s*:?\s*(.+?)(?:[.;(]|$)/i;
const YES_NO = /[[(]\s*(y(?:es)?)\s*\/\s*(n(?:o)?)\s*[\])]/i;
const NUMBER_CHOICE = /[[(]\s*(\d+)\s*((?:[/,|]\s*\d+\s*)+|-\s*\d+\s*)[\])]/;
/** Words after "Type" that are not what to type. */
const NOT_KEYWORDS = new Set([
  'a',
  'an',
  'the',
  'your',
  'in',
  'it',
  'out',
  'here',
  'one',
  'something',
  'anything',
  'what',
  'which',
  'that',
  'this',
  'below',
  'any',
  'or',
  'and',
  'to',
  'of',
  'yes/no',
]);

function matchesOf(pattern: RegExp, text: string): string[] {
  return [...text.matchAll(pattern)].map((match) => match[1] as string);
}

/** `[1/2]`, `[1,2,3]`, `(1-3)` → the numbers offered. */
function numberChoices(text: string): string[] {
  const match = NUMBER_CHOICE.exec(text);
  if (match === null) return [];
  const first = Number(match[1]);
  const rest = match[2] as string;
  if (rest.trim().startsWith('-')) {
    const last = Number(rest.replace(/\D/g, ''));
    if (last <= first || last - first > 20) return [];
    return Array.from({ length: last - first + 1 }, (_, i) => String(first + i));
  }
  return [
    String(first),
    ...rest
      .split(/[/,|]/)
      .map((n) => n.trim())
      .filter((n) => n !== ''),
  ];
}

/** `Select supabase, clerk, or nextauth` → the ids listed, when each is a single word. */
function listedChoices(text: string): string[] {
  const list = CHOICE_LIST.exec(text)?.[1];
  if (list === undefined) return [];
  const words = list
    .split(/,\s*|\s+or\s+|\s*\/\s*/)
    .map((word) =>
      word
        .replace(/^or\s+/i, '')
        .replace(/["'`“”]/g, '')
        .trim(),
    )
    .filter((word) => word !== '');
  return words.every((word) => /^[\w.-]+$/.test(word)) ? words : [];
}

/**
 * The words the agent expects, read from its resume instruction: quoted words first (`"approved"`,
 * `'done'`, `` `pass` ``), then `Type verified …`, option lists, `[y/N]` and `[1/2]`. A quoted phrase
 * with spaces (`"issue: …"`) starts a free-text answer and is not a keyword.
 */
export function readKeywords(instruction: string): string[] {
  let words = [...matchesOf(DOUBLE_QUOTED, instruction), ...matchesOf(SINGLE_QUOTED, instruction)];
  if (words.length === 0) words = matchesOf(BACKTICKED, instruction);
  if (words.length === 0) {
    const typed = TYPE_WORD.exec(instruction)?.[1];
    if (typed !== undefined && !NOT_KEYWORDS.has(typed.toLowerCase())) words = [typed];
  }
  if (words.length === 0) words = listedChoices(instruction);
  const yesNo = YES_NO.exec(instruction);
  if (yesNo !== null) words.push((yesNo[1] as string).toLowerCase(), (yesNo[2] as string).toLowerCase());
  words.push(...numberChoices(instruction));
  return [...new Set(words.map((word) => word.replace(/[.,:;!?]+$/, '')).filter((word) => word !== ''))];
}

/** What each kind of checkpoint is answered with when the presentation does not say. */
export function defaultKeywords(type: CheckpointType, options: CheckpointOption[]): string[] {
  switch (type) {
    case 'human-verify':
      return ['approved'];
    case 'human-action':
      return ['done'];
    case 'verify-work':
      return ['pass'];
    case 'decision':
      return options.map((option) => option.id);
    case 'input':
      return [];
  }
}
