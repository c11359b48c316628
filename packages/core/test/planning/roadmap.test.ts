import { describe, expect, it } from 'vitest';
import { milestoneIndex, parseRoadmap } from '../../src/planning/roadmap.js';

const NEW_STYLE = `# Roadmap: Acme

## Milestones

- ✅ **v1.0 MVP** — Phases 1-2 (shipped 2026-01-10)
- 🚧 **v1.1 Polish** — Phases 3-4 (in progress)

## Phases

<details>
<summary>✅ v1.0 MVP (Phases 1-2) — SHIPPED 2026-01-10</summary>

- [x] Phase 1: Foundation (3/3 plans) — completed 2026-01-05
- [x] Phase 2: Core Display (1/1 plan) — completed 2026-01-09

</details>

### 🚧 v1.1 Polish (In Progress)

- [x] **Phase 3: Cleanup** - Remove old tooling (completed 2026-02-01)
- [ ] **Phase 3.1: Hotfix** (INSERTED) - Urgent fix
- [ ] **Phase 4: Onboarding UI** - Admin onboarding

## Phase Details

### Phase 3: Cleanup
**Goal:** Remove it
**Plans:** 2 plans

Plans:
- [x] 03-01-PLAN.md — Remove local tooling
- [ ] 03-02-PLAN.md — Remove CI job

### Phase 3.1: Hotfix (INSERTED)
**Plans**: TBD

Plans:
- [ ] 03.1-01: TBD

### Phase 4: Onboarding UI
**Plans**: TBD

Plans:
- [ ] 04-01: TBD during planning
- [ ] 04-02: TBD

## Progress

| Phase | Milestone | Plans Complete | Status | Completed |
|-------|-----------|----------------|--------|-----------|
| 1. Foundation | v1.0 | 3/3 | Complete | 2026-01-05 |
| 2. Core Display | v1.0 | 1/1 | Complete | 2026-01-09 |
| 3. Cleanup | 2/2 | Complete    | 2026-02-01 | - |
| 3.1. Hotfix | v1.1 | 0/? | Not started | - |
| 4. Onboarding UI | v1.1 | 0/TBD | Not started | - |
`;

