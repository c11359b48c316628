import { describe, expect, it } from 'vitest';
import { parsePlanningState } from '../../src/planning/read-state.js';

const STATE = (phase: string, plan: string, status: string): string =>
  `# Project State\n\n## Current Position\n\nPhase: ${phase}\nPlan: ${plan}\nStatus: ${status}\n`;

const ROADMAP = `# Roadmap: Widget

## Phases

- [x] **Phase 1: Foundation** - Base
- [ ] **Phase 2: Features** - Build
- [ ] **Phase 3: Polish** - Shine
- [ ] **Phase 999.1: Someday** - Backlog idea

## Phase Details

### Phase 2: Features
**Plans:** 3 plans

Plans:
- [ ] 02-01-PLAN.md — First
- [ ] 02-02-PLAN.md — Second
- [ ] 02-03-PLAN.md — Third

### Phase 3: Polish
**Plans**: TBD

Plans:
- [ ] 03-01: TBD
`;

const PROJECT = {
  'PROJECT.md': '# Widget Project\n',
  'ROADMAP.md': ROADMAP,
  'phases/01-foundation/01-01-PLAN.md': '',
  'phases/01-foundation/01-01-SUMMARY.md': '',
  'phases/02-features/02-01-PLAN.md': '---\nautonomous: true\n---\n',
  'phases/02-features/02-01-SUMMARY.md': '',
  'phases/02-features/02-02-PLAN.md': '<task type="checkpoint:human-verify">',
  'phases/02-features/02-03-PLAN.md': '',
  'phases/999.1-someday/999.1-01-PLAN.md': '',
};

