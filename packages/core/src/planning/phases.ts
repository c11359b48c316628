import type { PhaseDirectory } from './disk.js';
import { plansOfPhase } from './phase-directories.js';
import { phaseConflicts, type PlanRow } from './phase-conflicts.js';
import { isCompleteStatus, type ProgressRow } from './progress-table.js';
import type { RoadmapPhase, RoadmapPlan } from './roadmap.js';
import type { PhaseInfo, PhaseStatus, PlanInfo, StateConflict } from './types.js';

/** A phase as a roadmap (or, lacking one, the disk) lists it, before plans are counted. */
export interface PhaseSource extends Pick<
  RoadmapPhase,
  | 'id'
  | 'key'
  | 'name'
  | 'checked'
  | 'declaredTotal'
  | 'declaredComplete'
  | 'milestone'
  | 'shipped'
  | 'collapsed'
> {
  /** Where it was listed: `ROADMAP.md`, `milestones/v2-ROADMAP.md` or `disk`. */
  source: string;
}

/** A phase with what the parser needs beyond `PhaseInfo` to pick the next action. */
export interface PhaseRecord extends PhaseInfo {
  key: string;
  /** The roadmap, not the files, says it is done (checked off or in a shipped milestone). */
  doneByRoadmap: boolean;
  checked: boolean | null;
  shipped: boolean;
  collapsed: boolean;
  source: string;
}

export interface PhaseInput {
  sources: readonly PhaseSource[];
  roadmapPlans: readonly RoadmapPlan[];
  progress: readonly ProgressRow[];
  directories: readonly PhaseDirectory[];
  /** The phase STATE.md says is being executed, which counts as in progress before a SUMMARY exists. */
  executingKey: string | null;
}

const planNumber = (planId: string): number => Number(planId.slice(planId.lastIndexOf('-') + 1));

/** Counts each phase's plans from its files and the roadmap's plan lists, recording disagreements. */
export function buildPhases(input: PhaseInput): { phases: PhaseRecord[]; conflicts: StateConflict[] } {
  const conflicts: StateConflict[] = [];
  const phases = input.sources.map((source) => {
    const found = plansOfPhase(source.key, source.id, source.name, input.directories);
    conflicts.push(...found.conflicts);
    const listed = input.roadmapPlans.filter((plan) => plan.phaseKey === source.key);

    const ids = [...new Set([...found.plans.map((p) => p.planId), ...listed.map((p) => p.planId)])];
    ids.sort((a, b) => planNumber(a) - planNumber(b));
    const rows = ids.map((planId): PlanRow => {
      const file = found.plans.find((p) => p.planId === planId);
      const entries = listed.filter((p) => p.planId === planId);
      return {
        planId,
        planPath: file?.planPath ?? null,
        hasSummary: (file?.summaryPath ?? null) !== null,
        hasCheckpoints: file?.hasCheckpoints ?? false,
        listed: entries.length > 0,
        checked: entries.some((p) => p.checked),
        namesFile: entries.some((p) => p.namesFile),
      };
    });

    const row = input.progress.find((r) => r.key === source.key);
    const checkedOff = source.checked === true || (source.shipped && source.checked !== false);
    const tableSaysDone = source.checked === null && !source.shipped && isCompleteStatus(row?.status ?? null);
    const doneByRoadmap = checkedOff || tableSaysDone;
    const doneOnDisk = rows.length > 0 && rows.every((r) => r.hasSummary);
    const complete = doneByRoadmap || doneOnDisk;

    const plans: PlanInfo[] = rows.map((r) => ({
      id: r.planId,
      path: r.planPath === null ? null : `.planning/${r.planPath}`,
      hasSummary: r.hasSummary,
      hasCheckpoints: r.hasCheckpoints,
      complete: r.hasSummary || r.checked || complete,
    }));
    const plansTotal = plans.length > 0 ? plans.length : (source.declaredTotal ?? 0);
    const plansComplete =
      plans.length > 0
        ? plans.filter((p) => p.complete).length
        : complete
          ? plansTotal
          : Math.min(source.declaredComplete ?? 0, plansTotal);

    let status: PhaseStatus = 'not_started';
    if (complete) status = 'complete';
    else if (plansComplete > 0) status = 'in_progress';
    else if (rows.some((r) => r.planPath !== null || r.namesFile)) {
      status =
        input.executingKey === source.key && rows.some((r) => r.planPath !== null)
          ? 'in_progress'
          : 'planned';
    }

    conflicts.push(
      ...phaseConflicts({
        source,
        rows,
        row,
        plansComplete,
        plansTotal,
        complete,
        doneByRoadmap,
        doneOnDisk,
        checkedOff,
      }),
    );

    const record: PhaseRecord = {
      id: source.id,
      name: source.name,
      status,
      plansTotal,
      plansComplete,
      plans,
      milestone: source.milestone ?? found.directories.find((d) => d.milestone !== null)?.milestone ?? null,
      key: source.key,
      doneByRoadmap,
      checked: source.checked,
      shipped: source.shipped,
      collapsed: source.collapsed,
      source: source.source,
    };
    return record;
  });
  return { phases, conflicts };
}
