import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';

/** Lines kept above the screen; xterm's buffer is the only copy of output the page holds. */
export const SCROLLBACK_LINES = 5000;

const THEME = {
  background: '#0d1117',
  foreground: '#d6dde6',
  cursor: '#d6dde6',
  selectionBackground: '#264f78',
  black: '#1b1f24',
  red: '#ff6b6b',
  green: '#5fd38d',
  yellow: '#e8c266',
  blue: '#6cb6ff',
  magenta: '#d2a8ff',
  cyan: '#56d4dd',
  white: '#d6dde6',
  brightBlack: '#6e7681',
  brightRed: '#ff8e8e',
  brightGreen: '#7ee2a8',
  brightYellow: '#f2d68a',
  brightBlue: '#91cbff',
  brightMagenta: '#e2c5ff',
  brightCyan: '#7fe6ec',
  brightWhite: '#ffffff',
};

export interface TerminalHandle {
  terminal: Terminal;
  fit: FitAddon;
}

/** A read-only terminal; pipe output has bare `\n` line ends, so it needs them turned into CRLF. */
export function createTerminal(options: {
  convertEol: boolean;
  cols?: number;
  rows?: number;
}): TerminalHandle {
  const terminal = new Terminal({
    scrollback: SCROLLBACK_LINES,
    disableStdin: true,
    convertEol: options.convertEol,
    cursorBlink: false,
    fontFamily: 'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace',
    fontSize: 13,
    theme: THEME,
    cols: options.cols ?? 80,
    rows: options.rows ?? 24,
  });
  const fit = new FitAddon();
  terminal.loadAddon(fit);
  return { terminal, fit };
}

/** Fits the terminal to its container; false when the container has no size yet. */
export function fitTerminal({ terminal, fit }: TerminalHandle): boolean {
  const size = fit.proposeDimensions();
  if (size === undefined || !Number.isFinite(size.cols) || !Number.isFinite(size.rows)) return false;
  const cols = Math.max(2, size.cols);
  const rows = Math.max(1, size.rows);
  if (cols !== terminal.cols || rows !== terminal.rows) terminal.resize(cols, rows);
  return true;
}
