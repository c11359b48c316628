import { toLines } from './markdown.js';

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

export interface Frontmatter {
  /** Null when the file has no frontmatter block. */
  data: Record<string, YamlValue> | null;
  /** The lines after the block (all lines when there is none). */
  body: string[];
  /** Why the block was not (fully) understood. */
  problems: string[];
}

/** Longest frontmatter block read; a missing closing `---` must not swallow a whole file. */
const MAX_FRONTMATTER_LINES = 400;

/**
 * Splits a `---` YAML block off the top of a markdown file and reads the subset GSD writes
 * (scalars, nested maps by indentation, `- item` and `[a, b]` lists). Anything else becomes a
 * problem in words; this never throws.
 */
export function parseFrontmatter(text: string): Frontmatter {
  const lines = toLines(text);
  if (lines[0]?.trim() !== '---') return { data: null, body: lines, problems: [] };
  const end = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (end === -1 || end > MAX_FRONTMATTER_LINES) {
    return { data: null, body: lines, problems: ['frontmatter is not closed by `---`; read as text'] };
  }
  const problems: string[] = [];
  const block = lines
    .slice(1, end)
    .map((line, i) => ({ line, number: i + 2 }))
    .filter(({ line }) => line.trim() !== '' && !/^\s*#/.test(line));
  const reader = { block, index: 0, problems };
  const value = readBlock(reader, 0);
  const data = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  if (reader.index < block.length) {
    problems.push(`frontmatter line ${block[reader.index]?.number ?? '?'} is not understood`);
  }
  return { data, body: lines.slice(end + 1), problems };
}

interface Reader {
  block: { line: string; number: number }[];
  index: number;
  problems: string[];
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

/** Reads the map or list whose lines are indented by at least `indent`. */
function readBlock(reader: Reader, indent: number): YamlValue {
  const first = reader.block[reader.index];
  if (first === undefined || indentOf(first.line) < indent) return null;
  const level = indentOf(first.line);
  if (first.line.trimStart().startsWith('- ') || first.line.trim() === '-') return readList(reader, level);
  const map: Record<string, YamlValue> = {};
  while (reader.index < reader.block.length) {
    const { line, number } = reader.block[reader.index] as { line: string; number: number };
    const lineIndent = indentOf(line);
    if (lineIndent < level) break;
    if (lineIndent > level) {
      reader.problems.push(`frontmatter line ${number} is indented unexpectedly`);
      reader.index++;
      continue;
    }
    const match = /^([^:#][^:]*?)\s*:(?:\s+(.*))?$/.exec(line.trim());
    if (match === null) {
      reader.problems.push(`frontmatter line ${number} is not \`key: value\``);
      reader.index++;
      continue;
    }
    reader.index++;
    const key = unquote(match[1] ?? '');
    const raw = (match[2] ?? '').trim();
    const next = reader.block[reader.index]?.line ?? '';
    // YAML allows a list under a key at the key's own indentation.
    const listAtLevel = indentOf(next) === level && /^-(\s|$)/.test(next.trimStart());
    if (raw !== '') map[key] = readScalarOrInline(raw);
    else map[key] = listAtLevel ? readList(reader, level) : readBlock(reader, level + 1);
  }
  return map;
}

function readList(reader: Reader, level: number): YamlValue[] {
  const items: YamlValue[] = [];
  while (reader.index < reader.block.length) {
    const { line } = reader.block[reader.index] as { line: string };
    if (indentOf(line) !== level || !/^-(\s|$)/.test(line.trimStart())) break;
    reader.index++;
    const raw = line.trimStart().slice(1).trim();
    if (raw === '') items.push(readBlock(reader, level + 1));
    else if (/^[^'"[{][^:]*:\s/.test(raw) || /^[^'"[{][^:]*:$/.test(raw)) {
      // `- key: value` opens a map whose other keys are indented under the dash.
      const nested = {
        block: [{ line: `${' '.repeat(level + 2)}${raw}`, number: 0 }],
        index: 0,
        problems: [],
      };
      const head = readBlock(nested, 0) as Record<string, YamlValue>;
      const rest = readBlock(reader, level + 1);
      items.push(
        rest !== null && typeof rest === 'object' && !Array.isArray(rest) ? { ...head, ...rest } : head,
      );
    } else items.push(readScalarOrInline(raw));
  }
  return items;
}

function readScalarOrInline(raw: string): YamlValue {
  const text = raw.replace(/\s+#.*$/, '');
  if (text.startsWith('[') && text.endsWith(']')) {
    const inner = text.slice(1, -1).trim();
    return inner === '' ? [] : splitInline(inner).map((item) => readScalar(item.trim()));
  }
  return readScalar(text);
}

/** Splits `a, "b, c", d` on the commas outside quotes. */
function splitInline(text: string): string[] {
  const items: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (const char of text) {
    if (quote !== null) {
      if (char === quote) quote = null;
      current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      current += char;
    } else if (char === ',') {
      items.push(current);
      current = '';
    } else current += char;
  }
  items.push(current);
  return items;
}

function readScalar(text: string): YamlValue {
  if (/^(['"]).*\1$/.test(text) && text.length >= 2) return unquote(text);
  if (text === '' || text === '~' || text === 'null') return null;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(text) && !/^0\d/.test(text)) return Number(text);
  return text;
}

function unquote(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length >= 2 && (trimmed[0] === '"' || trimmed[0] === "'") && trimmed.at(-1) === trimmed[0]) {
    return trimmed.slice(1, -1);
  }
  return trimmed;
}
