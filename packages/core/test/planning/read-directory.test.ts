import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PLANNING_READ_LIMITS, readPlanningDirectory } from '../../src/planning/read-directory.js';
import { readPlanningState } from '../../src/planning/read-state.js';

describe('readPlanningDirectory', () => {
  let project: string;

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'gsd-planning-'));
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  const write = (path: string, text: string): void => {
    const full = join(project, '.planning', path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
  };

  it('reads the .md and .json files by `/`-separated path and nothing else', () => {
    write('STATE.md', 'state');
    write('config.json', '{}');
    write('phases/01-a/01-01-PLAN.md', 'plan');
    write('cache.db', 'binary');
    write('phases/01-a/notes.txt', 'text');
    const read = readPlanningDirectory(project);
    expect(read.found).toBe(true);
    expect([...read.files.keys()]).toEqual(['STATE.md', 'config.json', 'phases/01-a/01-01-PLAN.md']);
    expect(read.files.get('phases/01-a/01-01-PLAN.md')).toBe('plan');
    expect(read.warnings).toEqual([]);
  });

  it('says so when there is no .planning directory', () => {
    expect(readPlanningDirectory(project)).toEqual({ files: new Map(), warnings: [], found: false });
    writeFileSync(join(project, '.planning'), 'not a directory');
    expect(readPlanningDirectory(project).found).toBe(false);
    expect(readPlanningState(join(project, 'nope')).warnings).toEqual([
      `No .planning directory in ${join(project, 'nope')}`,
    ]);
  });

  it('skips files over the size limit and stops at the file and depth limits, naming each', () => {
    write('aa-big.md', 'x'.repeat(200));
    write('a.md', 'a');
    write('b.md', 'b');
    write('c.md', 'c');
    write('d1/d2/d3/deep.md', 'deep');
    const limits = { ...PLANNING_READ_LIMITS, maxFileBytes: 100, maxFiles: 2, maxDepth: 2 };
    const read = readPlanningDirectory(project, limits);
    expect([...read.files.keys()]).toEqual(['a.md', 'b.md']);
    expect(read.warnings).toEqual([
      'skipped aa-big.md: 200 bytes is over maxFileBytes (100)',
      'stopped reading at maxFiles (2); the state may be incomplete',
    ]);

    const deep = readPlanningDirectory(project, { ...PLANNING_READ_LIMITS, maxDepth: 2 });
    expect(deep.files.has('d1/d2/d3/deep.md')).toBe(false);
    expect(deep.warnings).toContain('skipped d1/d2/d3: deeper than maxDepth (2)');

    const total = readPlanningDirectory(project, { ...PLANNING_READ_LIMITS, maxTotalBytes: 202 });
    expect(total.warnings).toContain('stopped reading at maxTotalBytes (202); the state may be incomplete');
  });

  it('does not follow symbolic links (a link to a parent would loop)', () => {
    write('STATE.md', 'state');
    symlinkSync(join(project, '.planning'), join(project, '.planning', 'loop'));
    symlinkSync(join(project, '.planning', 'STATE.md'), join(project, '.planning', 'LINK.md'));
    expect([...readPlanningDirectory(project).files.keys()]).toEqual(['STATE.md']);
  });
});
