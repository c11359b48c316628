import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readPlanningState, type PhaseInfo, type PhaseStatus, type PlanningState } from '@gsd/core';
import { CliError } from '../errors.js';
import { renderTable } from '../format.js';

export interface StateOptions {
  json?: boolean;
}

/** Cells in a phase's progress bar. */
const BAR_WIDTH = 8;

const STATUS_WORDS: Record<PhaseStatus, string> = {
  complete: 'complete',
  in_progress: 'in progress',
  planned: 'planned',
  not_started: 'not started',
};

/** `[████░░░░] 3/4`; a phase done without counted plans shows full. */
export function progressBar(phase: PhaseInfo): string {
  const fraction =
    phase.plansTotal > 0 ? phase.plansComplete / phase.plansTotal : phase.status === 'complete' ? 1 : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  return `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${phase.plansComplete}/${phase.plansTotal}`;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The readable summary: where the project stands, each phase with a bar, then conflicts and warnings. */
export function formatState(state: PlanningState): string {
  const lines: string[] = [];
  const current = state.phases.find((p) => p.id === state.currentPhase);
  const field = (label: string, value: string | null): void => {
    lines.push(`${label.padEnd(10)} ${value ?? '-'}`);
  };
  field('Project', state.projectName);
  field('Milestone', state.currentMilestone);
  field(
    'Phase',
    state.currentPhase === null ? null : `${state.currentPhase}${current ? ` ${current.name}` : ''}`,
  );
  field('Plan', state.currentPlan);
  field('Status', state.statusText);
  field('Next', state.nextAction);

  if (state.phases.length > 0) {
    lines.push('', 'Phases');
    const rows = state.phases.map((phase) => [
      phase.id === state.currentPhase ? '▶' : ' ',
      phase.id,
      progressBar(phase),
      STATUS_WORDS[phase.status],
      phase.name,
    ]);
    const table = renderTable(['', 'ID', 'PLANS', 'STATUS', 'NAME'], rows);
    lines.push(...table.split('\n').map((line) => `  ${line}`));
  }
  if (state.conflicts.length > 0) {
    lines.push('', `Conflicts (${state.conflicts.length})`);
    for (const conflict of state.conflicts) {
      const sources = Object.entries(conflict.sources)
        .map(([source, value]) => `${source}: ${value}`)
        .join('; ');
      lines.push(`  - ${conflict.field}: ${sources}`, `    kept ${conflict.chosen}: ${conflict.reason}`);
    }
  }
  if (state.warnings.length > 0) {
    lines.push('', `Warnings (${state.warnings.length})`);
    for (const warning of state.warnings) lines.push(`  - ${warning}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `gsd-harness state [dir]`: reads `<dir>/.planning` and prints its state. */
export function stateCommand(dir: string | undefined, options: StateOptions): void {
  const projectDir = resolve(dir ?? process.cwd());
  if (!isDirectory(projectDir)) throw new CliError(`Directory does not exist: ${projectDir}`);
  if (!isDirectory(join(projectDir, '.planning'))) {
    throw new CliError(`No .planning directory in ${projectDir} (not a GSD project, or not its root)`);
  }
  const state = readPlanningState(projectDir);
  process.stdout.write(options.json === true ? `${JSON.stringify(state, null, 2)}\n` : formatState(state));
}
