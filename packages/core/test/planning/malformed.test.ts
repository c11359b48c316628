// Damaged input must give warnings, never an exception: truncated files, garbage, empty files.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readPlanningDirectory } from '../../src/planning/read-directory.js';
import { parsePlanningState } from '../../src/planning/read-state.js';
import type { PlanningState } from '../../src/planning/types.js';

const CORPUS = new URL('../../../../../shared/gsd/corpus/', import.meta.url);
const PROJECTS = [
  'toto-castaldi+docora',
  'kabomekgwe+building-agents',
  'gonz0w+bgsd-oc',
  'mamluka+get-shit-done',
];
const ROUNDS = 40;

/** A small seeded generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function garbage(next: () => number, length: number): string {
  const pieces = [
    '---',
    '\n',
    '\r\n',
    '- [x] ',
    '**Phase ',
    '1.',
    '|',
    '<details>',
    '</summary>',
    '✅',
    '\u0000',
    'Plan: ',
    ':',
    ' ',
  ];
  let text = '';
  while (text.length < length) {
    text +=
      next() < 0.5
        ? (pieces[Math.floor(next() * pieces.length)] ?? '')
        : String.fromCharCode(Math.floor(next() * 0x3000));
  }
  return text;
}

/** Damages a few files of a project: cuts one short, empties one, fills one with garbage. */
function damage(files: ReadonlyMap<string, string>, seed: number): Map<string, string> {
  const next = random(seed);
  const damaged = new Map(files);
  const paths = [...files.keys()];
  const important = paths.filter((p) => /^(ROADMAP|STATE|PROJECT)\.md$|PLAN\.md$|-ROADMAP\.md$/.test(p));
  for (let i = 0; i < 3; i++) {
    const pool = next() < 0.7 && important.length > 0 ? important : paths;
    const path = pool[Math.floor(next() * pool.length)] ?? '';
    const text = damaged.get(path) ?? '';
    const kind = Math.floor(next() * 4);
    if (kind === 0) damaged.set(path, text.slice(0, Math.floor(next() * text.length)));
    else if (kind === 1) damaged.set(path, '');
    else if (kind === 2) damaged.set(path, garbage(next, 50 + Math.floor(next() * 2000)));
    else damaged.delete(path);
  }
  return damaged;
}

function expectWellFormed(state: PlanningState): void {
  expect(Array.isArray(state.phases)).toBe(true);
  for (const phase of state.phases) {
    expect(['not_started', 'planned', 'in_progress', 'complete']).toContain(phase.status);
    expect(phase.plansComplete).toBeLessThanOrEqual(phase.plansTotal);
    expect(phase.plansComplete).toBeGreaterThanOrEqual(0);
  }
  expect(state.warnings.every((w) => typeof w === 'string')).toBe(true);
}

describe('malformed planning files', () => {
  for (const project of PROJECTS) {
    it(`${project}: ${ROUNDS} damaged copies parse with warnings, never an exception`, () => {
      const { files } = readPlanningDirectory(
        fileURLToPath(new URL(`${encodeURIComponent(project)}/`, CORPUS)),
      );
      expect(files.size).toBeGreaterThan(0);
      for (let seed = 1; seed <= ROUNDS; seed++) {
        const damaged = damage(files, seed);
        let state: PlanningState | undefined;
        expect(() => (state = parsePlanningState(damaged)), `seed ${seed}`).not.toThrow();
        expectWellFormed(state as PlanningState);
      }
    });
  }

  it('reads pure garbage in every file as an empty project with warnings', () => {
    const next = random(7);
    const files = new Map(
      ['ROADMAP.md', 'STATE.md', 'PROJECT.md', 'config.json', 'phases/01-x/01-01-PLAN.md'].map((path) => [
        path,
        garbage(next, 3000),
      ]),
    );
    const state = parsePlanningState(files);
    expectWellFormed(state);
    expect(state.warnings.length).toBeGreaterThan(0);
  });

  it('reads a STATE.md cut off inside its frontmatter', () => {
    const state = parsePlanningState({ 'STATE.md': '---\ngsd_state_version: 1.0\nmilestone: v1.' });
    expect(state.warnings).toContain('STATE.md frontmatter is not closed by `---`; read as text');
  });
});
