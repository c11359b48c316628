import { describe, expect, it } from 'vitest';
import {
  answersCheckpoint,
  typedAnswer,
  typeKeys,
  withoutTypedLine,
} from '../../src/checkpoint/typed-answer.js';

describe('typeKeys', () => {
  it('adds printable keys until Enter, which completes the line', () => {
    expect(typeKeys('', 'appro')).toEqual({ line: 'appro', complete: false, rest: '' });
    expect(typeKeys('appro', 'ved\rmore')).toEqual({ line: 'approved', complete: true, rest: 'more' });
    expect(typeKeys('yes', '\r\nnext')).toEqual({ line: 'yes', complete: true, rest: 'next' });
    expect(typeKeys('yes', '\n')).toMatchObject({ line: 'yes', complete: true });
  });

  it('applies Backspace (DEL and BS) and Ctrl-U, and keeps whole characters', () => {
    expect(typeKeys('', 'apx\u007fproved').line).toBe('approved');
    expect(typeKeys('ab', '\b\b\bc').line).toBe('c');
    expect(typeKeys('wrong answer', '\u0015right').line).toBe('right');
    expect(typeKeys('ok 👍', '\u007f').line).toBe('ok ');
  });

  it('ignores arrows, bracketed-paste markers, Alt-keys and other control keys', () => {
    expect(typeKeys('', 'a\u001b[Db\u001bOAc\u001b[1;5Cd').line).toBe('abcd');
    expect(typeKeys('', '\u001b[200~pasted text\u001b[201~\r')).toMatchObject({
      line: 'pasted text',
      complete: true,
    });
    expect(typeKeys('', '\u001bbx\u0003\u0004y\tz').line).toBe('xy\tz');
    // An escape sequence cut at the end of one read is dropped, not shown.
    expect(typeKeys('a', '\u001b[')).toMatchObject({ line: 'a', complete: false });
  });
});

describe('typedAnswer', () => {
  it('edits each line, keeps the breaks between lines and drops trailing ones', () => {
    expect(typedAnswer('apx\u007fproved\r')).toMatchObject({ line: 'approved', complete: true });
    expect(typedAnswer('\u001b[200~first\nsecond\u001b[201~\r\n')).toMatchObject({
      line: 'first\nsecond',
      complete: true,
    });
    expect(typedAnswer('y')).toMatchObject({ line: 'y', complete: false });
    expect(typedAnswer('\r')).toMatchObject({ line: '', complete: true });
  });
});

describe('answersCheckpoint', () => {
  it('is true for typed text or Enter, false for focus, mouse and arrow reports', () => {
    expect(answersCheckpoint('a')).toBe(true);
    expect(answersCheckpoint('\r')).toBe(true);
    expect(answersCheckpoint('\u001b[I')).toBe(false);
    expect(answersCheckpoint('\u001b[O')).toBe(false);
    expect(answersCheckpoint('\u001b[<0;10;5M')).toBe(false);
    expect(answersCheckpoint('\u001b[A\u001b[B')).toBe(false);
  });
});

describe('withoutTypedLine', () => {
  it('removes the echo of the line being typed from the end of the screen', () => {
    expect(withoutTypedLine('Question?\nappr\n\n', 'appr')).toBe('Question?');
    expect(withoutTypedLine('Question?\n> appr  ', 'appr')).toBe('Question?\n> ');
  });

  it('leaves a screen that does not end with it as it is', () => {
    expect(withoutTypedLine('Question?\n1\nworking on the next task\n', '1')).toBe(
      'Question?\n1\nworking on the next task\n',
    );
    expect(withoutTypedLine('Question?\n', '')).toBe('Question?\n');
  });
});