describe('parseRoadmap', () => {
  it('reads the title, and the phases of checklists in order with their boxes', () => {
    const roadmap = parseRoadmap(NEW_STYLE);
    expect(roadmap.title).toBe('Acme');
    expect(roadmap.phases.map((p) => [p.id, p.name, p.checked])).toEqual([
      ['1', 'Foundation', true],
      ['2', 'Core Display', true],
      ['3', 'Cleanup', true],
      ['3.1', 'Hotfix', false],
      ['4', 'Onboarding UI', false],
    ]);
    expect(roadmap.warnings).toEqual([]);
  });

  it('files phases of a <details> block under its shipped milestone, and the rest under the 🚧 heading', () => {
    const roadmap = parseRoadmap(NEW_STYLE);
    const byId = Object.fromEntries(roadmap.phases.map((p) => [p.id, p]));
    expect(byId['1']).toMatchObject({ milestone: 'v1.0', shipped: true, collapsed: true, declaredTotal: 3 });
    expect(byId['2']).toMatchObject({
      milestone: 'v1.0',
      shipped: true,
      declaredTotal: 1,
      declaredComplete: 1,
    });
    expect(byId['3']).toMatchObject({
      milestone: 'v1.1',
      shipped: false,
      collapsed: false,
      declaredTotal: 2,
    });
    expect(byId['4']).toMatchObject({ milestone: 'v1.1', declaredTotal: null });
    const milestones = milestoneIndex(roadmap);
    expect(milestones.get('v1.0')).toMatchObject({ status: 'shipped', phases: ['1', '2'] });
    expect(milestones.get('v1.1')).toMatchObject({ name: 'Polish', status: 'active', phases: ['3', '4'] });
  });

  it('reads plan lines with their boxes and leaves TBD placeholders out', () => {
    const roadmap = parseRoadmap(NEW_STYLE);
    expect(roadmap.plans).toEqual([
      { planId: '03-01', phaseKey: '03', checked: true, namesFile: true },
      { planId: '03-02', phaseKey: '03', checked: false, namesFile: true },
    ]);
  });

  it('reads the progress table by content, flagging a row whose columns are shifted', () => {
    const rows = parseRoadmap(NEW_STYLE).progress;
    expect(rows.map((r) => [r.key, r.complete, r.total, r.status, r.shifted])).toEqual([
      ['01', 3, 3, 'Complete', false],
      ['02', 1, 1, 'Complete', false],
      ['03', 2, 2, 'Complete', true],
      ['03.1', 0, null, 'Not started', false],
      ['04', 0, null, 'Not started', false],
    ]);
  });

  it('reads CRLF files like LF files', () => {
    const lf = parseRoadmap(NEW_STYLE);
    const crlf = parseRoadmap(NEW_STYLE.replace(/\n/g, '\r\n'));
    expect(crlf).toEqual(lf);
  });

  it('reads the v1.0 format: bare plan counts, `✓` markers, colon plan lines, no milestones', () => {
    const roadmap = parseRoadmap(`# Roadmap: Old

## Domain Expertise

None

## Phases

- [x] **Phase 1: UI Foundation** - Set up ✓
- [ ] **Phase 2: Requirements** - Build

## Phase Details

### Phase 1: UI Foundation
**Goal**: Extend
**Research**: Unlikely (extending existing server)
**Plans**: 1

Plans:
- [x] 01-01-PLAN.md: Set up planning workflow UI framework (4 tasks) ✓

### Phase 2: Requirements
**Plans**: 2

Plans:
- [ ] 02-01: Requirements form
- [ ] 02-02: Claude API PRD generation (3 tasks, 1 checkpoint)

## Progress

| Phase | Plans Complete | Status | Completed |
|-------|----------------|--------|-----------|
| 1. UI Foundation | 1/1 | ✓ Complete | 2025-12-28 |
| 2. Requirements | 0/2 | Not started | - |
`);
    expect(roadmap.phases.map((p) => [p.id, p.name, p.checked, p.declaredTotal, p.milestone])).toEqual([
      ['1', 'UI Foundation', true, 1, null],
      ['2', 'Requirements', false, 2, null],
    ]);
    expect(roadmap.plans.map((p) => [p.planId, p.checked, p.namesFile])).toEqual([
      ['01-01', true, true],
      ['02-01', false, false],
      ['02-02', false, false],
    ]);
    expect(roadmap.progress[0]?.status).toBe('✓ Complete');
  });

  it('reads lettered and three-digit phases, `(completed …)` before the description, `1/1 plans complete`', () => {
    const roadmap = parseRoadmap(`# Roadmap: Three

## Milestones

- ✅ **v19.4 Acceleration II** - Phases 206-214 (shipped 2026-04-06)

## Phases

- [x] **Phase 209: TDD Gate Hardening** (completed 2026-04-06) - Implement gates
- [x] **Phase 12A: Lettered** - A lettered phase

### Phase 209: TDD Gate Hardening
**Plans**: 1/1 plans complete
`);
    expect(roadmap.phases.map((p) => [p.id, p.key, p.name, p.milestone])).toEqual([
      ['209', '209', 'TDD Gate Hardening', 'v19.4'],
      ['12A', '12A', 'Lettered', null],
    ]);
    expect(roadmap.phases[0]).toMatchObject({ declaredTotal: 1, declaredComplete: 1, collapsed: false });
  });

  it('leaves struck-out (dropped) phases out and takes names from details headings', () => {
    const roadmap = parseRoadmap(`# Milestone v5: Cache

## Phase Details

### Phase 31: History System
**Plans**: 5 plans, 3 waves — COMPLETE

### ~~Phase 32: Rollback~~ — DROPPED

- [ ] ~~**Phase 32: Rollback**~~
`);
    expect(roadmap.phases.map((p) => [p.id, p.name, p.checked, p.declaredTotal])).toEqual([
      ['31', 'History System', null, 5],
    ]);
    expect(roadmap.title).toBeNull();
  });

  it('warns, without throwing, about a roadmap that lists no phases', () => {
    expect(parseRoadmap('').warnings).toEqual(['lists no phases']);
    expect(parseRoadmap('\u0000\u0001garbage | | |\n- [x]\n### Phase\n<details>').phases).toEqual([]);
  });
});
