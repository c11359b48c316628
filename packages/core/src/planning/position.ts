import type { MilestoneMention } from './milestone.js';
import { formatPlanId, normalizePhaseId } from './phase-id.js';
import type { PhaseRecord } from './phases.js';
import type { PlanReference, StateFile } from './state.js';
import type { StateConflict } from './types.js';

export interface Position {
  phase: PhaseRecord | null;
  /** As ROADMAP writes it when the phase is known, else as STATE writes it. */
  phaseId: string | null;
  planId: string | null;
  conflicts: StateConflict[];
  warnings: string[];
}

const BODY = 'STATE.md';
const FRONTMATTER = 'STATE.md frontmatter';

/**
 * Where the project stands. STATE.md's `## Current Position` is read first: it is what the workflows
 * write on every step. Its frontmatter is regenerated from that body by gsd-tools, so it is only a
 * fallback. Without STATE.md the first unfinished phase is taken.
 */
export function resolvePosition(state: StateFile | null, phases: readonly PhaseRecord[]): Position {
  const conflicts: StateConflict[] = [];
  const warnings: string[] = [];
  const byKey = (id: string | null): PhaseRecord | null => {
    const key = id === null ? null : normalizePhaseId(id);
    return key === null ? null : (phases.find((p) => p.key === key) ?? null);
  };

  if (state === null) {
    const phase = phases.find((p) => p.status !== 'complete') ?? null;
    const plan = phase?.plans.find((p) => !p.complete) ?? null;
    return { phase, phaseId: phase?.id ?? null, planId: plan?.id ?? null, conflicts, warnings };
  }

  const bodyPhase = state.body.phase;
  const fmPhase = state.frontmatter?.phase ?? null;
  if (bodyPhase !== null && fmPhase !== null && normalizePhaseId(bodyPhase) !== normalizePhaseId(fmPhase)) {
    conflicts.push({
      field: 'current phase',
      sources: { [BODY]: bodyPhase, [FRONTMATTER]: fmPhase },
      chosen: BODY,
      reason: 'the frontmatter is regenerated from the body; a body edited since is newer',
    });
  }
  const focus = state.body.focusPhase;
  if (bodyPhase !== null && focus !== null && normalizePhaseId(bodyPhase) !== normalizePhaseId(focus)) {
    conflicts.push({
      field: 'current phase',
      sources: { 'STATE.md Phase:': bodyPhase, 'STATE.md Current focus:': focus },
      chosen: 'STATE.md Phase:',
      reason: '`Phase:` is updated after every plan, `Current focus:` only at phase transitions',
    });
  }
  const saysNone = state.body.phaseText !== null && bodyPhase === null;
  const written = bodyPhase ?? (saysNone ? null : fmPhase);
  const phase = byKey(written);
  if (written !== null && phase === null && phases.length > 0) {
    warnings.push(`STATE.md names phase ${written}, which no roadmap or directory lists`);
  }
  const later =
    phase === null ? [] : phases.slice(phases.indexOf(phase) + 1).filter((p) => p.status === 'complete');
  if (phase?.status === 'complete' && later.length > 0) {
    conflicts.push({
      field: 'current phase',
      sources: {
        [BODY]: phase.id,
        'ROADMAP.md and disk': `later phases complete: ${later.map((p) => p.id).join(', ')}`,
      },
      chosen: BODY,
      reason: 'the position is what STATE.md last recorded; the next action is worked out from the roadmap',
    });
  }

  const bodyPlan = state.body.plan;
  const reference =
    bodyPlan !== null && bodyPlan.kind !== 'none' ? bodyPlan : (state.frontmatter?.plan ?? bodyPlan);
  const planId = written === null ? null : resolvePlan(reference, written, phase);
  return { phase, phaseId: phase?.id ?? written, planId, conflicts, warnings };
}

function resolvePlan(
  reference: PlanReference | null,
  phaseId: string,
  phase: PhaseRecord | null,
): string | null {
  if (reference === null) return null;
  switch (reference.kind) {
    case 'id':
      return reference.planId;
    case 'ordinal': {
      const key = phase?.key ?? normalizePhaseId(phaseId);
      return key === null ? null : formatPlanId(key, reference.number);
    }
    case 'all-complete':
      return phase?.plans.at(-1)?.id ?? null;
    case 'none':
      return null;
  }
}

/**
 * The milestone being worked on. STATE's frontmatter names it (v1.21+) unless ROADMAP says that one
 * has shipped; then ROADMAP's active milestone, or the one whose phases ROADMAP still shows expanded.
 */
export function resolveMilestone(
  state: StateFile | null,
  milestones: ReadonlyMap<string, MilestoneMention>,
  phases: readonly PhaseRecord[],
): { milestone: string | null; conflicts: StateConflict[] } {
  const conflicts: StateConflict[] = [];
  const active = [...milestones.values()].find((m) => m.status === 'active')?.version ?? null;
  const expanded = phases.filter((p) => p.source === 'ROADMAP.md' && !p.collapsed && p.milestone !== null);
  const fromRoadmap = active ?? expanded.at(-1)?.milestone ?? null;
  const stated = state?.frontmatter?.milestone?.toLowerCase() ?? null;
  if (stated === null) return { milestone: fromRoadmap, conflicts };
  if (fromRoadmap === null || fromRoadmap === stated) return { milestone: stated, conflicts };
  const statedShipped = milestones.get(stated)?.status === 'shipped';
  conflicts.push({
    field: 'current milestone',
    sources: { [FRONTMATTER]: stated, 'ROADMAP.md': fromRoadmap },
    chosen: statedShipped ? 'ROADMAP.md' : FRONTMATTER,
    reason: statedShipped
      ? `ROADMAP.md marks ${stated} as shipped, so it cannot be the current milestone`
      : 'STATE.md frontmatter names the milestone explicitly',
  });
  return { milestone: statedShipped ? fromRoadmap : stated, conflicts };
}
