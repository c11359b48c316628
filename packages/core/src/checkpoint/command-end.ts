import { isErrorHeading, isNextUpHeading, readCheckpointHeading } from './heading.js';
import { isContinuation, isPlaceholder } from './line-patterns.js';
import { readKeywords, readResumeInstruction } from './resume.js';
import { contentEnd, joinLines, type ScreenLine } from './screen-line.js';
import { emptyDetails } from './empty-details.js';
import type { CheckpointDetails } from './types.js';

/** A Next Up block or error box is short; one further up the screen is history. */
const MAX_BLOCK_LINES = 30;
const COMMAND = /`(\/[\w:.-]+(?:\s+[^`]*)?)`/g;

/** The last line in the final block matching `isHeading`, unless the agent moved on below it. */
function findBlock(lines: ScreenLine[], end: number, isHeading: (index: number) => boolean): number {
  for (let index = end - 1; index >= Math.max(0, end - MAX_BLOCK_LINES); index--) {
    const line = lines[index] as ScreenLine;
    if (isHeading(index)) return index;
    if (isContinuation(line) || readCheckpointHeading(line) !== null) return -1;
  }
  return -1;
}

function rawText(lines: ScreenLine[], from: number, to: number): string {
  return lines
    .slice(from, to)
    .map((line) => line.raw)
    .join('\n');
}

/**
 * `## ▶ Next Up` at the end of the screen: the command has finished and the agent sits idle at its
 * prompt. Reported as `input` rather than null: an orchestrator waiting for the session needs to learn
 * that the command is done (null would leave the session looking busy forever), and the suggested
 * command is what it will most likely type next. The title `Next Up` tells it apart from a checkpoint.
 */
export function detectNextUp(lines: ScreenLine[]): CheckpointDetails | null {
  const end = contentEnd(lines);
  const start = findBlock(lines, end, (index) => isNextUpHeading(lines[index] as ScreenLine));
  if (start < 0) return null;
  const block = lines.slice(start + 1, end).filter((line) => line.kind === 'text');
  if (block.some((line) => isPlaceholder(line.text))) return null;
  const commands = block.flatMap((line) =>
    [...line.text.matchAll(COMMAND)].map((match) => match[1] as string),
  );
  const next = commands.find((command) => !/^\/clear\b/.test(command)) ?? null;
  const details = emptyDetails('Next Up', rawText(lines, start, end));
  details.task = block.find((line) => !line.text.startsWith('`'))?.text ?? null;
  details.nextCommand = next;
  details.resumeInstruction = block.find((line) => next !== null && line.text.includes(next))?.text ?? null;
  return details;
}

/** GSD's `ERROR` box as the last thing on the screen: the command stopped and needs a person. */
export function detectErrorBox(lines: ScreenLine[]): CheckpointDetails | null {
  const end = contentEnd(lines);
  const start = findBlock(lines, end, (index) => isErrorHeading(lines, index));
  if (start < 0) return null;
  const description = joinLines(lines, start + 1, end).trim();
  if (description === '' || isPlaceholder(description)) return null;
  let last = end;
  while (last > 0 && lines[last - 1]?.kind === 'text') last--;
  const instruction = readResumeInstruction(joinLines(lines, last, end));
  const details = emptyDetails('ERROR', rawText(lines, Math.max(0, start - 1), end));
  details.context = description;
  details.resumeInstruction = instruction;
  details.resumeKeywords = instruction === null ? [] : readKeywords(instruction);
  return details;
}
