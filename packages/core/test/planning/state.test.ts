import { describe, expect, it } from 'vitest';
import { parsePlanReference, parseState } from '../../src/planning/state.js';

const CURRENT = `# Project State

## Project Reference

**Core value:** Something.
**Current focus:** Phase 5 - Agents

## Current Position

Phase: 6 of 7 (Verification and Git Staging)
Plan: 1 of 1 in current phase (06-01 completed)
Status: Complete
Last activity: 2026-02-23 -- Completed 06-01-PLAN.md

Progress: [#########.] 86%
`;

describe('parseState', () => {
  it('reads the Current Position fields and the phase Current focus names', () => {
    const state = parseState(CURRENT);
    expect(state.body).toEqual({
      phase: '6',
      phaseText: '6 of 7 (Verification and Git Staging)',
      plan: { kind: 'id', planId: '06-01' },
      planText: '1 of 1 in current phase (06-01 completed)',
      status: 'Complete',
      focusPhase: '5',
    });
    expect(state.frontmatter).toBeNull();
    expect(state.betweenMilestones).toBe(false);
    expect(state.warnings).toEqual([]);
  });

  it('keeps the frontmatter apart from the body, which it may contradict', () => {
    const state = parseState(`---
gsd_state_version: 1.0
milestone: v1.0
milestone_name: Versioning System
status: executing
current_phase: 14-toolchain
current_plan: 2
progress:
  total_plans: 27
  completed_plans: 28
---

# Project State

## Current Position

Phase: 15 of 17 (Version Infrastructure)
Plan: 2 of 2 (15-02 complete)
Status: Phase 15 complete
`);
    expect(state.frontmatter).toEqual({
      milestone: 'v1.0',
      status: 'executing',
      phase: '14',
      plan: { kind: 'ordinal', number: 2 },
      completedPlans: 28,
      totalPlans: 27,
    });
    expect(state.body).toMatchObject({
      phase: '15',
      plan: { kind: 'id', planId: '15-02' },
      status: 'Phase 15 complete',
    });
  });

  it('reads the v1.0 template, whose Project Alignment section also has a Status line', () => {
    const state = parseState(`# Project State

## Project Summary
[IMMUTABLE - Copy verbatim from PROJECT.md on creation. Never edit this section.]

**Building:** A planning UI

## Project Alignment

Status: ✓ Aligned

## Current Position

Phase: 5 of 5 (Integration & Polish)
Plan: 05-01-PLAN.md (Enhanced UX)
Status: ✅ Complete

Progress: ██████████ 100%
`);
    expect(state.body).toMatchObject({
      phase: '5',
      plan: { kind: 'id', planId: '05-01' },
      status: '✅ Complete',
    });
  });

  it('reads CRLF files and knows when no phase is active between milestones', () => {
    const state = parseState(
      '# Project State\r\n\r\n## Current Position\r\n\r\nPhase: No active phase — between milestones\r\nPlan: N/A\r\nStatus: v5 milestone archived — ready for /gsd:new-milestone\r\n',
    );
    expect(state.body).toMatchObject({ phase: null, plan: { kind: 'none' } });
    expect(state.betweenMilestones).toBe(true);
  });

  it('reads bold field spellings', () => {
    const state = parseState(
      '## Current Position\n\n**Phase:** 2.1 of 8\n**Plan**: 3 of 4\n**Status:** Ready to execute\n',
    );
    expect(state.body).toMatchObject({
      phase: '2.1',
      plan: { kind: 'ordinal', number: 3 },
      status: 'Ready to execute',
    });
  });

  it('warns about empty and malformed files instead of throwing', () => {
    expect(parseState('').warnings).toEqual(['is empty']);
    expect(parseState('just some notes').warnings).toEqual(['has no "## Current Position" section']);
    expect(parseState('---\nmilestone: v1\n').warnings).toContain(
      'frontmatter is not closed by `---`; read as text',
    );
    expect(parseState('\u0000\u0007\uFFFD').body.phase).toBeNull();
  });
});

describe('parsePlanReference', () => {
  it('reads every way STATE.md names the plan', () => {
    expect(parsePlanReference('2 of 3 in current phase')).toEqual({ kind: 'ordinal', number: 2 });
    expect(parsePlanReference('01 of 01 in current phase')).toEqual({ kind: 'ordinal', number: 1 });
    expect(parsePlanReference('05-01-PLAN.md (Enhanced UX)')).toEqual({ kind: 'id', planId: '05-01' });
    expect(parsePlanReference('2 of 2 (2.1-02 complete)')).toEqual({ kind: 'id', planId: '02.1-02' });
    expect(parsePlanReference('All complete')).toEqual({ kind: 'all-complete' });
    for (const none of ['Not yet planned', 'N/A', 'TBD', '-', 'None']) {
      expect(parsePlanReference(none), none).toEqual({ kind: 'none' });
    }
  });
});
