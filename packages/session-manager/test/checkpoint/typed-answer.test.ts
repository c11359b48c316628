import { describe, expect, it } from 'vitest';
import { typeKeys } from '../../src/checkpoint/typed-answer.js';

describe('typeKeys', () => {
  it('adds printable keys until Enter, which completes the line', () => {
    expect(typeKeys('', 'appro')).toEqual({ line: 'appro', complete: false });
    expect(typeKeys('appro', 'ved\rignored')).toEqual({ line: 'approved', complete: true });
    expect(typeKeys('yes', '\n')).toEqual({ line: 'yes', complete: true });
  });

  it('applies Backspace (DEL and BS) and Ctrl-U, and keeps whole characters', () => {
    expect(typeKeys('', 'apx\u007fproved')).toEqual({ line: 'approved', complete: false });
    expect(typeKeys('ab', '\b\b\bc')).toEqual({ line: 'c', complete: false });
    expect(typeKeys('wrong answer', '\u0015right')).toEqual({ line: 'right', complete: false });
    expect(typeKeys('ok 👍', '\u007f')).toEqual({ line: 'ok ', complete: false });
  });

  it('ignores arrows, bracketed-paste markers, Alt-keys and other control keys', () => {
    expect(typeKeys('', 'a\u001b[Db\u001bOAc\u001b[1;5Cd')).toEqual({ line: 'abcd', complete: false });
    expect(typeKeys('', '\u001b[200~pasted text\u001b[201~\r')).toEqual({
      line: 'pasted text',
      complete: true,
    });
    expect(typeKeys('', '\u001bbx\u0003\u0004y\tz')).toEqual({ line: 'xy\tz', complete: false });
    // An escape sequence cut at the end of one read is dropped, not shown.
    expect(typeKeys('a', '\u001b[')).toEqual({ line: 'a', complete: false });
  });
});
