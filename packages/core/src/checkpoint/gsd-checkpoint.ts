import { inferType } from './checkpoint-type.js';
import { readCheckpointHeading, type CheckpointHeading } from './heading.js';
import {
  hasPlanMarkup,
  isContinuation,
  isInsidePlanMarkup,
  isPlaceholder,
  readLabel,
  readSubheading,
} from './line-patterns.js';
import { defaultKeywords, isActionLine, readKeywords, readResumeInstruction } from './resume.js';
import { contentEnd, joinLines, type ScreenLine } from './screen-line.js';
import { readBody, startsElement, type BodyFields } from './sections.js';
import type { CheckpointDetails, CheckpointType } from './types.js';

/** Where the resume instruction starts and what it says (null for a v1.0 block closed by its rule). */
interface Resume {
  index: number;
  instruction: string | null;
}

const PLAN_ID = /\b(\d{1,3}[A-Za-z]?(?:\.\d+)*-\d{2,3})\b/;
const PLAN_IN_PROSE = /\bplan\s+(\d{1,3}[A-Za-z]?(?:\.\d+)*-\d{2,3})\b/i;

/**
 * The resume instruction at the end of `lines[start..end)`: the lowest line that, with the lines wrapped
 * below it, tells the person what to type. Stops at the start of any other element (a step, a field).
 */
function findResume(lines: ScreenLine[], start: number, end: number): Resume | null {
  for (let index = end - 1; index >= start; index--) {
    const line = lines[index] as ScreenLine;
    if (line.kind !== 'text') return null;
    const element = startsElement(line) && !isActionLine(line.text);
    const instruction = readResumeInstruction(joinLines(lines, index, end));
    if (instruction !== null && !element) return { index, instruction };
    if (element) return null;
  }
  return null;
}

/** Index of the first line of the last paragraph before `end`. */
function lastParagraphStart(lines: ScreenLine[], end: number): number {
  let start = end;
  while (start > 0 && lines[start - 1]?.kind === 'text') start--;
  return start;
}

/** The `### Awaiting` section of an executor return: everything below it is the resume instruction. */
function findAwaiting(lines: ScreenLine[], start: number, end: number): Resume | null {
  for (let index = start; index < end; index++) {
    const line = lines[index] as ScreenLine;
    const label = readLabel(line.text);
    if (readSubheading(line.text) === 'awaiting') {
      const text = joinLines(lines, index + 1, end);
      if (text === '' || isPlaceholder(text)) return { index, instruction: null };
      // More below the section than its own paragraph must still end in an instruction.
      const last = lastParagraphStart(lines, end);
      if (last > index + 1 && readResumeInstruction(joinLines(lines, last, end)) === null) {
        return { index, instruction: null };
      }
      return { index, instruction: text };
    }
    if (label?.name === 'awaiting' && label.value !== '') {
      return { index, instruction: joinLines(lines, index, end).replace(/^awaiting\s*:\s*/i, '') };
    }
  }
  return null;
}

/** A v1.0 block (`════` / `CHECKPOINT: …` / content / `════`) is complete once its closing rule is out. */
function isClosedOldBlock(lines: ScreenLine[], heading: number, end: number): boolean {
  let above = heading - 1;
  while (above >= 0 && lines[above]?.kind === 'blank') above--;
  const opened = lines[above]?.rule === 'double';
  const closed = lines.slice(end).some((line) => line.rule === 'double');
  const body = lines.slice(heading + 1, end).some((line) => line.kind === 'text');
  return opened && closed && body;
}

function planOf(fields: BodyFields): string | null {
  if (fields.plan !== null) return PLAN_ID.exec(fields.plan)?.[1] ?? fields.plan;
  for (const text of fields.prose) {
    const match = PLAN_IN_PROSE.exec(text);
    if (match !== null) return match[1] as string;
  }
  return null;
}

