// Shared parameters of the benchmark.

/** Random bytes fed to base64: its output is 76-character lines, 64,842,106 bytes in all. */
export const SOURCE_BYTES = 48_000_000;
export const LINE_CHARS = 76;
export const COMMAND = `head -c ${SOURCE_BYTES} /dev/urandom | base64`;

export const PTY_COLS = 120;
export const PTY_ROWS = 40;

export const TAIL_BYTES = 4096;
export const TAIL_READS = 20;

/** Bytes the command prints: on a terminal each \n becomes \r\n. */
export function expectedBytes(mode) {
  const chars = Math.ceil(SOURCE_BYTES / 3) * 4;
  const lines = Math.ceil(chars / LINE_CHARS);
  return chars + lines * (mode === 'pty' ? 2 : 1);
}
