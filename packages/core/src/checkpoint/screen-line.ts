import { stripAnsi } from '../text/strip-ansi.js';

/** How a rule line is drawn: a double line (`═`, `=`), a box edge with corners, or a single line. */
export type RuleKind = 'double' | 'box' | 'single';

/** One screen line, read as text: borders, markdown emphasis and message markers removed. */
export interface ScreenLine {
  /** The line as shown on the screen. */
  raw: string;
  /** The words on the line, trimmed; empty for blank lines and rules. */
  text: string;
  kind: 'blank' | 'rule' | 'text';
  /** How a rule is drawn; null for other lines. */
  rule: RuleKind | null;
  /** Number of `#` of a markdown heading, else 0. */
  heading: number;
  /** The line filled the terminal's width, so the terminal wrapped the text onto the next line. */
  wrapped: boolean;
  /** The text started in the first column (after borders): a wrapped continuation split mid-word does. */
  flush: boolean;
}

const RULE_GLYPHS = '═─━┄┈╌-=_~*';
const BORDER_GLYPHS = '╔╗╚╝╭╮╰╯┌┐└┘├┤┬┴┼╠╣╦╩╬║│┃|+·•';
const RULE_LINE = new RegExp(`^[\\s${escapeClass(RULE_GLYPHS + BORDER_GLYPHS)}]+$`);
const RULE_GLYPH = new RegExp(`[${escapeClass(RULE_GLYPHS)}]`, 'g');
const CORNER = /[╔╗╚╝╭╮╰╯┌┐└┘+]/;
const DOUBLE = /[═=]/;
const SIDE_LEFT = /^\s*[║│┃|](?=\s|$)/;
const SIDE_RIGHT = /(?<=\s)[║│┃|]\s*$/;
// Claude Code marks the start of each message (`⏺`, `●`) and tool output (`⎿`).
const MESSAGE_MARKER = /^\s*[⏺●⎿]\s?/;
const MARKDOWN_HEADING = /^(#{1,6})\s+/;
/** Lines shorter than this are never taken as wrapped by the terminal (no terminal is that narrow). */
const MIN_WRAP_WIDTH = 40;

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&');
}

function ruleKind(line: string): RuleKind | null {
  if (!RULE_LINE.test(line)) return null;
  // Three glyphs make a rule; fewer is a stray `|` or `+` on an otherwise empty line.
  if ((line.match(RULE_GLYPH) ?? []).length < 3) return null;
  if (CORNER.test(line)) return 'box';
  return DOUBLE.test(line) ? 'double' : 'single';
}

/** The words of a line without box borders, message markers, markdown heading marks or emphasis. */
function readText(raw: string): { text: string; heading: number; flush: boolean } {
  let text = raw.replace(SIDE_LEFT, '').replace(SIDE_RIGHT, '');
  const bordered = text.length !== raw.length;
  text = text.replace(MESSAGE_MARKER, '');
  const flush = !bordered && text.length > 0 && !/^\s/.test(text);
  text = text.trim();
  let heading = 0;
  const hashes = MARKDOWN_HEADING.exec(text);
  if (hashes !== null) {
    heading = (hashes[1] as string).length;
    text = text.slice(hashes[0].length);
  }
  text = text
    .replace(/\*\*|__/g, '')
    .replace(/[‘’]/g, "'")
    .trim();
  return { text, heading, flush };
}

/**
 * Splits screen text into lines and reads each one. The widest line stands in for the terminal's
 * width: a line the terminal wrapped fills the width exactly.
 */
export function toScreenLines(screenText: string): ScreenLine[] {
  const raws = stripAnsi(screenText)
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''));
  const columns = raws.reduce((widest, line) => Math.max(widest, line.length), 0);
  return raws.map((raw, index) => {
    // A markdown code fence frames a presentation the way a border does.
    const rule = /^\s*```[\w-]*$/.test(raw) ? 'single' : ruleKind(raw);
    if (rule !== null) {
      return { raw, text: '', kind: 'rule', rule, heading: 0, wrapped: false, flush: false };
    }
    const { text, heading, flush } = readText(raw);
    const next = raws[index + 1] ?? '';
    const wrapped =
      text !== '' &&
      columns >= MIN_WRAP_WIDTH &&
      raw.length >= columns &&
      next.trim() !== '' &&
      !/[║│┃|]$/.test(raw);
    return { raw, text, kind: text === '' ? 'blank' : 'text', rule: null, heading, wrapped, flush };
  });
}

/** Joins a line to the one it continues: directly when the terminal split a word, else with a space. */
export function joinContinuation(previous: ScreenLine, text: string, next: ScreenLine): string {
  return previous.wrapped && next.flush ? `${text}${next.text}` : `${text} ${next.text}`;
}

/** Index just past the last line with words on it. */
export function contentEnd(lines: ScreenLine[]): number {
  let end = lines.length;
  while (end > 0 && lines[end - 1]?.kind !== 'text') end--;
  return end;
}

/** Joins the words of lines `from`..`to` (exclusive) into one text, rejoining words the terminal split. */
export function joinLines(lines: ScreenLine[], from: number, to: number): string {
  let text = '';
  let previous: ScreenLine | null = null;
  for (let i = from; i < to; i++) {
    const line = lines[i] as ScreenLine;
    if (line.kind !== 'text') {
      previous = null;
    } else {
      if (previous !== null) text = joinContinuation(previous, text, line);
      else text = text === '' ? line.text : `${text} ${line.text}`;
      previous = line;
    }
  }
  return text;
}
