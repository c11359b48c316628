import { describe, expect, it } from 'vitest';
import { planHasCheckpoints, scanPhaseDirectories } from '../../src/planning/disk.js';

describe('scanPhaseDirectories', () => {
  it('pairs PLAN and SUMMARY files by plan id, in phases/ and milestones/*-phases/', () => {
    const directories = scanPhaseDirectories(
      new Map([
        ['phases/02.1-profile-ui/02.1-01-PLAN.md', '---\nphase: 02.1\n---\n'],
        ['phases/02.1-profile-ui/02.1-01-SUMMARY.md', ''],
        ['phases/02.1-profile-ui/02.1-02-PLAN.md', '<task type="checkpoint:human-verify" gate="blocking">'],
        ['phases/02.1-profile-ui/02.1-CONTEXT.md', ''],
        ['phases/02.1-profile-ui/.continue-here.md', ''],
        ['milestones/v1.1-phases/15-version/15-01-SUMMARY.md', ''],
        ['milestones/v1.1-phases/15-version/15-02-SUMMARY.md', ''],
        ['phases/0114-legacy/0114-01-PLAN.md', ''],
        ['codebase/STACK.md', ''],
        ['phases/02.1-profile-ui/notes/02.1-09-PLAN.md', ''],
      ]),
    );
    expect(directories).toEqual([
      {
        path: 'milestones/v1.1-phases/15-version',
        key: '15',
        slug: 'version',
        milestone: 'v1.1',
        plans: [
          {
            planId: '15-01',
            phaseKey: '15',
            planPath: null,
            summaryPath: 'milestones/v1.1-phases/15-version/15-01-SUMMARY.md',
            hasCheckpoints: false,
          },
          {
            planId: '15-02',
            phaseKey: '15',
            planPath: null,
            summaryPath: 'milestones/v1.1-phases/15-version/15-02-SUMMARY.md',
            hasCheckpoints: false,
          },
        ],
      },
      {
        path: 'phases/0114-legacy',
        key: '114',
        slug: 'legacy',
        milestone: null,
        plans: [
          {
            planId: '114-01',
            phaseKey: '114',
            planPath: 'phases/0114-legacy/0114-01-PLAN.md',
            summaryPath: null,
            hasCheckpoints: false,
          },
        ],
      },
      {
        path: 'phases/02.1-profile-ui',
        key: '02.1',
        slug: 'profile-ui',
        milestone: null,
        plans: [
          {
            planId: '02.1-01',
            phaseKey: '02.1',
            planPath: 'phases/02.1-profile-ui/02.1-01-PLAN.md',
            summaryPath: 'phases/02.1-profile-ui/02.1-01-SUMMARY.md',
            hasCheckpoints: false,
          },
          {
            planId: '02.1-02',
            phaseKey: '02.1',
            planPath: 'phases/02.1-profile-ui/02.1-02-PLAN.md',
            summaryPath: null,
            hasCheckpoints: true,
          },
        ],
      },
    ]);
  });

  it('files plans under the phase their names say, not the directory prefix', () => {
    const [directory] = scanPhaseDirectories(new Map([['phases/08-renumbered/09-01-PLAN.md', '']]));
    expect(directory).toMatchObject({ key: '08', plans: [{ planId: '09-01', phaseKey: '09' }] });
  });
});

describe('planHasCheckpoints', () => {
  it('sees checkpoint tasks of every version and `autonomous: false`', () => {
    expect(planHasCheckpoints('<task type="checkpoint:decision" gate="blocking">')).toBe(true);
    expect(planHasCheckpoints("<task type='checkpoint'>")).toBe(true);
    expect(planHasCheckpoints('---\nphase: 01\nautonomous: false\n---\n<task type="auto">')).toBe(true);
    expect(planHasCheckpoints('---\r\nautonomous: false\r\n---\r\n')).toBe(true);
  });

  it('does not count autonomous plans or the word in prose', () => {
    expect(planHasCheckpoints('---\nautonomous: true\n---\n<task type="auto">')).toBe(false);
    expect(planHasCheckpoints('This plan has no checkpoint tasks.\nautonomous: false')).toBe(false);
    expect(planHasCheckpoints('---\nautonomous: false\n')).toBe(false);
  });
});
