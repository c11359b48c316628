import { parseFrontmatter, type YamlValue } from './frontmatter.js';
import { readField, sectionLines } from './markdown.js';
import { normalizePlanId, PHASE_ID_SOURCE } from './phase-id.js';

/** What STATE.md's `Plan:` line says. */
export type PlanReference =
  | { kind: 'id'; planId: string }
  | { kind: 'ordinal'; number: number }
  | { kind: 'all-complete' }
  | { kind: 'none' };

/** What STATE.md says, from its body and (since v1.21) its frontmatter, kept apart. */
export interface StateFile {
  body: {
    /** Phase id as written on the `Phase:` line; null when it says there is none. */
    phase: string | null;
    phaseText: string | null;
    plan: PlanReference | null;
    planText: string | null;
    status: string | null;
    /** Phase id named by `**Current focus:**`, which is updated less often than `Phase:`. */
    focusPhase: string | null;
  };
  frontmatter: {
    milestone: string | null;
    status: string | null;
    phase: string | null;
    plan: PlanReference | null;
    completedPlans: number | null;
    totalPlans: number | null;
  } | null;
  /** The `Phase:`/`Status:` lines say the last milestone is done and no new one has started. */
  betweenMilestones: boolean;
  warnings: string[];
}

const LEADING_PHASE = new RegExp(String.raw`^(?:Phase\s+)?(${PHASE_ID_SOURCE})(?!\w)`, 'i');
const FOCUS_PHASE = new RegExp(String.raw`\bPhase\s+(${PHASE_ID_SOURCE})\b`, 'i');
const PLAN_ID_IN_TEXT = new RegExp(
  String.raw`(?:^|[\s(])(${PHASE_ID_SOURCE}-\d{1,3})(?=-PLAN\b|[\s),:]|$)`,
  'i',
);
const BETWEEN = /between milestones|milestone (?:shipped|archived|complete)|new-milestone|no active phase/i;

/** Reads a `Plan:` value: `2 of 3 in current phase`, `05-01-PLAN.md (…)`, `All complete`, `Not yet planned`. */
export function parsePlanReference(text: string): PlanReference {
  const id = PLAN_ID_IN_TEXT.exec(text);
  const normalised = id === null ? null : normalizePlanId(id[1] ?? '');
  if (normalised !== null) return { kind: 'id', planId: normalised.planId };
  if (/^\s*all\b.*\bcomplete/i.test(text)) return { kind: 'all-complete' };
  const ordinal = /^\s*(?:Plan\s+)?(\d{1,3})\b(?!-)/i.exec(text);
  if (ordinal !== null && Number(ordinal[1]) > 0) return { kind: 'ordinal', number: Number(ordinal[1]) };
  return { kind: 'none' };
}

function phaseIdOf(text: string): string | null {
  return LEADING_PHASE.exec(text.trim())?.[1] ?? null;
}

const asText = (value: YamlValue | undefined): string | null =>
  typeof value === 'string' ? value.trim() || null : typeof value === 'number' ? String(value) : null;
const asNumber = (value: YamlValue | undefined): number | null =>
  typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null;

/** Reads STATE.md (every template since v1.0). Never throws; what it cannot read becomes a warning. */
export function parseState(text: string): StateFile {
  const warnings: string[] = [];
  const { data, body, problems } = parseFrontmatter(text);
  warnings.push(...problems);
  if (body.every((line) => line.trim() === '') && data === null) warnings.push('is empty');

  const position = sectionLines(body, /^Current Position\b/i);
  if (position === null && body.some((line) => line.trim() !== ''))
    warnings.push('has no "## Current Position" section');
  // The Current Position section is authoritative; v1.0's `## Project Alignment` also has a `Status:`.
  const field = (name: string): string | null =>
    (position !== null ? readField(position, name) : null) ?? readField(body, name);

  const phaseText = field('Phase');
  const planText = field('Plan');
  const status = field('Status');
  const focus = readField(body, 'Current focus');
  const betweenMilestones = [phaseText, status].some((value) => value !== null && BETWEEN.test(value));

  let frontmatter: StateFile['frontmatter'] = null;
  if (data !== null) {
    const progress = data['progress'];
    const counts =
      progress !== null && typeof progress === 'object' && !Array.isArray(progress) ? progress : {};
    const fmPlan = asText(data['current_plan']);
    const fmPhase = asText(data['current_phase']) ?? asText(data['active_phase']);
    frontmatter = {
      milestone: asText(data['milestone']),
      status: asText(data['status']),
      phase: fmPhase === null ? null : phaseIdOf(fmPhase),
      plan: fmPlan === null ? null : parsePlanReference(fmPlan),
      completedPlans: asNumber(counts['completed_plans']),
      totalPlans: asNumber(counts['total_plans']),
    };
  }

  return {
    body: {
      phase: phaseText === null ? null : phaseIdOf(phaseText),
      phaseText,
      plan: planText === null ? null : parsePlanReference(planText),
      planText,
      status,
      focusPhase: focus === null ? null : (FOCUS_PHASE.exec(focus)?.[1] ?? null),
    },
    frontmatter,
    betweenMilestones,
    warnings,
  };
}
