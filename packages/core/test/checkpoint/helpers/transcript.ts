import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** A transcript from `fixtures/transcripts/` (copies of `shared/gsd/transcripts/`), by its number. */
export function readTranscript(number: string): string {
  const dir = `${FIXTURES}transcripts/`;
  const name = readdirSync(dir).find((file) => file.startsWith(`${number}-`));
  if (name === undefined) throw new Error(`no transcript ${number} in ${dir}`);
  return readFileSync(dir + name, 'utf8');
}

/** A screen written out by hand (a template filled in, a variant) from `fixtures/screens/`. */
export function readScreen(name: string): string {
  return readFileSync(`${FIXTURES}screens/${name}.txt`, 'utf8').replace(/\n$/, '');
}

/**
 * The lines strictly between the first line containing `start` and the next line containing `end`,
 * searching from the first line containing `after` when given. Throws when a marker is missing, so a
 * changed transcript fails the test instead of testing nothing.
 */
export function excerpt(text: string, start: string, end: string, after?: string): string {
  const lines = text.split('\n');
  const from = after === undefined ? 0 : lines.findIndex((line) => line.includes(after));
  if (from < 0) throw new Error(`marker not found: ${after}`);
  const first = lines.findIndex((line, index) => index >= from && line.includes(start));
  if (first < 0) throw new Error(`marker not found: ${start}`);
  const last = lines.findIndex((line, index) => index > first && line.includes(end));
  if (last < 0) throw new Error(`marker not found: ${end}`);
  return lines.slice(first + 1, last).join('\n');
}

/** The lines from the first containing `start` through the first after it containing `end`, inclusive. */
export function span(text: string, start: string, end: string): string {
  const lines = text.split('\n');
  const first = lines.findIndex((line) => line.includes(start));
  if (first < 0) throw new Error(`marker not found: ${start}`);
  const last = lines.findIndex((line, index) => index > first && line.includes(end));
  if (last < 0) throw new Error(`marker not found: ${end}`);
  return lines.slice(first, last + 1).join('\n');
}

/** The lines after the first line containing `start`, to the end of the text. */
export function rest(text: string, start: string): string {
  const lines = text.split('\n');
  const first = lines.findIndex((line) => line.includes(start));
  if (first < 0) throw new Error(`marker not found: ${start}`);
  return lines.slice(first + 1).join('\n');
}
