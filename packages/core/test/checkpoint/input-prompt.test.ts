import { describe, expect, it } from 'vitest';
import { detectCheckpoint } from '../../src/index.js';
import { inClaudeCode } from './helpers/variants.js';

describe('generic prompts for input', () => {
  it('a y/n prompt', () => {
    expect(detectCheckpoint('Migrations pending: 2\nContinue? [y/N]')).toMatchObject({
      type: 'input',
      title: 'Continue? [y/N]',
      resumeInstruction: 'Continue? [y/N]',
      resumeKeywords: ['y', 'n'],
    });
    expect(detectCheckpoint('Overwrite existing files? (yes/no):')?.resumeKeywords).toEqual(['yes', 'no']);
  });

  it('an answered y/n prompt, or one followed by more output, is not waiting', () => {
    expect(detectCheckpoint('Continue? [y/N] y')).toBeNull();
    expect(detectCheckpoint('Continue? [y/N]\nApplying migrations...')).toBeNull();
  });

  it('a numbered choice with its list and question', () => {
    const details = detectCheckpoint(
      'Which template?\n  1. Next.js app\n  2. Vite + React\n  3. Astro\nEnter a number (1-3):',
    );
    expect(details).toMatchObject({
      type: 'input',
      decision: 'Which template?',
      resumeKeywords: ['1', '2', '3'],
    });
    expect(details?.options.map((option) => [option.id, option.name])).toEqual([
      ['1', 'Next.js app'],
      ['2', 'Vite + React'],
      ['3', 'Astro'],
    ]);
  });

  it('press Enter to continue', () => {
    expect(detectCheckpoint('Setup complete.\nPress Enter to continue...')).toMatchObject({
      type: 'input',
      resumeKeywords: [],
    });
  });

  it("Claude Code's selection menu (AskUserQuestion)", () => {
    const menu = [
      '☐ Auth provider',
      '',
      'Which auth provider should we use?',
      '',
      '❯ 1. Supabase',
      '     Built-in with our DB, free tier',
      '  2. Clerk',
      '     Best DX, paid after 10k users',
      '  3. Type something.',
      '',
      'Enter to select · ↑/↓ to navigate · Esc to cancel',
    ].join('\n');
    const details = detectCheckpoint(menu);
    expect(details).toMatchObject({
      type: 'input',
      title: 'Which auth provider should we use?',
      resumeKeywords: ['1', '2', '3'],
    });
    expect(details?.options[0]).toMatchObject({
      id: '1',
      name: 'Supabase',
      description: 'Built-in with our DB, free tier',
    });
  });

  it("Claude Code's permission prompt", () => {
    const prompt = [
      '╭──────────────────────────────────────────────────╮',
      '│ Bash command                                     │',
      '│                                                  │',
      '│   rm -rf dist                                    │',
      '│                                                  │',
      '│ Do you want to proceed?                          │',
      '│ ❯ 1. Yes                                         │',
      '│   2. No, and tell Claude what to do differently  │',
      '╰──────────────────────────────────────────────────╯',
      '  Enter to confirm · Esc to cancel',
    ].join('\n');
    expect(detectCheckpoint(prompt)).toMatchObject({
      type: 'input',
      title: 'Do you want to proceed?',
      resumeKeywords: ['1', '2'],
    });
  });

  it('Claude Code idle after a turn that ends with a question', () => {
    const screen = inClaudeCode(
      'The migration adds two columns.\n\nShould I run it against the staging database now?',
    );
    expect(detectCheckpoint(screen)).toMatchObject({
      type: 'input',
      title: 'Should I run it against the staging database now?',
      resumeKeywords: [],
    });
  });

  it('Claude Code idle after a question with numbered choices', () => {
    const screen = inClaudeCode('Which should I do first?\n\n1. Fix the failing test\n2. Update the docs');
    const details = detectCheckpoint(screen);
    expect(details).toMatchObject({
      type: 'input',
      title: 'Which should I do first?',
      resumeKeywords: ['1', '2'],
    });
  });

  it('the same question while Claude Code is still working is not a stop', () => {
    const screen = inClaudeCode('Should I run it against the staging database now?', { busy: true });
    expect(detectCheckpoint(screen)).toBeNull();
  });
});
