import { SerializeAddon } from '@xterm/addon-serialize';
import xterm from '@xterm/headless';

const { Terminal } = xterm;

/** Lines kept above the visible screen. */
export const MIRROR_SCROLLBACK_LINES = 1000;
/**
 * Output held until the screen is next read. Beyond this the older part is dropped and the terminal
 * is reset before the rest is replayed: during a flood only the end decides what the screen shows.
 */
export const MIRROR_BACKLOG_BYTES = 512 * 1024;

const NOTHING = new Uint8Array(0);

/** A terminal's screen and scrollback as ANSI text, and how much of the output stream it reflects. */
export interface SerializedScreen {
  /** Written into a fresh terminal of `cols` x `rows`, reproduces the screen and its scrollback. */
  data: string;
  cols: number;
  rows: number;
  /** Bytes of output the screen reflects: output after it starts at this offset. */
  offset: number;
}

export interface ScreenMirrorOptions {
  /**
   * Treat a line feed as a new line (carriage return too). For pipe sessions, whose output has not
   * passed through a terminal driver that would add the carriage return.
   */
  convertEol?: boolean;
}

/**
 * A headless terminal fed with a session's output, so the harness knows what a person would see now,
 * full-screen programs included. Output is parsed when the screen is read, not as it arrives, so a
 * session printing megabytes a second pays for parsing only the part still on screen.
 */
export class ScreenMirror {
  private readonly terminal: InstanceType<typeof Terminal>;
  private readonly serializer = new SerializeAddon();
  private backlog: Uint8Array[] = [];
  private backlogBytes = 0;
  private written = 0;
  private overflowed = false;
  private parsed: Promise<void> = Promise.resolve();
  private disposed = false;
  /** Snapshots waiting for their write to be parsed; answered with undefined if the mirror is disposed. */
  private readonly pendingSnapshots = new Set<(screen: SerializedScreen | undefined) => void>();

  constructor(cols: number, rows: number, options: ScreenMirrorOptions = {}) {
    this.terminal = new Terminal({
      cols,
      rows,
      scrollback: MIRROR_SCROLLBACK_LINES,
      allowProposedApi: true,
      convertEol: options.convertEol === true,
    });
    this.terminal.loadAddon(this.serializer);
  }

  /** Bytes written so far, including any dropped from an overflowing backlog. */
  get bytesWritten(): number {
    return this.written;
  }

  write(bytes: Uint8Array): void {
    if (this.disposed) return;
    this.written += bytes.length;
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

  /**
   * The screen and scrollback as ANSI text once everything written so far has been parsed, with the
   * number of bytes that covers; undefined if the mirror is disposed first.
   */
  snapshot(): Promise<SerializedScreen | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    const offset = this.written;
    return new Promise((resolve) => {
      this.pendingSnapshots.add(resolve);
      // The terminal parses queued writes in one loop, calling each write's callback as soon as that
      // write is parsed: serialized there, the screen holds exactly `offset` bytes. After an await,
      // later writes could already be parsed too.
      this.feed(() => {
        this.pendingSnapshots.delete(resolve);
        if (this.disposed) {
          resolve(undefined);
          return;
        }
        resolve({
          data: this.serializer.serialize(),
          cols: this.terminal.cols,
          rows: this.terminal.rows,
          offset,
        });
      });
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.backlog = [];
    for (const resolve of this.pendingSnapshots) resolve(undefined);
    this.pendingSnapshots.clear();
    this.terminal.dispose();
  }

  /** Starts parsing what has been written so far (reading the screen later then waits less). */
  parsePending(): void {
    this.feed();
  }

  /** Hands the backlog to the terminal; `onParsed` runs once it is parsed (even if there was none). */
  private feed(onParsed?: () => void): void {
    if (this.disposed || (this.backlog.length === 0 && onParsed === undefined)) return;
    if (this.overflowed) {
      this.terminal.reset();
      this.overflowed = false;
    }
    const bytes =
      this.backlog.length === 0
        ? NOTHING
        : this.backlog.length === 1
          ? (this.backlog[0] as Uint8Array)
          : Buffer.concat(this.backlog);
    this.backlog = [];
    this.backlogBytes = 0;
    this.parsed = new Promise((resolve) =>
      this.terminal.write(bytes, () => {
        onParsed?.();
        resolve();
      }),
    );
  }
}

/**
 * Rebuilds a screen from the end of a session's output (for a session without a live mirror): `bytes`
 * replayed into a fresh terminal, reported as covering `totalBytes`.
 */
export async function rebuildScreen(
  bytes: Uint8Array,
  cols: number,
  rows: number,
  totalBytes: number,
  options: ScreenMirrorOptions = {},
): Promise<SerializedScreen> {
  const mirror = new ScreenMirror(cols, rows, options);
  try {
    mirror.write(bytes);
    const screen = (await mirror.snapshot()) as SerializedScreen;
    return { ...screen, offset: totalBytes };
  } finally {
    mirror.dispose();
  }
}
