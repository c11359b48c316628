import xterm from '@xterm/headless';

const { Terminal } = xterm;

/** Lines kept above the visible screen. */
export const MIRROR_SCROLLBACK_LINES = 1000;
/**
 * Output held until the screen is next read. Beyond this the older part is dropped and the terminal
 * is reset before the rest is replayed: during a flood only the end decides what the screen shows.
 */
export const MIRROR_BACKLOG_BYTES = 512 * 1024;

/**
 * A headless terminal fed with a session's output, so the harness knows what a person would see now,
 * full-screen programs included. Output is parsed when the screen is read, not as it arrives, so a
 * session printing megabytes a second pays for parsing only the part still on screen.
 */
export class ScreenMirror {
  private readonly terminal: InstanceType<typeof Terminal>;
  private backlog: Uint8Array[] = [];
  private backlogBytes = 0;
  private overflowed = false;
  private parsed: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(cols: number, rows: number) {
    this.terminal = new Terminal({ cols, rows, scrollback: MIRROR_SCROLLBACK_LINES, allowProposedApi: true });
  }

  write(bytes: Uint8Array): void {
    if (this.disposed) return;
    this.backlog.push(bytes);
    this.backlogBytes += bytes.length;
    while (this.backlogBytes - (this.backlog[0]?.length ?? 0) >= MIRROR_BACKLOG_BYTES) {
      this.backlogBytes -= (this.backlog.shift() as Uint8Array).length;
      this.overflowed = true;
    }
  }

  resize(cols: number, rows: number): void {
    if (this.disposed) return;
    // Output written before the resize must be laid out at the old size.
    this.feed();
    this.parsed = this.parsed.then(() => {
      if (!this.disposed) this.terminal.resize(cols, rows);
    });
  }

  /**
   * The last `lines` lines of the terminal (scrollback and screen) once everything written so far has
   * been parsed; trailing spaces and trailing blank lines removed.
   */
  async text(lines = this.terminal.rows): Promise<string> {
    this.feed();
    await this.parsed;
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
    this.backlog = [];
    this.terminal.dispose();
  }

  /** Starts parsing what has been written so far (reading the screen later then waits less). */
  parsePending(): void {
    this.feed();
  }

  private feed(): void {
    if (this.disposed || this.backlog.length === 0) return;
    if (this.overflowed) {
      this.terminal.reset();
      this.overflowed = false;
    }
    const bytes = this.backlog.length === 1 ? (this.backlog[0] as Uint8Array) : Buffer.concat(this.backlog);
    this.backlog = [];
    this.backlogBytes = 0;
    this.parsed = new Promise((resolve) => this.terminal.write(bytes, resolve));
  }
}