describe('parsePlanningState', () => {
  it('counts plans from files and plan lists, leaving backlog phases and TBD placeholders out', () => {
    const state = parsePlanningState({
      ...PROJECT,
      'STATE.md': STATE('2 of 3 (Features)', '1 of 3 in current phase', 'In progress'),
    });
    expect(state.projectName).toBe('Widget');
    expect(state.phases.map((p) => [p.id, p.status, p.plansComplete, p.plansTotal])).toEqual([
      ['1', 'complete', 1, 1],
      ['2', 'in_progress', 1, 3],
      ['3', 'not_started', 0, 0],
    ]);
    expect(state.phases[1]?.plans).toEqual([
      {
        id: '02-01',
        path: '.planning/phases/02-features/02-01-PLAN.md',
        hasSummary: true,
        hasCheckpoints: false,
        complete: true,
      },
      {
        id: '02-02',
        path: '.planning/phases/02-features/02-02-PLAN.md',
        hasSummary: false,
        hasCheckpoints: true,
        complete: false,
      },
      {
        id: '02-03',
        path: '.planning/phases/02-features/02-03-PLAN.md',
        hasSummary: false,
        hasCheckpoints: false,
        complete: false,
      },
    ]);
    expect(state).toMatchObject({
      currentPhase: '2',
      currentPlan: '02-01',
      statusText: 'In progress',
      nextAction: '/gsd:execute-plan .planning/phases/02-features/02-02-PLAN.md',
    });
    expect(state.warnings).toEqual([]);
  });

  it('counts a planned phase being executed as in progress before its first SUMMARY', () => {
    const files: Record<string, string> = { ...PROJECT };
    delete files['phases/02-features/02-01-SUMMARY.md'];
    const executing = parsePlanningState({ ...files, 'STATE.md': STATE('2 of 3', '1 of 3', 'In progress') });
    expect(executing.phases[1]?.status).toBe('in_progress');
    const ready = parsePlanningState({ ...files, 'STATE.md': STATE('2 of 3', '1 of 3', 'Ready to execute') });
    expect(ready.phases[1]?.status).toBe('planned');
    expect(ready.nextAction).toBe('/gsd:execute-plan .planning/phases/02-features/02-01-PLAN.md');
  });

  it('plans the next phase once the current one is done', () => {
    const state = parsePlanningState({
      ...PROJECT,
      'phases/02-features/02-02-SUMMARY.md': '',
      'phases/02-features/02-03-SUMMARY.md': '',
      'STATE.md': STATE('2 of 3', '3 of 3', 'Phase complete'),
    });
    expect(state.phases[1]?.status).toBe('complete');
    expect(state.nextAction).toBe('/gsd:plan-phase 3');
    expect(state.conflicts).toContainEqual({
      field: 'phase 2 status',
      sources: { 'ROADMAP.md': 'not checked off', disk: 'every plan (3) has a SUMMARY' },
      chosen: 'disk',
      reason: expect.stringContaining('SUMMARY is written when a plan finishes'),
    });
  });

  it('sends a finished but unticked phase that STATE says awaits verification to verify-work', () => {
    const state = parsePlanningState({
      ...PROJECT,
      'phases/02-features/02-02-SUMMARY.md': '',
      'phases/02-features/02-03-SUMMARY.md': '',
      'STATE.md': STATE('2 of 3', '3 of 3', 'Phase complete — ready for verification'),
    });
    expect(state.nextAction).toBe('/gsd:verify-work 2');
  });

  it('completes the milestone when every phase is done, and starts a new one once it has shipped', () => {
    const done = `# Roadmap: Widget\n\n- [x] **Phase 1: A** - a\n- [x] **Phase 2: B** - b\n`;
    const files = { 'ROADMAP.md': done, 'STATE.md': STATE('2 of 2', '1 of 1', 'Complete') };
    expect(parsePlanningState(files).nextAction).toBe('/gsd:complete-milestone');
    const shipped = `# Roadmap: Widget\n\n## Milestones\n\n- ✅ **v1.0 MVP** — Phases 1-2 (shipped 2026-01-01)\n\n<details>\n<summary>✅ v1.0 MVP (Phases 1-2) — SHIPPED 2026-01-01</summary>\n\n- [x] Phase 1: A (1/1 plans) — completed 2026-01-01\n- [x] Phase 2: B (1/1 plans) — completed 2026-01-01\n\n</details>\n`;
    const state = parsePlanningState({ 'ROADMAP.md': shipped });
    expect(state).toMatchObject({ nextAction: '/gsd:new-milestone', currentMilestone: null });
    expect(state.phases.map((p) => [p.id, p.milestone, p.plansTotal, p.plansComplete])).toEqual([
      ['1', 'v1.0', 1, 1],
      ['2', 'v1.0', 1, 1],
    ]);
  });

  it('reads a project whose ROADMAP.md is gone between milestones from the archives and the disk', () => {
    const state = parsePlanningState({
      'PROJECT.md': '# Shop\n',
      'STATE.md': STATE('No active phase — between milestones', 'N/A', 'v2 milestone archived'),
      'milestones/v1-ROADMAP.md':
        '# Milestone v1: Start\n\n### Phase 1: Base\n**Plans:** 1 plan\n\n### Phase 1.1: Fix (INSERTED)\n',
      'milestones/v2-ROADMAP.md': '# Milestone v2: More\n\n- [x] **Phase 2: More** - x\n',
      'phases/01-base/01-01-PLAN.md': '',
      'phases/01-base/01-01-SUMMARY.md': '',
      'phases/02-more/02-01-PLAN.md': '',
      'phases/03-stray/03-01-PLAN.md': '',
      'phases/03-stray/03-01-SUMMARY.md': '',
    });
    expect(state.phases.map((p) => [p.id, p.name, p.status, p.milestone])).toEqual([
      ['1', 'Base', 'complete', 'v1'],
      ['1.1', 'Fix', 'complete', 'v1'],
      ['2', 'More', 'complete', 'v2'],
      ['3', 'stray', 'complete', null],
    ]);
    expect(state).toMatchObject({
      projectName: 'Shop',
      currentPhase: null,
      currentPlan: null,
      nextAction: '/gsd:new-milestone',
    });
    expect(state.warnings).toEqual([
      'No ROADMAP.md (complete-milestone removes it): phases read from milestones/*-ROADMAP.md and the phase directories',
      'Phase directories not in any milestone archive: 3',
    ]);
    expect(state.conflicts).toContainEqual(
      expect.objectContaining({ field: 'phase 2 plans complete', chosen: 'milestones/v2-ROADMAP.md' }),
    );
  });

  it('reads the phases from the disk alone, in phase order, when there is no roadmap at all', () => {
    const state = parsePlanningState({
      'phases/02.1-hotfix/02.1-01-PLAN.md': '',
      'phases/01-setup/01-01-PLAN.md': '',
      'phases/01-setup/01-01-SUMMARY.md': '',
    });
    expect(state.phases.map((p) => [p.id, p.name, p.status])).toEqual([
      ['1', 'setup', 'complete'],
      ['2.1', 'hotfix', 'planned'],
    ]);
    expect(state).toMatchObject({ currentPhase: '2.1', currentPlan: '02.1-01' });
    expect(state.nextAction).toBe('/gsd:execute-plan .planning/phases/02.1-hotfix/02.1-01-PLAN.md');
    expect(state.warnings).toContain('No ROADMAP.md: phases read from the phase directories');
    expect(state.warnings).toContain('No STATE.md: the position is taken from the first unfinished phase');
  });

  it('keeps summaries without plans as plans with no path', () => {
    const state = parsePlanningState({
      'ROADMAP.md': '# Roadmap: X\n\n- [x] **Phase 15: Version** - v\n',
      'phases/15-version/15-01-SUMMARY.md': '',
    });
    expect(state.phases[0]?.plans).toEqual([
      { id: '15-01', path: null, hasSummary: true, hasCheckpoints: false, complete: true },
    ]);
  });

  it('prefers the STATE body to its frontmatter, and ROADMAP to a frontmatter milestone it marks shipped', () => {
    const roadmap = `# Roadmap: X\n\n## Milestones\n\n- ✅ **v1.0 One** — Phases 1-1 (shipped 2026-01-01)\n- 🚧 **v1.1 Two** — Phases 2-3 (in progress)\n\n<details>\n<summary>✅ v1.0 One — SHIPPED</summary>\n\n- [x] Phase 1: A (1/1 plans)\n\n</details>\n\n### 🚧 v1.1 Two (In Progress)\n\n- [x] **Phase 2: B** - b\n- [ ] **Phase 3: C** - c\n`;
    const state = parsePlanningState({
      'ROADMAP.md': roadmap,
      'STATE.md': `---\nmilestone: v1.0\ncurrent_phase: 2\n---\n${STATE('3 of 3 (C)', 'Not yet planned', 'Ready to plan')}`,
    });
    expect(state).toMatchObject({
      currentPhase: '3',
      currentPlan: null,
      currentMilestone: 'v1.1',
      nextAction: '/gsd:plan-phase 3',
    });
    expect(state.conflicts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'current phase',
          sources: { 'STATE.md': '3', 'STATE.md frontmatter': '2' },
          chosen: 'STATE.md',
        }),
        expect.objectContaining({
          field: 'current milestone',
          sources: { 'STATE.md frontmatter': 'v1.0', 'ROADMAP.md': 'v1.1' },
          chosen: 'ROADMAP.md',
        }),
      ]),
    );

    const unshipped = parsePlanningState({
      'ROADMAP.md': roadmap,
      'STATE.md': `---\nmilestone: v1.2\n---\n${STATE('3 of 3', 'Not yet planned', 'Ready to plan')}`,
    });
    expect(unshipped.currentMilestone).toBe('v1.2');
    expect(unshipped.conflicts).toContainEqual(
      expect.objectContaining({ field: 'current milestone', chosen: 'STATE.md frontmatter' }),
    );
  });

  it('falls back to the frontmatter when the body lacks a field', () => {
    const state = parsePlanningState({
      'ROADMAP.md': ROADMAP,
      'phases/02-features/02-01-PLAN.md': '',
      'STATE.md':
        '---\ncurrent_phase: 2\ncurrent_plan: 1\nstatus: executing\nmilestone: v3.0\n---\n\n# Project State\n',
    });
    expect(state).toMatchObject({
      currentPhase: '2',
      currentPlan: '02-01',
      statusText: 'executing',
      currentMilestone: 'v3.0',
    });
    expect(state.warnings).toContain('STATE.md has no "## Current Position" section');
  });

  it('reads a CRLF project exactly like an LF one', () => {
    const files = { ...PROJECT, 'STATE.md': STATE('2 of 3', '1 of 3', 'In progress') };
    const crlf = Object.fromEntries(
      Object.entries(files).map(([path, text]) => [path, text.replace(/\n/g, '\r\n')]),
    );
    expect(parsePlanningState(crlf)).toEqual(parsePlanningState(files));
  });

  it('turns missing and malformed files into warnings', () => {
    expect(parsePlanningState({})).toMatchObject({
      phases: [],
      nextAction: '/gsd:new-project',
      projectName: null,
    });
    const state = parsePlanningState({
      'PROJECT.md': '',
      'ROADMAP.md': '\u0000\u0001 not a roadmap',
      'STATE.md': '',
      'config.json': '{ "mode": ',
    });
    expect(state.phases).toEqual([]);
    expect(state.nextAction).toBe('/gsd:create-roadmap');
    expect(state.warnings).toEqual([
      'ROADMAP.md lists no phases',
      'STATE.md is empty',
      expect.stringMatching(/^config\.json is not valid JSON/),
    ]);
  });

  it('names the project from MILESTONES.md or config.json when nothing else does', () => {
    expect(parsePlanningState({ 'MILESTONES.md': '# Project Milestones: Shop\n' }).projectName).toBe('Shop');
    expect(parsePlanningState({ 'config.json': '{"project":{"name":"Harness"}}' }).projectName).toBe(
      'Harness',
    );
  });

  it('passes on the warnings of the directory reader', () => {
    expect(parsePlanningState({}, ['skipped big.md']).warnings[0]).toBe('skipped big.md');
  });
});
