import type { DiskPlan, PhaseDirectory } from './disk.js';
import type { StateConflict } from './types.js';

const words = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** Share of a directory slug's words found in the phase name (0…1). */
export function slugMatch(slug: string, name: string): number {
  const slugWords = words(slug);
  if (slugWords.length === 0) return 0;
  const nameWords = new Set(words(name));
  return slugWords.filter((word) => nameWords.has(word)).length / slugWords.length;
}

export interface PhasePlans {
  plans: DiskPlan[];
  directories: PhaseDirectory[];
  conflicts: StateConflict[];
}

/**
 * The plan files of one phase. Plans belong to the phase their file names say (directories are
 * sometimes renumbered without renaming the files). When several directories hold plans of the same
 * phase — a restarted numbering leaves the old generation beside the new — the one whose name
 * matches the phase name wins.
 */
export function plansOfPhase(
  key: string,
  id: string,
  name: string,
  directories: readonly PhaseDirectory[],
): PhasePlans {
  const conflicts: StateConflict[] = [];
  let holders = directories.filter((d) => d.plans.some((p) => p.phaseKey === key));
  if (holders.length > 1) {
    const scores = holders.map((d) => slugMatch(d.slug, name));
    const best = Math.max(...scores);
    const winners = holders.filter((_, i) => scores[i] === best);
    if (winners.length < holders.length) {
      conflicts.push({
        field: `phase ${id} directory`,
        sources: { 'ROADMAP.md': name, disk: holders.map((d) => d.path).join(', ') },
        chosen: winners.map((d) => d.path).join(', '),
        reason:
          'several directories hold plans numbered for this phase; kept the one whose name matches the phase',
      });
      holders = winners;
    }
  }
  for (const directory of holders) {
    if (directory.key !== null && directory.key !== key) {
      conflicts.push({
        field: `phase ${id} directory`,
        sources: { 'directory name': directory.path, 'plan file names': `${key}-NN` },
        chosen: 'plan file names',
        reason: 'the directory was renumbered but its files keep the phase they were written for',
      });
    }
  }
  const byId = new Map<string, DiskPlan>();
  for (const plan of holders.flatMap((d) => d.plans.filter((p) => p.phaseKey === key))) {
    const known = byId.get(plan.planId);
    if (known === undefined) byId.set(plan.planId, { ...plan });
    else {
      known.planPath ??= plan.planPath;
      known.summaryPath ??= plan.summaryPath;
      known.hasCheckpoints ||= plan.hasCheckpoints;
    }
  }
  return { plans: [...byId.values()], directories: holders, conflicts };
}
