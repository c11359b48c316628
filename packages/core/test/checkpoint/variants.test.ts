import { describe, expect, it } from 'vitest';
import { detectCheckpoint } from '../../src/index.js';
import { excerpt, readTranscript } from './helpers/transcript.js';
import {
  asMarkdown,
  essence,
  inClaudeCode,
  inTitleCase,
  toAscii,
  withAsciiArrow,
  withCrlf,
  withExtraBlankLines,
  withoutBox,
  wrapAt,
} from './helpers/variants.js';

const boxes = readTranscript('04');
const SCREENS: Record<string, string> = {
  'human-verify box': excerpt(boxes, '```', '```', '**For checkpoint:human-verify:**'),
  'decision box': excerpt(boxes, '```', '```', '**For checkpoint:decision:**'),
  'human-action box': excerpt(boxes, '```', '```', '**For checkpoint:human-action:**'),
  'verify-work box': excerpt(readTranscript('05'), '---- rendered', '---- end'),
};
const EXPECTED_TYPE: Record<string, string> = {
  'human-verify box': 'human-verify',
  'decision box': 'decision',
  'human-action box': 'human-action',
  'verify-work box': 'verify-work',
};

const VARIANTS: Record<string, (screen: string) => string> = {
  'ASCII box and ">" arrow': toAscii,
  '"->" arrow': withAsciiArrow,
  'no box': withoutBox,
  'title case without a box': inTitleCase,
  markdown: asMarkdown,
  CRLF: withCrlf,
  'extra blank lines': withExtraBlankLines,
  'Claude Code input box below (rounded)': (screen) => inClaudeCode(screen),
  'Claude Code input box below (rules)': (screen) => inClaudeCode(screen, { box: 'rules' }),
  'Claude Code input box with an answer being typed': (screen) => inClaudeCode(screen, { typed: 'appro' }),
  'ASCII box inside Claude Code': (screen) => inClaudeCode(toAscii(screen), { box: 'rules' }),
  'wrapped at 40 columns': (screen) => wrapAt(screen, 40),
};

describe.each(Object.keys(SCREENS))('%s', (name) => {
  const screen = SCREENS[name] as string;
  const base = essence(detectCheckpoint(screen));

  it('is detected as drawn by GSD', () => {
    expect(base?.type).toBe(EXPECTED_TYPE[name]);
  });

  // A variant that leaves this screen as it is (no arrow to replace) has nothing to show here.
  const variants = Object.keys(VARIANTS).filter((variant) => VARIANTS[variant]?.(screen) !== screen);

  it.each(variants)('reads the same details when drawn with %s', (variant) => {
    const redrawn = (VARIANTS[variant] as (screen: string) => string)(screen);
    expect(essence(detectCheckpoint(redrawn))).toEqual(base);
  });

  it('is not a stop while Claude Code is still working (spinner above the input box)', () => {
    expect(detectCheckpoint(inClaudeCode(screen, { busy: true }))).toBeNull();
  });

  it('is not a stop while the box is still being printed (every cut before the resume line)', () => {
    const lines = screen.split('\n');
    const resumeLine = lines.findIndex((line) => /YOUR ACTION|^Type /.test(line));
    expect(resumeLine).toBeGreaterThan(0);
    for (let cut = 1; cut <= resumeLine; cut++) {
      const partial = lines.slice(0, cut).join('\n');
      expect(detectCheckpoint(partial), partial).toBeNull();
      expect(detectCheckpoint(inClaudeCode(partial, { busy: true })), partial).toBeNull();
    }
    expect(essence(detectCheckpoint(lines.slice(0, resumeLine + 1).join('\n')))).toEqual(base);
  });

  it('is not a stop once the agent goes on below it', () => {
    for (const after of [
      '⚡ Auto-approved checkpoint',
      '⏺ Bash(npm run dev)',
      ' GSD ► EXECUTING WAVE 2',
      'approved',
    ]) {
      expect(detectCheckpoint(`${screen}\n\n${after}`), after).toBeNull();
    }
  });
});

describe('long lines wrapped by an 80-column terminal', () => {
  const long = [
    '╔═══════════════════════════════════════════════════════╗',
    '║  CHECKPOINT: Verification Required                    ║',
    '╚═══════════════════════════════════════════════════════╝',
    '',
    'Progress: 5/8 tasks complete',
    'Task: Responsive dashboard layout with collapsible sidebar, sticky header and dark mode',
    '',
    'Built: Responsive dashboard at /dashboard with a sidebar that collapses to icons on tablets',
    '',
    'How to verify:',
    '  1. Visit: http://localhost:3000/dashboard?layout=responsive&theme=dark&sidebar=collapsed',
    '  2. Desktop (>1024px): Sidebar visible, content fills remaining space, header stays pinned',
    '  3. Mobile (375px): Sidebar hidden, hamburger menu appears',
    '',
    '────────────────────────────────────────────────────────',
    '→ YOUR ACTION: Type "pushed" once `block_categories` shows 34 rows, `summit_admins` table exists, and `sops.category_tag` column exists',
    '────────────────────────────────────────────────────────',
  ].join('\n');

  it('rejoins words the terminal split and keeps the steps apart', () => {
    const wrapped = wrapAt(long, 80);
    expect(wrapped.split('\n').length).toBeGreaterThan(long.split('\n').length + 3);
    const details = detectCheckpoint(wrapped);
    expect(essence(details)).toEqual(essence(detectCheckpoint(long)));
    expect(details?.verifySteps).toHaveLength(3);
    expect(details?.verifySteps[0]).toBe(
      'Visit: http://localhost:3000/dashboard?layout=responsive&theme=dark&sidebar=collapsed',
    );
    expect(details?.task).toBe(
      'Responsive dashboard layout with collapsible sidebar, sticky header and dark mode',
    );
    expect(details?.resumeKeywords).toEqual(['pushed']);
  });

  it('also below a message marker, with an input box as wide as the terminal', () => {
    const wrapped = wrapAt(inClaudeCode(long, { width: 80 }), 80);
    expect(wrapped).toContain('\nar=collapsed');
    expect(essence(detectCheckpoint(wrapped))).toEqual(essence(detectCheckpoint(long)));
  });
});

describe('v1.0 double-rule block being printed', () => {
  const block = excerpt(
    readTranscript('07'),
    '[Create checkpoint dynamically]',
    '[Wait for user response]',
  ).trim();

  it('is not a stop at any cut before its resume line, and is one from there on', () => {
    const lines = block.split('\n');
    const resumeLine = lines.findIndex((line) => line.startsWith('Type "done"'));
    for (let cut = 1; cut <= lines.length; cut++) {
      const details = detectCheckpoint(lines.slice(0, cut).join('\n'));
      if (cut <= resumeLine) expect(details, String(cut)).toBeNull();
      else expect(details?.type, String(cut)).toBe('human-action');
    }
  });
});
