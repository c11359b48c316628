import { describe, expect, it } from 'vitest';
import { readKeywords, readResumeInstruction } from '../../src/checkpoint/resume.js';

describe('readResumeInstruction', () => {
  it('takes the instruction after YOUR ACTION, whatever the arrow', () => {
    for (const arrow of ['→ ', '> ', '-> ', '']) {
      expect(readResumeInstruction(`${arrow}YOUR ACTION: Type "approved" or describe issues`)).toBe(
        'Type "approved" or describe issues',
      );
    }
  });

  it('accepts instructions that start with what to do, or quote the answer', () => {
    expect(readResumeInstruction('Type verified to approve the tracer and continue.')).not.toBeNull();
    expect(readResumeInstruction('Select: option-id')).toBe('Select: option-id');
    expect(readResumeInstruction('Check the page, then type "approved".')).not.toBeNull();
    expect(readResumeInstruction('"approved" → continue | Report issues → gap closure')).not.toBeNull();
  });

  it('rejects prose, placeholders and plan markup', () => {
    expect(readResumeInstruction('The dashboard has been built.')).toBeNull();
    expect(readResumeInstruction('[Resume signal instruction]')).toBeNull();
    expect(
      readResumeInstruction('<resume-signal>Type "approved" or describe issues</resume-signal>'),
    ).toBeNull();
  });
});

describe('readKeywords', () => {
  it('reads double, single and back quotes', () => {
    expect(readKeywords('Type "approved" or describe issues')).toEqual(['approved']);
    expect(readKeywords("Type 'done' when complete")).toEqual(['done']);
    expect(readKeywords("Type `pass` or describe what's wrong.")).toEqual(['pass']);
    expect(readKeywords('Type “approved” or describe issues')).toEqual(['approved']);
  });

  it('prefers quoted words to code spans in the same sentence', () => {
    expect(readKeywords('Type "pushed" once `block_categories` shows 34 rows')).toEqual(['pushed']);
  });

  it('leaves out a quoted phrase that starts a free-text answer', () => {
    expect(readKeywords('Type "approved" if all pass. Type "issue: <what failed>" otherwise')).toEqual([
      'approved',
    ]);
  });

  it('reads an unquoted word after Type, and lists of options', () => {
    expect(readKeywords('Type verified to approve the tracer and continue.')).toEqual(['verified']);
    expect(readKeywords('Type your answer below')).toEqual([]);
    expect(readKeywords('Select supabase, clerk, or nextauth')).toEqual(['supabase', 'clerk', 'nextauth']);
    expect(readKeywords('Select: postgres or sqlite')).toEqual(['postgres', 'sqlite']);
    expect(readKeywords('Choose the provider you prefer')).toEqual([]);
  });

  it('reads y/n and number ranges', () => {
    expect(readKeywords('Continue? [y/N]')).toEqual(['y', 'n']);
    expect(readKeywords('Pick one [1/2/3]:')).toEqual(['1', '2', '3']);
    expect(readKeywords('Enter a number (2-4):')).toEqual(['2', '3', '4']);
  });
});
