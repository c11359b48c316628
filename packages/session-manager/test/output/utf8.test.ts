import { describe, expect, it } from 'vitest';
import { incompleteUtf8Tail } from '../../src/output/utf8.js';
import { SessionManager } from '../../src/index.js';
import { makeTempDir } from '../helpers/temp.js';

describe('incompleteUtf8Tail', () => {
  const euro = Buffer.from('€'); // e2 82 ac
  const face = Buffer.from('😀'); // f0 9f 98 80

  it('finds the start of a character cut off at the end', () => {
    expect(incompleteUtf8Tail(Buffer.from('abc'))).toBe(0);
    expect(incompleteUtf8Tail(euro)).toBe(0);
    expect(incompleteUtf8Tail(euro.subarray(0, 1))).toBe(1);
    expect(incompleteUtf8Tail(euro.subarray(0, 2))).toBe(2);
    expect(incompleteUtf8Tail(Buffer.concat([Buffer.from('x'), face.subarray(0, 3)]))).toBe(3);
    expect(incompleteUtf8Tail(face)).toBe(0);
    expect(incompleteUtf8Tail(Buffer.alloc(0))).toBe(0);
  });

  it('does not hold back stray bytes that can never complete', () => {
    expect(incompleteUtf8Tail(Buffer.from([0x80, 0x80, 0x80]))).toBe(0);
    expect(incompleteUtf8Tail(Buffer.from([0x41, 0xff]))).toBe(0);
  });
});

describe('session:output data', () => {
  it('joins characters split across chunks and matches the bytes', async () => {
    const temp = makeTempDir();
    const manager = new SessionManager();
    try {
      const pieces: string[] = [];
      const bytes: Buffer[] = [];
      manager.on('session:output', (event) => {
        pieces.push(event.data);
        bytes.push(Buffer.from(event.bytes));
      });
      // Each printf is its own write, so the character arrives in separate chunks.
      const session = await manager.spawn(
        temp.dir,
        "printf '\\342'; sleep 0.05; printf '\\202'; sleep 0.05; printf '\\254 ok\\n'",
      );
      await manager.waitForEnd(session.id);
      expect(pieces.join('')).toBe('€ ok\n');
      expect(Buffer.concat(bytes)).toEqual(Buffer.from('€ ok\n'));
      expect(pieces.length).toBeGreaterThan(1);
    } finally {
      await manager.terminateAll();
      temp.remove();
    }
  });
});
