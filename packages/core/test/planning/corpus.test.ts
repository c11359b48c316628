// One test per project of the shared corpus (real `.planning` trees with what a careful reader takes
// from each in EXPECTED.json). Where this parser reads a project differently from a note, the test
// says why and asserts this reading.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readPlanningState } from '../../src/planning/read-state.js';
import type { PlanningState } from '../../src/planning/types.js';

const CORPUS = new URL('../../../../../shared/gsd/corpus/', import.meta.url);

interface Expected {
  projectName: string;
  phaseCount: number;
  completedPhases: string[];
  currentPhase: string | null;
  currentPlan: string | null;
  plansTotal: number;
  plansComplete: number;
  nextAction?: string;
  currentMilestone?: string | null;
}

function load(project: string): { state: PlanningState; expected: Expected } {
  const dir = new URL(`${encodeURIComponent(project)}/`, CORPUS);
  const expected = JSON.parse(readFileSync(new URL('EXPECTED.json', dir), 'utf8')) as Expected;
  return { state: readPlanningState(fileURLToPath(dir)), expected };
}

/** The fields EXPECTED.json gives for every project. */
function expectCounts({ state, expected }: { state: PlanningState; expected: Expected }): void {
  expect(state.projectName).toBe(expected.projectName);
  expect(state.phases).toHaveLength(expected.phaseCount);
  expect(state.phases.filter((p) => p.status === 'complete').map((p) => p.id)).toEqual(
    expected.completedPhases,
  );
  expect(state.currentPhase).toBe(expected.currentPhase);
  expect(state.currentPlan).toBe(expected.currentPlan);
  expect(state.phases.reduce((sum, p) => sum + p.plansTotal, 0)).toBe(expected.plansTotal);
  expect(state.phases.reduce((sum, p) => sum + p.plansComplete, 0)).toBe(expected.plansComplete);
}

const TESTED = [
  'RonnieDEV213+DS-ProSolution',
  'calebfaruki+get-shit-done',
  'daga004+token-efficient-coding-stack',
  'gonz0w+bgsd-oc',
  'kabomekgwe+building-agents',
  'mamluka+get-shit-done',
  'mmcgeh6+fischer-50k',
  'sandoak+gsd-orchestration-harness',
  'toto-castaldi+docora',
];

