import { describe, expect, it } from 'vitest';
import { readOption, splitList } from '../../src/checkpoint/options.js';

describe('readOption', () => {
  it('v1.5.9+: `id - description`', () => {
    expect(readOption('supabase - Built-in with our DB, free tier', 1)).toEqual({
      id: 'supabase',
      name: 'supabase',
      description: 'Built-in with our DB, free tier',
      pros: [],
      cons: [],
    });
  });

  it('v1.0: `id: name`', () => {
    expect(readOption('postgres: PostgreSQL on Supabase', 1)).toMatchObject({
      id: 'postgres',
      name: 'PostgreSQL on Supabase',
      description: null,
    });
  });

  it('pros and cons on the option line', () => {
    expect(readOption('option-a: Supabase - Pros: free tier, RLS Cons: lock-in', null)).toEqual({
      id: 'option-a',
      name: 'Supabase',
      description: null,
      pros: ['free tier', 'RLS'],
      cons: ['lock-in'],
    });
  });

  it('plain text: the item number is the id', () => {
    expect(readOption('Use existing pattern', 1)).toMatchObject({ id: '1', name: 'Use existing pattern' });
    expect(readOption('Yes', 2, true)).toMatchObject({ id: '2', name: 'Yes' });
  });
});

describe('splitList', () => {
  it('splits on commas and semicolons, not inside brackets or numbers', () => {
    expect(splitList('Free, no vendor lock-in; widely adopted.')).toEqual([
      'Free',
      'no vendor lock-in',
      'widely adopted',
    ]);
    expect(splitList('Fast (no GC, no JIT), small')).toEqual(['Fast (no GC, no JIT)', 'small']);
    expect(splitList('Free up to 1,000 users')).toEqual(['Free up to 1,000 users']);
  });
});
