import type { PhaseDirectory } from './disk.js';
import { comparePhaseIds, displayPhaseId, isBacklogPhase } from './phase-id.js';
import type { PhaseSource } from './phases.js';
import { milestoneIndex, type Roadmap, type RoadmapPlan } from './roadmap.js';

/** A `milestones/<version>-ROADMAP.md` archive written by complete-milestone. */
export interface ArchivedRoadmap {
  version: string;
  path: string;
  roadmap: Roadmap;
}

export interface PhaseList {
  sources: PhaseSource[];
  plans: RoadmapPlan[];
  /** Phase directories that no roadmap lists, by id. */
  unlisted: string[];
}

/** Phases ROADMAP.md lists, in its order; 999.x backlog phases left out. */
export function phasesFromRoadmap(roadmap: Roadmap, directories: readonly PhaseDirectory[]): PhaseList {
  const milestones = milestoneIndex(roadmap);
  const sources = roadmap.phases
    .filter((phase) => !isBacklogPhase(phase.key))
    .map((phase) => ({
      ...phase,
      shipped:
        phase.shipped || (phase.milestone !== null && milestones.get(phase.milestone)?.status === 'shipped'),
      source: 'ROADMAP.md',
    }));
  const listed = new Set(sources.map((s) => s.key));
  // Directories of earlier milestones are archived under milestones/; only phases/ should match the roadmap.
  const unlisted = diskKeys(directories.filter((d) => d.milestone === null)).filter(
    (key) => !listed.has(key) && !isBacklogPhase(key),
  );
  return { sources, plans: roadmap.plans, unlisted: unlisted.map(displayPhaseId) };
}

/**
 * Between milestones ROADMAP.md is gone: the phases are those of the archived milestone roadmaps
 * (shipped by definition) plus any directory none of them lists, in phase order.
 */
export function phasesWithoutRoadmap(
  archives: readonly ArchivedRoadmap[],
  directories: readonly PhaseDirectory[],
): PhaseList {
  const byKey = new Map<string, PhaseSource>();
  const plans: RoadmapPlan[] = [];
  for (const archive of archives) {
    for (const phase of archive.roadmap.phases) {
      if (isBacklogPhase(phase.key) || byKey.has(phase.key)) continue;
      byKey.set(phase.key, {
        ...phase,
        milestone: phase.milestone ?? archive.version,
        shipped: true,
        source: archive.path,
      });
    }
    plans.push(...archive.roadmap.plans);
  }
  const unlisted: string[] = [];
  for (const key of diskKeys(directories)) {
    if (byKey.has(key) || isBacklogPhase(key)) continue;
    const directory = directories.find((d) => d.key === key || d.plans.some((p) => p.phaseKey === key));
    byKey.set(key, {
      id: displayPhaseId(key),
      key,
      name: directory === undefined || directory.key !== key ? '' : directory.slug.replace(/-/g, ' '),
      checked: null,
      declaredTotal: null,
      declaredComplete: null,
      milestone: directory?.milestone ?? null,
      shipped: false,
      collapsed: false,
      source: 'disk',
    });
    if (archives.length > 0) unlisted.push(displayPhaseId(key));
  }
  const sources = [...byKey.values()].sort((a, b) => comparePhaseIds(a.key, b.key));
  return { sources, plans, unlisted };
}

/** Phase keys the disk knows: those its plan files name, and those of directories without plans. */
function diskKeys(directories: readonly PhaseDirectory[]): string[] {
  const keys = new Set<string>();
  for (const directory of directories) {
    if (directory.plans.length === 0 && directory.key !== null) keys.add(directory.key);
    for (const plan of directory.plans) keys.add(plan.phaseKey);
  }
  return [...keys];
}