function contextOf(type: CheckpointType, fields: BodyFields): string | null {
  if (fields.context !== null) return fields.context;
  if (type === 'human-action' && fields.attempted.length > 0) return fields.attempted.join('\n');
  if (type === 'human-action' && fields.prose.length > 0) return fields.prose.join('\n');
  return null;
}

function verifyStepsOf(type: CheckpointType, fields: BodyFields): string[] {
  if (fields.verifySteps.length > 0) return fields.verifySteps;
  if (type === 'verify-work') return fields.prose;
  return type === 'human-verify' ? fields.items : [];
}

/** Lines of the presentation itself: from the border above its heading to its last line. */
function presentationText(lines: ScreenLine[], heading: number, end: number): string {
  let start = heading;
  while (start > 0 && lines[start - 1]?.kind === 'rule') start--;
  let stop = end;
  while (stop < lines.length && lines[stop]?.kind === 'rule') stop++;
  return lines
    .slice(start, stop)
    .map((line) => line.raw)
    .join('\n');
}

/** The last checkpoint heading above `end`, unless the agent moved on after it. */
function findHeading(lines: ScreenLine[], end: number): { index: number; heading: CheckpointHeading | null } {
  for (let index = end - 1; index >= 0; index--) {
    const line = lines[index] as ScreenLine;
    const heading = readCheckpointHeading(line);
    if (heading !== null) return { index, heading };
    if (isContinuation(line)) return { index, heading: null };
  }
  return { index: -1, heading: null };
}

/**
 * A GSD checkpoint ending the screen: a heading (or, when it has scrolled away, GSD's `YOUR ACTION:`
 * line), then the presentation, then a resume instruction with nothing but borders after it.
 */
export function detectGsdCheckpoint(lines: ScreenLine[]): CheckpointDetails | null {
  const end = contentEnd(lines);
  if (end === 0) return null;
  const found = findHeading(lines, end);
  const heading = found.heading;
  const bodyStart = found.index + 1;
  if (lines.slice(bodyStart, end).some((line) => hasPlanMarkup(line.raw))) return null;
  if (found.index >= 0 && isInsidePlanMarkup(lines, found.index)) return null;

  let resume: Resume | null = null;
  if (heading !== null) {
    resume = findAwaiting(lines, bodyStart, end);
    if (resume?.instruction === null) return null;
  }
  resume ??= findResume(lines, bodyStart, end);
  if (resume === null && heading !== null && isClosedOldBlock(lines, found.index, end)) {
    resume = { index: end, instruction: null };
  }
  if (resume === null) return null;
  if (heading === null && !isActionLine(lines[resume.index]?.text ?? '')) return null;

  const fields = readBody(lines.slice(bodyStart, resume.index));
  const guarded = [heading?.title ?? null, fields.typeField, fields.plan, fields.progress, fields.task];
  if (guarded.some((value) => value !== null && isPlaceholder(value))) return null;

  const keywords = resume.instruction === null ? [] : readKeywords(resume.instruction);
  const type = inferType({
    typeField: fields.typeField,
    title: heading?.kind === 'reached' ? null : (heading?.title ?? null),
    test: fields.test !== null,
    options: fields.options.length,
    decision: fields.decision !== null,
    actionSteps: fields.actionSteps.length,
    attempted: fields.attempted.length > 0,
    verifySteps: fields.verifySteps.length,
    built: fields.built !== null,
    keywords,
  });
  return {
    type,
    title: type === 'verify-work' && fields.test !== null ? fields.test : (heading?.title ?? null),
    progress: fields.progress,
    task: fields.task,
    built: fields.built,
    verifySteps: verifyStepsOf(type, fields),
    decision: fields.decision,
    context: contextOf(type, fields),
    options: fields.options,
    actionSteps: fields.actionSteps,
    resumeInstruction: resume.instruction,
    resumeKeywords: keywords.length > 0 ? keywords : defaultKeywords(type, fields.options),
    text: presentationText(lines, heading === null ? bodyStart : found.index, end),
    plan: planOf(fields),
    verification: fields.verification,
    nextCommand: null,
  };
}
