import type { PhaseRecord } from './phases.js';

export interface NextActionInput {
  phases: readonly PhaseRecord[];
  current: PhaseRecord | null;
  statusText: string | null;
  /** STATE says the last milestone is done and no new one started. */
  betweenMilestones: boolean;
  /** Milestone roadmaps are archived under `milestones/` but there is no ROADMAP.md. */
  roadmapArchivedOnly: boolean;
  hasProject: boolean;
}

const VERIFYING = /\bverif|\buat\b/i;

/**
 * What a person would run next, in GSD's own routing order: a finished milestone is archived
 * (complete-milestone) and then followed by a new one; otherwise the phase being worked on gets its
 * next unexecuted plan, or is planned when it has no plans yet.
 */
export function chooseNextAction(input: NextActionInput): string | null {
  const { phases, current } = input;
  if (phases.length === 0) {
    if (input.betweenMilestones || input.roadmapArchivedOnly) return '/gsd:new-milestone';
    return input.hasProject ? '/gsd:create-roadmap' : '/gsd:new-project';
  }

  // Plans all summarised but the phase not yet ticked off, and STATE says it awaits verification.
  if (
    current !== null &&
    current.checked === false &&
    current.plansTotal > 0 &&
    current.plans.every((p) => p.hasSummary) &&
    input.statusText !== null &&
    VERIFYING.test(input.statusText)
  ) {
    return `/gsd:verify-work ${current.id}`;
  }

  const open = phases.filter((p) => p.status !== 'complete');
  if (open.length === 0) {
    const shipped = input.betweenMilestones || input.roadmapArchivedOnly || phases.every((p) => p.shipped);
    return shipped ? '/gsd:new-milestone' : '/gsd:complete-milestone';
  }

  const start = current === null ? -1 : phases.indexOf(current);
  const target =
    (start >= 0 && current?.status !== 'complete' ? current : null) ??
    phases.slice(start + 1).find((p) => p.status !== 'complete') ??
    open[0];
  if (target === undefined) return null;
  const unexecuted = target.plans.find((p) => p.path !== null && !p.complete);
  if (unexecuted !== undefined && unexecuted.path !== null) return `/gsd:execute-plan ${unexecuted.path}`;
  return `/gsd:plan-phase ${target.id}`;
}
