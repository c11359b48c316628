import xterm from '@xterm/headless';

const { Terminal } = xterm;

/** Lines kept above the visible screen. */
export const MIRROR_SCROLLBACK_LINES = 1000;

/**
 * A headless terminal fed with a session's output, so the harness knows what a person would see now,
 * full-screen programs included. Scrollback is bounded.
 */
export class ScreenMirror {
  private readonly terminal: InstanceType<typeof Terminal>;
  private pending: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(cols: number, rows: number) {
    this.terminal = new Terminal({ cols, rows, scrollback: MIRROR_SCROLLBACK_LINES, allowProposedApi: true });
  }

  write(bytes: Uint8Array): void {
    if (this.disposed) return;
    this.pending = new Promise((resolve) => this.terminal.write(bytes, resolve));
  }

  resize(cols: number, rows: number): void {
    if (!this.disposed) this.terminal.resize(cols, rows);
  }

  /**
   * The last `lines` lines of the terminal (scrollback and screen), once everything written so far
   * has been parsed; trailing spaces and trailing blank lines removed.
   */
  async text(lines = this.terminal.rows): Promise<string> {
    await this.pending;
    if (this.disposed) return '';
    const buffer = this.terminal.buffer.active;
    const bottom = buffer.baseY + this.terminal.rows;
    const out: string[] = [];
    for (let y = Math.max(0, bottom - lines); y < bottom; y++) {
      out.push(buffer.getLine(y)?.translateToString(true) ?? '');
    }
    while (out.length > 0 && out.at(-1) === '') out.pop();
    return out.join('\n');
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.terminal.dispose();
  }
}
