import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlanningState } from '@gsd/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli-runner.js';
import { makeTempDir } from '../../session-manager/test/helpers/temp.js';

const DOCORA = fileURLToPath(new URL('../../../../shared/gsd/corpus/toto-castaldi+docora/', import.meta.url));

describe('gsd-harness state', () => {
  let temp: ReturnType<typeof makeTempDir>;

  beforeEach(() => {
    temp = makeTempDir('gsd-state-');
  });
  afterEach(() => temp.remove());

  it('prints the position, the next action, a bar per phase, conflicts and warnings', async () => {
    const result = await runCli(['state', DOCORA], temp.dbPath);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'Project    Docora Admin Dashboard',
      'Milestone  v1.3',
      'Phase      15 Version Infrastructure',
      'Plan       15-02',
      'Status     Phase 15 complete',
      'Next       /gsd:plan-phase 16',
    ]);
    expect(lines).toContain('  ▶  15  [████████] 2/2  complete     Version Infrastructure');
    expect(lines).toContain('     16  [░░░░░░░░] 0/0  not started  CI/CD Pipeline');
    expect(lines.filter((line) => /^ {2}[▶ ] {2}\d+ +\[[█░]{8}\] \d+\/\d+ /.test(line))).toHaveLength(17);
    expect(result.stdout).toContain('Conflicts (3)');
    expect(result.stdout).toContain('  - current milestone: STATE.md frontmatter: v1.0; ROADMAP.md: v1.3');
    expect(result.stdout).toContain('Warnings (3)');
  });

  it('prints the PlanningState with --json, reading the current directory by default', async () => {
    const result = await runCli(['state', '--json'], temp.dbPath, DOCORA);
    expect(result.code).toBe(0);
    const state = JSON.parse(result.stdout) as PlanningState;
    expect(state).toMatchObject({
      projectName: 'Docora Admin Dashboard',
      currentMilestone: 'v1.3',
      currentPhase: '15',
      currentPlan: '15-02',
      nextAction: '/gsd:plan-phase 16',
    });
    expect(state.phases).toHaveLength(17);
    expect(state.phases.reduce((sum, p) => sum + p.plansTotal, 0)).toBe(42);
  });

  it('draws partial bars', async () => {
    const project = join(temp.dir, 'project');
    mkdirSync(join(project, '.planning', 'phases', '01-base'), { recursive: true });
    writeFileSync(
      join(project, '.planning', 'ROADMAP.md'),
      '# Roadmap: Bars\n\n- [ ] **Phase 1: Base** - b\n',
    );
    for (const file of [
      '01-01-PLAN.md',
      '01-01-SUMMARY.md',
      '01-02-PLAN.md',
      '01-03-PLAN.md',
      '01-04-PLAN.md',
    ]) {
      writeFileSync(join(project, '.planning', 'phases', '01-base', file), '');
    }
    const result = await runCli(['state', project], temp.dbPath);
    expect(result.stdout).toContain('  ▶  1   [██░░░░░░] 1/4  in progress  Base');
    expect(result.stdout).toContain('Next       /gsd:execute-plan .planning/phases/01-base/01-02-PLAN.md');
  });

  it('says clearly when there is no .planning directory', async () => {
    const missing = await runCli(['state', temp.dir], temp.dbPath);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(
      `gsd-harness: No .planning directory in ${temp.dir} (not a GSD project, or not its root)\n`,
    );
    const nowhere = await runCli(['state', join(temp.dir, 'nope')], temp.dbPath);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toBe(`gsd-harness: Directory does not exist: ${join(temp.dir, 'nope')}\n`);
  });
});
