export type PhaseStatus = 'not_started' | 'planned' | 'in_progress' | 'complete';

export interface PlanInfo {
  /** `<padded phase>-<MM>`, e.g. `02.1-03`. */
  id: string;
  /** Path of the PLAN file relative to the project directory, null when only a SUMMARY exists. */
  path: string | null;
  hasSummary: boolean;
  /** The plan has `checkpoint:*` tasks (or `autonomous: false`). */
  hasCheckpoints: boolean;
  /** Done: it has a SUMMARY, or ROADMAP ticks it (or its whole phase) off. */
  complete?: boolean;
}

export interface PhaseInfo {
  /** As written in ROADMAP, e.g. `2.1`, `12A`, `111`. */
  id: string;
  name: string;
  status: PhaseStatus;
  plansTotal: number;
  plansComplete: number;
  plans: PlanInfo[];
  /** Milestone the phase belongs to, e.g. `v1.2`, when known. */
  milestone: string | null;
}

/** A place where ROADMAP, STATE and the files on disk disagree, and which reading was kept. */
export interface StateConflict {
  field: string;
  /** What each source says, by source name (`ROADMAP.md`, `STATE.md frontmatter`, `disk`, …). */
  sources: Record<string, string>;
  chosen: string;
  reason: string;
}

export interface PlanningState {
  projectName: string | null;
  currentMilestone: string | null;
  phases: PhaseInfo[];
  currentPhase: string | null;
  currentPlan: string | null;
  /** STATE.md's status text, e.g. `Ready to execute`. */
  statusText: string | null;
  /** What a person would run next, e.g. `/gsd:plan-phase 4`. */
  nextAction: string | null;
  conflicts: StateConflict[];
  /** Malformed or missing files, in words. Never thrown. */
  warnings: string[];
}
