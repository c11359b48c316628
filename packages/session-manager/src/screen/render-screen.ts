import xterm from '@xterm/headless';

const { Terminal } = xterm;

/** What a terminal shows: its visible lines and where the cursor is. */
export interface ScreenSnapshot {
  cols: number;
  rows: number;
  /** Visible lines, trailing spaces removed. */
  lines: string[];
  cursor: { x: number; y: number };
}

/**
 * Feeds `bytes` into a headless terminal of the given size and returns what it shows afterwards.
 * `convertEol` makes a line feed start a new line, for output that did not pass through a terminal.
 */
export function renderScreen(
  bytes: Uint8Array,
  cols: number,
  rows: number,
  options: { convertEol?: boolean } = {},
): Promise<ScreenSnapshot> {
  const terminal = new Terminal({
    cols,
    rows,
    scrollback: 0,
    allowProposedApi: true,
    convertEol: options.convertEol === true,
  });
  return new Promise((resolve) => {
    terminal.write(bytes, () => {
      const buffer = terminal.buffer.active;
      const lines: string[] = [];
      for (let y = 0; y < rows; y++) {
        lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
      }
      const snapshot = { cols, rows, lines, cursor: { x: buffer.cursorX, y: buffer.cursorY } };
      terminal.dispose();
      resolve(snapshot);
    });
  });
}

/** The screen as text: visible lines joined, trailing blank lines dropped. */
export function screenText(snapshot: ScreenSnapshot): string {
  const lines = [...snapshot.lines];
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines.join('\n');
}
