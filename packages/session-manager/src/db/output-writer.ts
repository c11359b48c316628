import type { OutputStore, OutputToAppend } from './output-store.js';

/** How long output may wait in memory before it is written. */
export const DEFAULT_FLUSH_INTERVAL_MS = 50;
/**
 * Buffered bytes that force an immediate write. Kept small: chunks held longer survive V8's minor
 * collections, and under a flood the dead buffers then pile up until a full collection.
 */
export const DEFAULT_MAX_PENDING_BYTES = 1024 * 1024;
/** Largest row: consecutive chunks of one session are joined up to this size. */
export const DEFAULT_MAX_ROW_BYTES = 256 * 1024;

/** Longest wait between retries of a failed write. */
export const MAX_RETRY_DELAY_MS = 5_000;

export interface OutputWriterOptions {
  flushIntervalMs?: number;
  maxPendingBytes?: number;
  maxRowBytes?: number;
  /** Called when a timed write fails; the output stays queued and is retried. */
  onError?: (error: unknown) => void;
}

interface PendingRow {
  sessionId: string;
  seq: number;
  offset: number;
  parts: Uint8Array[];
  length: number;
  timestamp: Date;
}

/**
 * Batches output on its way to the store: one transaction per flush, consecutive chunks of a session
 * joined into rows of up to `maxRowBytes`. Memory held is bounded by `maxPendingBytes`.
 */
export class OutputWriter {
  private readonly flushIntervalMs: number;
  private readonly maxPendingBytes: number;
  private readonly maxRowBytes: number;
  private readonly onError: (error: unknown) => void;
  private pending: PendingRow[] = [];
  private readonly lastRow = new Map<string, PendingRow>();
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private rowsWritten = 0;

  constructor(
    private readonly store: OutputStore,
    options: OutputWriterOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.maxPendingBytes = options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
    this.maxRowBytes = options.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES;
    this.onError = options.onError ?? (() => {});
  }

  /** Rows written since this writer was created. */
  get rowCount(): number {
    return this.rowsWritten;
  }

  push(output: OutputToAppend): void {
    const last = this.lastRow.get(output.sessionId);
    if (
      last !== undefined &&
      last.offset + last.length === output.offset &&
      last.length + output.bytes.length <= this.maxRowBytes
    ) {
      last.parts.push(output.bytes);
      last.length += output.bytes.length;
    } else {
      const row: PendingRow = {
        sessionId: output.sessionId,
        seq: output.seq,
        offset: output.offset,
        parts: [output.bytes],
        length: output.bytes.length,
        timestamp: output.timestamp,
      };
      this.pending.push(row);
      this.lastRow.set(output.sessionId, row);
    }
    this.pendingBytes += output.bytes.length;
    if (this.pendingBytes >= this.maxPendingBytes) {
      try {
        this.flush();
      } catch (error) {
        this.onError(error);
        this.schedule(this.flushIntervalMs * 2);
      }
    } else {
      this.schedule(this.flushIntervalMs);
    }
  }

  private schedule(delayMs: number): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      try {
        this.flush();
      } catch (error) {
        this.onError(error);
        this.schedule(Math.min(delayMs * 2, MAX_RETRY_DELAY_MS));
      }
    }, delayMs);
  }

  /** Writes everything buffered, in one transaction. Throws (keeping the output queued) if the write fails. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const rows = this.pending.map((row) => ({
      sessionId: row.sessionId,
      seq: row.seq,
      offset: row.offset,
      bytes: row.parts.length === 1 ? (row.parts[0] as Uint8Array) : Buffer.concat(row.parts),
      timestamp: row.timestamp,
    }));
    this.store.appendMany(rows);
    this.rowsWritten += rows.length;
    this.pending = [];
    this.lastRow.clear();
    this.pendingBytes = 0;
  }

  close(): void {
    this.flush();
  }
}
