import type { ScreenLine } from './screen-line.js';

/** The fields a checkpoint presentation labels (`Progress: …`, `How to verify:`, …), by meaning. */
export type LabelName =
  | 'progress'
  | 'task'
  | 'plan'
  | 'type'
  | 'ignored'
  | 'built'
  | 'howToVerify'
  | 'decision'
  | 'context'
  | 'options'
  | 'attempted'
  | 'error'
  | 'actionSteps'
  | 'verification'
  | 'expected'
  | 'awaiting';

// Every spelling seen in GSD's templates across versions, and in model re-renderings of them.
const LABELS: [LabelName, string][] = [
  ['progress', 'progress'],
  ['task', 'task(?:\\s+\\d+(?:\\s+of\\s+\\d+)?)?|current task'],
  ['plan', 'plan'],
  ['type', '(?:checkpoint\\s+)?type'],
  ['ignored', 'status|blocked by|gate|commit'],
  ['built', 'built|i built|what was built|what i built|i automated|automated result'],
  ['howToVerify', 'how to verify|to verify|verification steps'],
  ['decision', 'decision(?: needed)?|question'],
  ['context', 'context'],
  ['options', 'options'],
  ['attempted', 'attempted|tried'],
  ['error', 'error'],
  [
    'actionSteps',
    'what you need to do|need your help with|instructions|action required|manual step required|steps',
  ],
  ['verification', "i'll verify(?: after)?|i will verify(?: after)?"],
  ['expected', 'expected'],
  ['awaiting', 'awaiting'],
];
const LABEL = new RegExp(`^(${LABELS.map(([, pattern]) => pattern).join('|')})\\s*:\\s*(.*)$`, 'i');
const LABEL_NAMES = LABELS.map(([name, pattern]) => [name, new RegExp(`^(?:${pattern})$`, 'i')] as const);

/** A labelled line: which field, the label as written, and the value after the colon. */
export interface Label {
  name: LabelName;
  label: string;
  value: string;
}

export function readLabel(text: string): Label | null {
  const match = LABEL.exec(text);
  if (match === null) return null;
  const label = match[1] as string;
  const name = LABEL_NAMES.find(([, pattern]) => pattern.test(label))?.[0] as LabelName;
  return { name, label, value: (match[2] as string).trim() };
}

/** `Pros:` / `Cons:` under a decision option. */
export function readProsCons(text: string): { kind: 'pros' | 'cons'; value: string } | null {
  const match = /^(pros|cons)\s*:\s*(.*)$/i.exec(text);
  if (match === null) return null;
  return { kind: (match[1] as string).toLowerCase() as 'pros' | 'cons', value: (match[2] as string).trim() };
}

/** A numbered or bulleted list item; menus mark the selected one with `❯`. */
export interface ListItem {
  number: number | null;
  body: string;
  selected: boolean;
}

const LIST_ITEM = /^([❯›]\s*)?(?:(\d{1,2})[.)]|[-*•◦▪])\s+(\S.*)$/;

export function readListItem(text: string): ListItem | null {
  const match = LIST_ITEM.exec(text);
  if (match === null) return null;
  return {
    number: match[2] === undefined ? null : Number(match[2]),
    body: (match[3] as string).trim(),
    selected: match[1] !== undefined,
  };
}

/** A markdown table row (`| Task | Name | Commit |` once its outer borders are gone). */
export function isTableRow(text: string): boolean {
  return (text.match(/\s\|\s/g) ?? []).length >= 2;
}

/** Sub-headings of the executor's `## CHECKPOINT REACHED` return. */
export function readSubheading(text: string): 'completed' | 'current' | 'details' | 'awaiting' | null {
  const match = /^(completed tasks|current task|checkpoint details|awaiting)\s*:?$/i.exec(text);
  if (match === null) return null;
  const word = (match[1] as string).toLowerCase();
  if (word.startsWith('completed')) return 'completed';
  if (word.startsWith('current')) return 'current';
  return word.startsWith('checkpoint') ? 'details' : 'awaiting';
}

// Lines that only appear once the agent has moved on: banners, auto-mode log lines, heartbeats and
// Claude Code tool calls.
const CONTINUATION = [/^GSD\s*►/, /AUTO-ADVANCING/, /^⚡/, /^\[checkpoint\]\s/i];
const TOOL_CALL = /^\s*[⏺●]\s+[A-Z][\w-]*\(.*\)\s*$/;
const TOOL_OUTPUT = /^\s*⎿/;

/** The line shows the agent working on rather than waiting. */
export function isContinuation(line: ScreenLine): boolean {
  return (
    CONTINUATION.some((pattern) => pattern.test(line.text)) ||
    TOOL_CALL.test(line.raw) ||
    TOOL_OUTPUT.test(line.raw)
  );
}

/** A template placeholder such as `[Type]` or `{phase}-{plan}`: a reference file on display, not a stop. */
export function isPlaceholder(text: string): boolean {
  return /^\[[^\]]+\]\.?$/.test(text.trim()) || /\{[A-Za-z_][\w .-]*\}/.test(text);
}

const PLAN_TAG =
  'tasks?|resume-signal|how-to-verify|what-built|action|verify|done|decision|options?|context|instructions|verification|name|pros|cons|objective|files';
const PLAN_MARKUP = new RegExp(`</?(?:${PLAN_TAG})\\b[^>]*>`, 'i');
const PLAN_OPEN = new RegExp(`<(?:${PLAN_TAG})\\b[^>]*>`, 'gi');
const PLAN_CLOSE = new RegExp(`</(?:${PLAN_TAG})>`, 'gi');
/** Lines above a heading searched for the plan element that may enclose it. */
const PLAN_SEARCH_LINES = 40;

/** PLAN.md task markup: a plan file on display, whose checkpoint tasks quote the presentation. */
export function hasPlanMarkup(text: string): boolean {
  return PLAN_MARKUP.test(text);
}

/** The line at `index` sits inside an open PLAN.md element (`<action>` … not yet closed). */
export function isInsidePlanMarkup(lines: ScreenLine[], index: number): boolean {
  for (let i = index - 1; i >= Math.max(0, index - PLAN_SEARCH_LINES); i--) {
    const raw = (lines[i] as ScreenLine).raw;
    const opened = (raw.match(PLAN_OPEN) ?? []).length;
    const closed = (raw.match(PLAN_CLOSE) ?? []).length;
    if (closed > opened) return false;
    if (opened > closed) return true;
  }
  return false;
}
