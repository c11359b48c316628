import xterm from '@xterm/headless';

const { Terminal } = xterm;

/** What a terminal holds after some output: every line (scrollback, then screen) and the cursor. */
export interface Rendered {
  /** Lines with trailing spaces removed, trailing blank lines dropped. */
  lines: string[];
  /** Cursor position on the screen. */
  cursor: { x: number; y: number };
}

/** Writes `data` into a fresh headless terminal of cols x rows (with 1000 lines of scrollback). */
export async function render(
  data: string | Uint8Array,
  cols: number,
  rows: number,
  options: { convertEol?: boolean } = {},
): Promise<Rendered> {
  return inspect(data, cols, rows, options, (buffer) => {
    const lines: string[] = [];
    for (let y = 0; y < buffer.length; y++) lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return { lines, cursor: { x: buffer.cursorX, y: buffer.cursorY } };
  });
}

/** One cell after `data` is written: its character, foreground colour (palette index) and boldness. */
export function cellAt(
  data: string | Uint8Array,
  cols: number,
  rows: number,
  line: number,
  column: number,
): Promise<{ char: string; fg: number; bold: boolean } | undefined> {
  return inspect(data, cols, rows, {}, (buffer) => {
    const cell = buffer.getLine(line)?.getCell(column);
    return cell === undefined
      ? undefined
      : { char: cell.getChars(), fg: cell.getFgColor(), bold: cell.isBold() !== 0 };
  });
}

type TerminalBuffer = InstanceType<typeof Terminal>['buffer']['active'];

function inspect<T>(
  data: string | Uint8Array,
  cols: number,
  rows: number,
  options: { convertEol?: boolean },
  read: (buffer: TerminalBuffer) => T,
): Promise<T> {
  const terminal = new Terminal({
    cols,
    rows,
    scrollback: 1000,
    allowProposedApi: true,
    convertEol: options.convertEol === true,
  });
  return new Promise((resolve) => {
    terminal.write(data, () => {
      const result = read(terminal.buffer.active);
      terminal.dispose();
      resolve(result);
    });
  });
}

/** The text of a numbered line as the `print-lines` fixtures print it. */
export function numberedLine(n: number): string {
  return `line ${String(n).padStart(6, '0')}`;
}
