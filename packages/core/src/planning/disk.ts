import { parseFrontmatter } from './frontmatter.js';
import { formatPlanId, normalizePhaseId, PHASE_ID_SOURCE } from './phase-id.js';

/** A plan as the files in one phase directory show it. */
export interface DiskPlan {
  planId: string;
  phaseKey: string;
  /** Relative to `.planning/`; null when only a SUMMARY exists. */
  planPath: string | null;
  summaryPath: string | null;
  hasCheckpoints: boolean;
}

/** A directory under `phases/` or `milestones/<v>-phases/`. */
export interface PhaseDirectory {
  /** Relative to `.planning/`, e.g. `phases/02.1-profile-ui`. */
  path: string;
  /** From the directory name; null when it does not start with a phase id. */
  key: string | null;
  slug: string;
  /** `v1.1` for `milestones/v1.1-phases/…`. */
  milestone: string | null;
  plans: DiskPlan[];
}

const PHASE_DIR = /^(phases|milestones\/([^/]+?)-phases)\/([^/]+)\/([^/]+)$/;
const DIR_NAME = new RegExp(String.raw`^(${PHASE_ID_SOURCE})(?:-(.*))?$`);
const PLAN_FILE = new RegExp(String.raw`^(${PHASE_ID_SOURCE})-(\d{1,3})-(PLAN|SUMMARY)\.md$`, 'i');
const CHECKPOINT_TASK = /<task\b[^>]*\btype\s*=\s*["']?checkpoint/i;

/** A plan waits for a person when it has `checkpoint:*` tasks or says `autonomous: false`. */
export function planHasCheckpoints(text: string): boolean {
  if (CHECKPOINT_TASK.test(text)) return true;
  // Only the frontmatter is parsed: plans run to hundreds of lines and this is read for every one.
  if (!/^\uFEFF?---\r?\n/.test(text)) return false;
  const end = text.search(/\n---\s*(\r?\n|$)/);
  if (end === -1) return false;
  return parseFrontmatter(text.slice(0, end + 4)).data?.['autonomous'] === false;
}

/** Groups the PLAN and SUMMARY files under `phases/` and `milestones/*-phases/` by directory. */
export function scanPhaseDirectories(files: ReadonlyMap<string, string>): PhaseDirectory[] {
  const directories = new Map<string, PhaseDirectory>();
  const paths = [...files.keys()].sort();
  for (const path of paths) {
    const match = PHASE_DIR.exec(path);
    if (match === null) continue;
    const dirPath = path.slice(0, path.length - (match[4] ?? '').length - 1);
    let directory = directories.get(dirPath);
    if (directory === undefined) {
      const name = DIR_NAME.exec(match[3] ?? '');
      directory = {
        path: dirPath,
        key: name === null ? null : normalizePhaseId(name[1] ?? ''),
        slug: name === null ? (match[3] ?? '') : (name[2] ?? ''),
        milestone: match[2] === undefined ? null : match[2].toLowerCase(),
        plans: [],
      };
      directories.set(dirPath, directory);
    }
    const file = PLAN_FILE.exec(match[4] ?? '');
    const phaseKey = file === null ? null : normalizePhaseId(file[1] ?? '');
    if (file === null || phaseKey === null) continue;
    const planId = formatPlanId(phaseKey, Number(file[2]));
    let plan = directory.plans.find((p) => p.planId === planId);
    if (plan === undefined) {
      plan = { planId, phaseKey, planPath: null, summaryPath: null, hasCheckpoints: false };
      directory.plans.push(plan);
    }
    if ((file[3] ?? '').toUpperCase() === 'PLAN') {
      plan.planPath = path;
      plan.hasCheckpoints = planHasCheckpoints(files.get(path) ?? '');
    } else plan.summaryPath = path;
  }
  for (const directory of directories.values())
    directory.plans.sort((a, b) => a.planId.localeCompare(b.planId));
  return [...directories.values()];
}
