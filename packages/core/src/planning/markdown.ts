/** Lines of a file without their `\r` (Windows authors), BOM or trailing newline. */
export function toLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Removes markdown emphasis (`**`, `__`, `~~`, backticks) that wraps words in GSD files. */
export function stripEmphasis(text: string): string {
  return text.replace(/\*\*|__|~~|`/g, '').trim();
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;

export interface Heading {
  level: number;
  text: string;
}

export function parseHeading(line: string): Heading | null {
  const match = HEADING.exec(line);
  return match === null ? null : { level: (match[1] ?? '').length, text: match[2] ?? '' };
}

/** The lines under the first heading whose text matches `title`, up to the next heading of its level or above. */
export function sectionLines(lines: readonly string[], title: RegExp): string[] | null {
  const start = lines.findIndex((line) => {
    const heading = parseHeading(line);
    return heading !== null && title.test(heading.text);
  });
  if (start === -1) return null;
  const level = parseHeading(lines[start] ?? '')?.level ?? 1;
  const section: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const heading = parseHeading(line);
    if (heading !== null && heading.level <= level) break;
    section.push(line);
  }
  return section;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The value of a `Field: value` line, in any of the spellings GSD versions used:
 * `Field: v`, `**Field:** v`, `**Field**: v`, `- Field: v`. First match wins.
 */
export function readField(lines: readonly string[], name: string): string | null {
  const pattern = new RegExp(
    String.raw`^\s*(?:[-*]\s+)?(?:\*\*|__)?${escapeRegExp(name)}(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*)$`,
    'i',
  );
  for (const line of lines) {
    const match = pattern.exec(line);
    if (match !== null) {
      const value = (match[1] ?? '').trim();
      if (value !== '') return value;
    }
  }
  return null;
}
