import { describe, expect, it } from 'vitest';
import { parseFrontmatter } from '../../src/planning/frontmatter.js';

describe('parseFrontmatter', () => {
  it('reads scalars, nested maps and lists as gsd-tools writes them', () => {
    const { data, body, problems } = parseFrontmatter(
      [
        '---',
        'gsd_state_version: 1.0',
        'milestone: v1.0',
        'status: in-progress',
        'last_updated: "2026-02-26T08:09:10Z"',
        'plan: 01',
        'autonomous: false',
        'depends_on: ["01-01", 01-02]',
        'progress:',
        '  total_phases: 6',
        '  completed_plans: 28',
        'files_modified:',
        '  - "a.ts"',
        '  - b.ts',
        'must_haves:',
        '  artifacts:',
        '    - path: "x.js"',
        '      provides: "X"',
        'tags:',
        '- one',
        '---',
        '# Body',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(data).toEqual({
      gsd_state_version: 1,
      milestone: 'v1.0',
      status: 'in-progress',
      last_updated: '2026-02-26T08:09:10Z',
      plan: '01',
      autonomous: false,
      depends_on: ['01-01', '01-02'],
      progress: { total_phases: 6, completed_plans: 28 },
      files_modified: ['a.ts', 'b.ts'],
      must_haves: { artifacts: [{ path: 'x.js', provides: 'X' }] },
      tags: ['one'],
    });
    expect(body).toEqual(['# Body']);
  });

  it('returns no data for a file without frontmatter', () => {
    expect(parseFrontmatter('# Project State\n\nPhase: 1')).toEqual({
      data: null,
      body: ['# Project State', '', 'Phase: 1'],
      problems: [],
    });
  });

  it('reads a CRLF block', () => {
    expect(parseFrontmatter('---\r\nmilestone: v2\r\n---\r\nbody').data).toEqual({ milestone: 'v2' });
  });

  it('reports an unclosed block and lines it does not understand instead of throwing', () => {
    const unclosed = parseFrontmatter('---\nmilestone: v1\n# Title\nPhase: 3');
    expect(unclosed.data).toBeNull();
    expect(unclosed.body).toHaveLength(4);
    expect(unclosed.problems).toEqual(['frontmatter is not closed by `---`; read as text']);

    const odd = parseFrontmatter('---\nmilestone: v1\njust words\n    over-indented: 1\n---\n');
    expect(odd.data).toEqual({ milestone: 'v1' });
    expect(odd.problems).toEqual([
      'frontmatter line 3 is not `key: value`',
      'frontmatter line 4 is indented unexpectedly',
    ]);
  });
});