describe('the GSD corpus', () => {
  it('has a test for every project', () => {
    const projects = readdirSync(CORPUS, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(projects).toEqual(TESTED);
  });

  it('RonnieDEV213+DS-ProSolution: between milestones, no ROADMAP.md, phases from the v1..v5 archives', () => {
    const loaded = load('RonnieDEV213+DS-ProSolution');
    expectCounts(loaded);
    const { state, expected } = loaded;
    expect(state.currentMilestone).toBe(expected.currentMilestone);
    // EXPECTED: "/gsd:new-milestone (v6 Competitor Research); …"
    expect(state.nextAction).toBe('/gsd:new-milestone');
    expect(state.phases.map((p) => p.id)).toContain('28.1');
    expect(state.phases.map((p) => p.id)).not.toContain('32');
    // 06-04, 24-04 and 26-06 have no SUMMARY, but their shipped milestones count them done.
    expect(state.conflicts.filter((c) => c.field.endsWith('plans complete')).map((c) => c.field)).toEqual([
      'phase 6 plans complete',
      'phase 24 plans complete',
      'phase 26 plans complete',
    ]);
    expect(state.warnings[0]).toMatch(/^No ROADMAP\.md/);
  });

  it('calebfaruki+get-shit-done: ROADMAP ticks off plans the disk never got', () => {
    const loaded = load('calebfaruki+get-shit-done');
    expectCounts(loaded);
    const { state, expected } = loaded;
    expect(state.currentMilestone).toBe(expected.currentMilestone);
    // EXPECTED: "plan phase 7 (…; '0/TBD', 'Not started')"
    expect(state.nextAction).toBe('/gsd:plan-phase 7');
    expect(state.conflicts).toContainEqual(
      expect.objectContaining({
        field: 'current phase',
        sources: { 'STATE.md Phase:': '6', 'STATE.md Current focus:': '5' },
        chosen: 'STATE.md Phase:',
      }),
    );
    expect(state.conflicts).toContainEqual(
      expect.objectContaining({ field: 'phase 4 plans complete', chosen: 'ROADMAP.md' }),
    );
  });

  it('daga004+token-efficient-coding-stack: restarted numbering and renumbered directories', () => {
    const loaded = load('daga004+token-efficient-coding-stack');
    expectCounts(loaded);
    const { state, expected } = loaded;
    expect(state.currentMilestone).toBe(expected.currentMilestone);
    // EXPECTED: "/gsd:new-milestone (v1.1); v1.0 shipped 2026-02-21"
    expect(state.nextAction).toBe('/gsd:new-milestone');
    const phase = (id: string) => state.phases.find((p) => p.id === id);
    // The old generation's 01-auzoom-implementation (4 plans) sits beside 01-audit-foundation-traceability.
    expect(phase('1')?.plans.map((p) => p.path)).toEqual([
      '.planning/phases/01-audit-foundation-traceability/01-01-PLAN.md',
      '.planning/phases/01-audit-foundation-traceability/01-02-PLAN.md',
      '.planning/phases/01-audit-foundation-traceability/01-03-PLAN.md',
    ]);
    // Phase 10 lives in 09-deferred-work-legitimacy-assessment and has SUMMARYs only.
    expect(phase('10')?.plans.map((p) => [p.id, p.path, p.hasSummary])).toEqual([
      ['10-01', null, true],
      ['10-02', null, true],
      ['10-03', null, true],
    ]);
    expect(phase('8')).toMatchObject({ status: 'complete', plansTotal: 0 });
  });

  it('gonz0w+bgsd-oc: three-digit phases archived under milestones/v19.4-phases, STATE behind ROADMAP', () => {
    const loaded = load('gonz0w+bgsd-oc');
    expectCounts(loaded);
    const { state } = loaded;
    // EXPECTED says "v19.4 (shipped)"; the state carries the version, and that it shipped shows in
    // the next action (and in every phase of it being complete).
    expect(state.currentMilestone).toBe('v19.4');
    // EXPECTED: "… effectively between milestones / new-milestone"
    expect(state.nextAction).toBe('/gsd:new-milestone');
    expect(state.phases.every((p) => p.milestone === 'v19.4')).toBe(true);
    expect(state.conflicts).toContainEqual(
      expect.objectContaining({
        field: 'current phase',
        sources: { 'STATE.md': '212', 'ROADMAP.md and disk': 'later phases complete: 213, 214' },
      }),
    );
    // The progress table says 0/1 where the checklist and the files say 1/1.
    expect(state.conflicts.filter((c) => c.sources['ROADMAP.md progress table'] === '0/1')).toHaveLength(5);
  });

  it('kabomekgwe+building-agents: the v1.0 format, project complete', () => {
    const loaded = load('kabomekgwe+building-agents');
    expectCounts(loaded);
    const { state, expected } = loaded;
    expect(state.currentMilestone).toBe(expected.currentMilestone);
    // EXPECTED: "none in-flow (project complete; old GSD had /gsd:complete-milestone)". Every phase
    // is done and no milestone has been archived, so archiving it is what comes next.
    expect(state.nextAction).toBe('/gsd:complete-milestone');
    // `<task type="checkpoint">` without a subtype, from before checkpoint types existed.
    expect(state.phases[1]?.plans.map((p) => p.hasCheckpoints)).toEqual([false, true]);
    expect(state.statusText).toBe('✅ Complete');
  });

  it('mamluka+get-shit-done: mid-phase, ROADMAP lagging behind the SUMMARY files', () => {
    const loaded = load('mamluka+get-shit-done');
    expectCounts(loaded);
    const { state } = loaded;
    // EXPECTED: "v1.0 (implicit, no milestone sections)". Nothing in the files names a milestone
    // (calebfaruki is in the same situation and expects null), so none is made up.
    expect(state.currentMilestone).toBeNull();
    // EXPECTED: "execute 01-03-PLAN.md (phase 1 plan 3 of 3)"
    expect(state.nextAction).toBe('/gsd:execute-plan .planning/phases/01-foundation/01-03-PLAN.md');
    expect(state.phases.map((p) => p.status)).toEqual([
      'in_progress',
      'planned',
      'not_started',
      'not_started',
      'not_started',
    ]);
    expect(state.conflicts.map((c) => [c.field, c.chosen])).toEqual([
      ['plan 01-01', 'disk'],
      ['plan 01-02', 'disk'],
      ['phase 1 plans complete', 'checklist and files'],
    ]);
    expect(state.phases[0]?.plans.map((p) => p.hasCheckpoints)).toEqual([false, false, true]);
  });

  it('mmcgeh6+fischer-50k: greenfield, no phases/ directory, TBD placeholder plans', () => {
    const loaded = load('mmcgeh6+fischer-50k');
    expectCounts(loaded);
    const { state } = loaded;
    // EXPECTED: "v1.0 (implicit)"; no file names a milestone, see mamluka.
    expect(state.currentMilestone).toBeNull();
    expect(state.nextAction).toBe('/gsd:plan-phase 1');
    expect(state.statusText).toBe('Ready to plan');
    expect(state.conflicts).toEqual([]);
  });

  it('sandoak+gsd-orchestration-harness: early format, everything done', () => {
    const loaded = load('sandoak+gsd-orchestration-harness');
    expectCounts(loaded);
    const { state } = loaded;
    // EXPECTED gives no milestone or next action ("complete-milestone/new-milestone"). Milestones
    // appear only as trailer lines, not as archived or ✅ milestones, so the milestone is still to be
    // completed.
    expect(state.currentMilestone).toBeNull();
    expect(state.nextAction).toBe('/gsd:complete-milestone');
  });

  it('toto-castaldi+docora: wrong frontmatter milestone, shifted table rows, summaries without plans', () => {
    const loaded = load('toto-castaldi+docora');
    expectCounts(loaded);
    const { state, expected } = loaded;
    expect(state.currentMilestone).toBe(expected.currentMilestone);
    // EXPECTED: "plan phase 16 (CI/CD Pipeline); 16 and 17 only have 'TBD' placeholder plan entries"
    expect(state.nextAction).toBe('/gsd:plan-phase 16');
    expect(state.conflicts).toContainEqual({
      field: 'current milestone',
      sources: { 'STATE.md frontmatter': 'v1.0', 'ROADMAP.md': 'v1.3' },
      chosen: 'ROADMAP.md',
      reason: 'ROADMAP.md marks v1.0 as shipped, so it cannot be the current milestone',
    });
    expect(state.phases.find((p) => p.id === '15')?.plans).toEqual([
      { id: '15-01', path: null, hasSummary: true, hasCheckpoints: false, complete: true },
      { id: '15-02', path: null, hasSummary: true, hasCheckpoints: false, complete: true },
    ]);
    expect(state.phases.find((p) => p.id === '9')?.milestone).toBe('v1.1');
    expect(state.warnings).toEqual([
      'ROADMAP.md progress table: the row for phase 14 has its columns shifted',
      'ROADMAP.md progress table: the row for phase 15 has its columns shifted',
      'STATE.md frontmatter progress is inconsistent (completed_plans 28 > total_plans 27); ignored',
    ]);
  });
});
