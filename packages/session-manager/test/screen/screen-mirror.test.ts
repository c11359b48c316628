import { afterEach, describe, expect, it } from 'vitest';
import {
  MIRROR_SCROLLBACK_LINES,
  rebuildScreen,
  ScreenMirror,
  type SerializedScreen,
} from '../../src/index.js';
import { MIRROR_BACKLOG_BYTES } from '../../src/screen/screen-mirror.js';
import { cellAt, numberedLine, render } from '../helpers/terminal.js';

const COLS = 40;
const ROWS = 10;

/** Coloured lines, enough to scroll, then cursor movement that overwrites part of the screen. */
const DRAWING = [
  ...Array.from({ length: 25 }, (_, i) => `\u001b[3${i % 8}m${numberedLine(i + 1)}\u001b[0m\r\n`),
  '\u001b[1;31mbold red\u001b[0m plain\r\n',
  '\u001b[3;5H\u001b[32mgreen in the middle\u001b[0m',
  '\u001b[8;1H\u001b[2Kcleared and rewritten',
  '\u001b[10;30Hcursor here',
].join('');

function bytes(text: string): Uint8Array {
  return Buffer.from(text);
}

describe('ScreenMirror.snapshot', () => {
  const mirrors: ScreenMirror[] = [];

  function mirror(cols = COLS, rows = ROWS, convertEol = false): ScreenMirror {
    const created = new ScreenMirror(cols, rows, { convertEol });
    mirrors.push(created);
    return created;
  }

  afterEach(() => {
    for (const created of mirrors.splice(0)) created.dispose();
  });

  it('reproduces the screen, its scrollback, colours and cursor, and counts the bytes written', async () => {
    const source = mirror();
    const written = bytes(DRAWING);
    // Several writes, as output arrives in chunks (some splitting escape sequences).
    for (let i = 0; i < written.length; i += 37) source.write(written.subarray(i, i + 37));

    const snapshot = (await source.snapshot()) as SerializedScreen;
    expect(snapshot).toMatchObject({ cols: COLS, rows: ROWS, offset: written.length });

    const expected = await render(written, COLS, ROWS);
    const rebuilt = await render(snapshot.data, snapshot.cols, snapshot.rows);
    expect(rebuilt.lines).toEqual(expected.lines);
    expect(rebuilt.cursor).toEqual(expected.cursor);
    // Written over the middle of a line that was already there.
    expect(expected.lines).toContain('linegreen in the middle');
    expect(expected.lines).toContain('cleared and rewritten');
    expect(expected.lines[0]).toBe(numberedLine(1));

    const redLine = expected.lines.indexOf('bold red plain');
    expect(await cellAt(snapshot.data, COLS, ROWS, redLine, 0)).toEqual(
      await cellAt(written, COLS, ROWS, redLine, 0),
    );
    expect(await cellAt(snapshot.data, COLS, ROWS, redLine, 0)).toMatchObject({
      char: 'b',
      fg: 1,
      bold: true,
    });
    expect(await cellAt(snapshot.data, COLS, ROWS, 1, 0)).toMatchObject({ char: 'l', fg: 1 });
  });

  it('covers exactly the bytes written when it was asked for, not those written while it was taken', async () => {
    const source = mirror();
    source.write(bytes(`${numberedLine(1)}\r\n`));
    const first = source.snapshot();
    source.write(bytes(`${numberedLine(2)}\r\n`));
    const second = source.snapshot();
    source.write(bytes(`${numberedLine(3)}\r\n`));

    const [a, b] = (await Promise.all([first, second])) as SerializedScreen[];
    const line = Buffer.byteLength(`${numberedLine(1)}\r\n`);
    expect(a?.offset).toBe(line);
    expect(b?.offset).toBe(2 * line);
    expect((await render(a?.data ?? '', COLS, ROWS)).lines).toEqual([numberedLine(1)]);
    expect((await render(b?.data ?? '', COLS, ROWS)).lines).toEqual([numberedLine(1), numberedLine(2)]);

    const third = (await source.snapshot()) as SerializedScreen;
    expect(third.offset).toBe(3 * line);
    expect(source.bytesWritten).toBe(3 * line);
    // Nothing new written: the same screen again.
    expect(await source.snapshot()).toEqual(third);
  });

  it('keeps up to the scrollback limit of lines', async () => {
    const source = mirror();
    const total = MIRROR_SCROLLBACK_LINES + 500;
    const text = Array.from({ length: total }, (_, i) => `${numberedLine(i + 1)}\r\n`).join('');
    source.write(bytes(text));
    const snapshot = (await source.snapshot()) as SerializedScreen;
    const rebuilt = await render(snapshot.data, COLS, ROWS);
    expect(rebuilt.lines.length).toBeGreaterThanOrEqual(MIRROR_SCROLLBACK_LINES);
    expect(rebuilt.lines.at(-1)).toBe(numberedLine(total));
    expect(rebuilt.lines).toEqual((await render(text, COLS, ROWS)).lines);
  });

  it('still shows the end of the output, and counts every byte, after the backlog overflowed', async () => {
    const source = mirror();
    const lines = Math.ceil((3 * MIRROR_BACKLOG_BYTES) / Buffer.byteLength(`${numberedLine(1)}\r\n`));
    let total = 0;
    for (let n = 1; n <= lines; n += 100) {
      let chunk = '';
      for (let i = n; i < n + 100 && i <= lines; i++) chunk += `${numberedLine(i)}\r\n`;
      source.write(bytes(chunk));
      total += Buffer.byteLength(chunk);
    }
    expect(total).toBeGreaterThan(2 * MIRROR_BACKLOG_BYTES);
    const snapshot = (await source.snapshot()) as SerializedScreen;
    expect(snapshot.offset).toBe(total);
    const rebuilt = await render(snapshot.data, COLS, ROWS);
    expect(rebuilt.lines.at(-1)).toBe(numberedLine(lines));
    expect(rebuilt.lines.slice(-5)).toEqual([4, 3, 2, 1, 0].map((back) => numberedLine(lines - back)));

    // Output after the overflow lands on the same screen.
    source.write(bytes('after\r\n'));
    const next = (await source.snapshot()) as SerializedScreen;
    expect(next.offset).toBe(total + 'after\r\n'.length);
    expect((await render(next.data, COLS, ROWS)).lines.slice(-2)).toEqual([numberedLine(lines), 'after']);
  });

  it('reflects a resize in the size it reports', async () => {
    const source = mirror();
    source.write(bytes('before resize\r\n'));
    source.resize(60, 20);
    source.write(bytes('after resize'));
    await source.text();
    const snapshot = (await source.snapshot()) as SerializedScreen;
    expect(snapshot).toMatchObject({ cols: 60, rows: 20 });
    expect((await render(snapshot.data, 60, 20)).lines).toEqual(['before resize', 'after resize']);
  });

  it('starts a new line at a line feed when told to (pipe output)', async () => {
    const source = mirror(COLS, ROWS, true);
    source.write(bytes('one\ntwo\n'));
    const snapshot = (await source.snapshot()) as SerializedScreen;
    expect((await render(snapshot.data, COLS, ROWS)).lines).toEqual(['one', 'two']);
  });

  it('answers undefined once disposed, including for a snapshot still being taken', async () => {
    const source = mirror();
    source.write(bytes('x'.repeat(100_000)));
    const pending = source.snapshot();
    source.dispose();
    expect(await pending).toBeUndefined();
    expect(await source.snapshot()).toBeUndefined();
  });
});

describe('rebuildScreen', () => {
  it('replays output into a fresh terminal and reports the given total as its offset', async () => {
    const written = bytes(DRAWING);
    const screen = await rebuildScreen(written, COLS, ROWS, 123_456);
    expect(screen).toMatchObject({ cols: COLS, rows: ROWS, offset: 123_456 });
    expect((await render(screen.data, COLS, ROWS)).lines).toEqual((await render(written, COLS, ROWS)).lines);
  });
});
