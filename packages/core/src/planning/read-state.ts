import { scanPhaseDirectories } from './disk.js';
import { chooseNextAction } from './next-action.js';
import { displayPhaseId, normalizePhaseId } from './phase-id.js';
import { phasesFromRoadmap, phasesWithoutRoadmap, type ArchivedRoadmap } from './phase-sources.js';
import type { PhaseRecord } from './phases.js';
import { buildPhases } from './phases.js';
import { resolveMilestone, resolvePosition } from './position.js';
import { projectNameFromConfig, projectNameFromMilestones, projectNameFromProject } from './project.js';
import { readPlanningDirectory } from './read-directory.js';
import { milestoneIndex, parseRoadmap, type Roadmap } from './roadmap.js';
import { parseState } from './state.js';
import type { PhaseInfo, PlanningState, StateConflict } from './types.js';

/** Files of a `.planning` tree: path relative to `.planning/` (with `/`) → content. */
export type PlanningFileMap = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

const ARCHIVE = /^milestones\/(v\d+(?:\.\d+)*)-ROADMAP\.md$/i;
const EXECUTING = /\bin[ -]progress\b|\bexecuting\b/i;
/** How many unlisted phase directories a warning names before it says "and N more". */
const LISTED_IN_WARNING = 10;

const versionParts = (version: string): number[] => version.slice(1).split('.').map(Number);
function compareVersions(a: string, b: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function archivedRoadmaps(files: ReadonlyMap<string, string>): ArchivedRoadmap[] {
  const archives: ArchivedRoadmap[] = [];
  for (const [path, text] of files) {
    const match = ARCHIVE.exec(path);
    if (match !== null) {
      archives.push({
        version: (match[1] ?? '').toLowerCase(),
        path: `milestones/${path.split('/')[1] ?? ''}`,
        roadmap: parseRoadmap(text),
      });
    }
  }
  return archives.sort((a, b) => compareVersions(a.version, b.version));
}

function projectName(
  files: ReadonlyMap<string, string>,
  roadmap: Roadmap | null,
  warnings: string[],
): string | null {
  if (roadmap?.title) return roadmap.title;
  const project = files.get('PROJECT.md');
  const milestones = files.get('MILESTONES.md');
  const config = files.get('config.json');
  const fromConfig = config === undefined ? null : projectNameFromConfig(config);
  if (fromConfig?.problem) warnings.push(`config.json ${fromConfig.problem}`);
  return (
    (project === undefined ? null : projectNameFromProject(project)) ??
    (milestones === undefined ? null : projectNameFromMilestones(milestones)) ??
    fromConfig?.name ??
    null
  );
}

/** Drops the parser's working fields so the result is exactly a `PhaseInfo`. */
function toPhaseInfo(phase: PhaseRecord): PhaseInfo {
  const { id, name, status, plansTotal, plansComplete, plans, milestone } = phase;
  return { id, name, status, plansTotal, plansComplete, plans, milestone };
}

/**
 * Reads a project's state from the files of its `.planning` tree, already in memory. Pure: no file
 * system access. Malformed or missing files become `warnings`; this never throws.
 */
export function parsePlanningState(
  input: PlanningFileMap,
  readWarnings: readonly string[] = [],
): PlanningState {
  const files: ReadonlyMap<string, string> =
    input instanceof Map ? input : new Map(Object.entries(input as Record<string, string>));
  const warnings = [...readWarnings];
  const conflicts: StateConflict[] = [];

  const roadmapText = files.get('ROADMAP.md');
  const roadmap = roadmapText === undefined ? null : parseRoadmap(roadmapText);
  if (roadmap !== null) {
    warnings.push(...roadmap.warnings.map((w) => `ROADMAP.md ${w}`));
    for (const row of roadmap.progress.filter((r) => r.shifted)) {
      warnings.push(
        `ROADMAP.md progress table: the row for phase ${displayPhaseId(row.key)} has its columns shifted`,
      );
    }
  }
  const archives = archivedRoadmaps(files);
  const directories = scanPhaseDirectories(files);
  const list =
    roadmap !== null ? phasesFromRoadmap(roadmap, directories) : phasesWithoutRoadmap(archives, directories);
  if (roadmap === null) {
    warnings.push(
      archives.length > 0
        ? 'No ROADMAP.md (complete-milestone removes it): phases read from milestones/*-ROADMAP.md and the phase directories'
        : 'No ROADMAP.md: phases read from the phase directories',
    );
  }
  if (list.unlisted.length > 0) {
    const named = list.unlisted.slice(0, LISTED_IN_WARNING).join(', ');
    const more =
      list.unlisted.length > LISTED_IN_WARNING ? ` and ${list.unlisted.length - LISTED_IN_WARNING} more` : '';
    warnings.push(
      roadmap !== null
        ? `Phase directories not listed in ROADMAP.md (left out): ${named}${more}`
        : `Phase directories not in any milestone archive: ${named}${more}`,
    );
  }

  const stateText = files.get('STATE.md');
  const state = stateText === undefined ? null : parseState(stateText);
  if (state === null) warnings.push('No STATE.md: the position is taken from the first unfinished phase');
  else warnings.push(...state.warnings.map((w) => `STATE.md ${w}`));
  const fm = state?.frontmatter;
  if (fm?.completedPlans != null && fm.totalPlans != null && fm.completedPlans > fm.totalPlans) {
    warnings.push(
      `STATE.md frontmatter progress is inconsistent (completed_plans ${fm.completedPlans} > total_plans ${fm.totalPlans}); ignored`,
    );
  }

  const statusText = state?.body.status ?? state?.frontmatter?.status ?? null;
  const executingKey =
    state?.body.phase != null && statusText !== null && EXECUTING.test(statusText)
      ? normalizePhaseId(state.body.phase)
      : null;
  const built = buildPhases({
    sources: list.sources,
    roadmapPlans: list.plans,
    progress: roadmap?.progress ?? [],
    directories,
    executingKey,
  });
  conflicts.push(...built.conflicts);

  const position = resolvePosition(state, built.phases);
  conflicts.push(...position.conflicts);
  warnings.push(...position.warnings);
  const milestone = resolveMilestone(
    state,
    roadmap === null ? new Map() : milestoneIndex(roadmap),
    built.phases,
  );
  conflicts.push(...milestone.conflicts);

  const nextAction = chooseNextAction({
    phases: built.phases,
    current: position.phase,
    statusText,
    betweenMilestones: state?.betweenMilestones ?? false,
    roadmapArchivedOnly: roadmap === null && archives.length > 0,
    hasProject: files.has('PROJECT.md'),
  });

  return {
    projectName: projectName(files, roadmap, warnings),
    currentMilestone: milestone.milestone,
    phases: built.phases.map(toPhaseInfo),
    currentPhase: position.phaseId,
    currentPlan: position.planId,
    statusText,
    nextAction,
    conflicts,
    warnings,
  };
}

/** Reads `<projectDir>/.planning` and parses it. Never throws; a missing directory is a warning. */
export function readPlanningState(projectDir: string): PlanningState {
  const read = readPlanningDirectory(projectDir);
  if (!read.found) {
    return {
      ...parsePlanningState(new Map()),
      warnings: [`No .planning directory in ${projectDir}`],
    };
  }
  return parsePlanningState(read.files, read.warnings);
}
