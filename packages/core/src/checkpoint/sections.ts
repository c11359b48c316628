import {
  isTableRow,
  readLabel,
  readListItem,
  readProsCons,
  readSubheading,
  type Label,
  type LabelName,
  type ListItem,
} from './line-patterns.js';
import { readOption, splitList } from './options.js';
import { joinContinuation, type ScreenLine } from './screen-line.js';
import type { CheckpointOption } from './types.js';

/** What the body of a checkpoint presentation (between its heading and resume line) says. */
export interface BodyFields {
  progress: string | null;
  task: string | null;
  plan: string | null;
  typeField: string | null;
  built: string | null;
  verifySteps: string[];
  decision: string | null;
  context: string | null;
  options: CheckpointOption[];
  actionSteps: string[];
  verification: string | null;
  /** `Attempted: …` and `Error: …` lines of an authentication gate, as written. */
  attempted: string[];
  /** `Test 1: Login flow` of the verify-work prompt. */
  test: string | null;
  /** Paragraphs without a label. */
  prose: string[];
  /** List items outside any labelled section. */
  items: string[];
}

type ScalarField =
  'progress' | 'task' | 'plan' | 'typeField' | 'built' | 'decision' | 'context' | 'verification';
type StepSection = 'verifySteps' | 'actionSteps';
type ListSection = StepSection | 'options';

const SCALAR_OF: Partial<Record<LabelName, ScalarField>> = {
  progress: 'progress',
  task: 'task',
  plan: 'plan',
  type: 'typeField',
  built: 'built',
  decision: 'decision',
  context: 'context',
  verification: 'verification',
};
const SECTION_OF: Partial<Record<LabelName, ListSection>> = {
  howToVerify: 'verifySteps',
  actionSteps: 'actionSteps',
  options: 'options',
};
const TEST_LINE = /^Test\s+\d+\s*[:.—–-]\s*\S/i;

function emptyFields(): BodyFields {
  return {
    progress: null,
    task: null,
    plan: null,
    typeField: null,
    built: null,
    verifySteps: [],
    decision: null,
    context: null,
    options: [],
    actionSteps: [],
    verification: null,
    attempted: [],
    test: null,
    prose: [],
    items: [],
  };
}

/** A line that starts something of its own rather than continuing the line above. */
export function startsElement(line: ScreenLine): boolean {
  const text = line.text;
  return (
    line.heading > 0 ||
    readLabel(text) !== null ||
    readListItem(text) !== null ||
    readProsCons(text) !== null ||
    readSubheading(text) !== null ||
    isTableRow(text) ||
    TEST_LINE.test(text)
  );
}

/** Appends a continuation line to whatever the line above it started. */
type Extend = (line: ScreenLine, previous: ScreenLine) => void;

/** Reads a body line by line, keeping track of the section (steps, options) the lines belong to. */
class BodyReader {
  readonly fields = emptyFields();
  private section: ListSection | null = null;
  private option: CheckpointOption | null = null;
  /** Where bulleted lines under an option go once an empty `Pros:` or `Cons:` has opened a list. */
  private optionList: 'pros' | 'cons' | null = null;
  /** A label whose value follows on the next line (`Automated result:` then the result). */
  private pending: ScalarField | null = null;
  private extend: Extend | null = null;
  private previous: ScreenLine | null = null;

  read(line: ScreenLine): void {
    // Blank lines and rules end a paragraph, not a section: steps may be spaced out.
    if (line.kind !== 'text' || isTableRow(line.text)) {
      this.previous = null;
      return;
    }
    const previous = this.previous;
    this.previous = line;
    if (previous !== null && this.extend !== null && !startsElement(line)) {
      this.extend(line, previous);
      return;
    }
    this.extend = null;

    if (readSubheading(line.text) !== null || line.heading > 0) {
      this.section = null;
      this.option = null;
      return;
    }
    const label = readLabel(line.text);
    if (label !== null) return this.readLabelled(label);
    const prosCons = readProsCons(line.text);
    if (prosCons !== null && this.option !== null) return this.readProsCons(this.option, prosCons);
    const item = readListItem(line.text);
    if (item !== null) return this.readItem(item);
    if (TEST_LINE.test(line.text)) {
      this.fields.test = line.text;
      return;
    }
    if (this.pending !== null) {
      this.setScalar(this.pending, line.text);
      this.pending = null;
      return;
    }
    // Steps written as paragraphs (v1.0: `What you need to do:` then `Run: vercel login`).
    const section = this.section;
    this.push(
      section === null || section === 'options' ? this.fields.prose : this.fields[section],
      line.text,
    );
  }

  private readLabelled(label: Label): void {
    this.section = SECTION_OF[label.name] ?? null;
    this.option = null;
    this.pending = null;
    const scalar = SCALAR_OF[label.name];
    // `Task 4 of 8: name` (v1.0) says how far the plan is.
    if (label.name === 'task' && /\bof\b/i.test(label.label)) this.fields.progress ??= label.label;
    if (scalar !== undefined) {
      if (label.value === '') this.pending = scalar;
      this.setScalar(scalar, label.value === '' ? null : label.value);
    } else if (label.name === 'attempted' || label.name === 'error') {
      this.push(this.fields.attempted, `${label.label}: ${label.value}`);
    } else if (this.section === 'verifySteps' && label.value !== '') {
      this.push(this.fields.verifySteps, label.value);
    } else if (this.section === 'actionSteps' && label.value !== '') {
      this.push(this.fields.actionSteps, label.value);
    } else if (label.name === 'ignored') {
      this.extend = () => {};
    }
  }

  private readProsCons(option: CheckpointOption, prosCons: { kind: 'pros' | 'cons'; value: string }): void {
    const { kind } = prosCons;
    const before = option[kind].slice();
    let written = prosCons.value;
    option[kind] = [...before, ...splitList(written)];
    this.optionList = written === '' ? kind : null;
    // A wrapped line may end mid-item, so the list is split again once the line is whole.
    this.extend = (next, previous) => {
      written = joinContinuation(previous, written, next);
      option[kind] = [...before, ...splitList(written)];
    };
  }

  private readItem(item: ListItem): void {
    const section = this.section;
    if (section === 'options' && this.optionList !== null && this.option !== null && item.number === null) {
      this.push(this.option[this.optionList], item.body);
    } else if (section === 'options') {
      const option = readOption(item.body, item.number);
      this.option = option;
      this.optionList = null;
      this.fields.options.push(option);
      this.extend = (next, previous) => {
        option.description = joinContinuation(previous, option.description ?? '', next).trim();
      };
    } else {
      this.push(section === null ? this.fields.items : this.fields[section], item.body);
    }
  }

  private setScalar(field: ScalarField, value: string | null): void {
    this.fields[field] = value;
    this.extend = (next, previous) => {
      this.fields[field] = joinContinuation(previous, this.fields[field] ?? '', next).trim();
    };
  }

  private push(list: string[], text: string): void {
    const index = list.push(text) - 1;
    this.extend = (next, previous) => {
      list[index] = joinContinuation(previous, list[index] as string, next);
    };
  }
}

/** Reads labelled fields, step lists and decision options from the lines of a presentation's body. */
export function readBody(lines: ScreenLine[]): BodyFields {
  const reader = new BodyReader();
  for (const line of lines) reader.read(line);
  return reader.fields;
}
