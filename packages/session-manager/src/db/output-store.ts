import { SessionError } from '../errors.js';
import type { DatabaseConnection } from './database.js';

/** A stored piece of a session's output, at its byte offset in the session's stream. */
export interface OutputChunk {
  sessionId: string;
  /** Number of the first output event this chunk holds. */
  seq: number;
  offset: number;
  bytes: Buffer;
  timestamp: Date;
}

/** What to append: the manager's output events have this shape. */
export interface OutputToAppend {
  sessionId: string;
  seq: number;
  offset: number;
  bytes: Uint8Array;
  timestamp: Date;
}

/** A window of a session's output. */
export interface OutputSlice {
  data: Buffer;
  fromOffset: number;
  /** Offset just past `data`: pass it as `fromOffset` to read on. */
  nextOffset: number;
  totalBytes: number;
}

interface ChunkRow {
  session_id: string;
  seq: number;
  offset: number;
  data: Buffer;
  created_at: number;
}

function toChunk(row: ChunkRow): OutputChunk {
  return {
    sessionId: row.session_id,
    seq: row.seq,
    offset: row.offset,
    bytes: row.data,
    timestamp: new Date(row.created_at),
  };
}

function checkNonNegative(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new SessionError('INVALID_ARGUMENT', `Expected ${name} to be a non-negative integer, got ${value}`);
  }
}

/**
 * Sessions' output as exact bytes, one row per chunk with its byte offset. Reads take a window
 * (a tail, or from an offset) without loading the rest of the history.
 */
export class OutputStore {
  private readonly insert;
  private readonly bumpSessionBytes;
  private readonly selectEnd;
  private readonly selectChunkStart;
  private readonly selectFrom;

  constructor(readonly connection: DatabaseConnection) {
    const db = connection.db;
    this.insert = db.prepare(
      'INSERT INTO output_chunks (session_id, seq, offset, length, data, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.bumpSessionBytes = db.prepare(
      'UPDATE sessions SET output_bytes = MAX(output_bytes, ?) WHERE id = ?',
    );
    this.selectEnd = db.prepare<[string], { end: number }>(
      'SELECT offset + length AS end FROM output_chunks WHERE session_id = ? ORDER BY offset DESC LIMIT 1',
    );
    this.selectChunkStart = db.prepare<[string, number], { offset: number }>(
      'SELECT offset FROM output_chunks WHERE session_id = ? AND offset <= ? ORDER BY offset DESC LIMIT 1',
    );
    this.selectFrom = db.prepare<[string, number], { offset: number; data: Buffer }>(
      'SELECT offset, data FROM output_chunks WHERE session_id = ? AND offset >= ? ORDER BY offset',
    );
  }

  append(output: OutputToAppend): void {
    this.appendMany([output]);
  }

  /** Stores chunks in one transaction and advances each session's recorded output size. */
  appendMany(chunks: readonly OutputToAppend[]): void {
    if (chunks.length === 0) return;
    this.connection.transaction(() => {
      const ends = new Map<string, number>();
      for (const chunk of chunks) {
        const bytes = Buffer.isBuffer(chunk.bytes) ? chunk.bytes : Buffer.from(chunk.bytes);
        this.insert.run(
          chunk.sessionId,
          chunk.seq,
          chunk.offset,
          bytes.length,
          bytes,
          chunk.timestamp.getTime(),
        );
        const end = chunk.offset + bytes.length;
        ends.set(chunk.sessionId, Math.max(ends.get(chunk.sessionId) ?? 0, end));
      }
      for (const [sessionId, end] of ends) this.bumpSessionBytes.run(end, sessionId);
    });
  }

  /** Chunks in order, the first `limit` of them when given. */
  getBySession(sessionId: string, limit?: number): OutputChunk[] {
    if (limit !== undefined) checkNonNegative('limit', limit);
    return this.connection.db
      .prepare<[string, number], ChunkRow>(
        'SELECT * FROM output_chunks WHERE session_id = ? ORDER BY offset LIMIT ?',
      )
      .all(sessionId, limit ?? -1)
      .map(toChunk);
  }

  /** Chunks stored at or after `since`. */
  getSince(sessionId: string, since: Date): OutputChunk[] {
    return this.connection.db
      .prepare<[string, number], ChunkRow>(
        'SELECT * FROM output_chunks WHERE session_id = ? AND created_at >= ? ORDER BY offset',
      )
      .all(sessionId, since.getTime())
      .map(toChunk);
  }

  deleteBySession(sessionId: string): number {
    return this.connection.db.prepare('DELETE FROM output_chunks WHERE session_id = ?').run(sessionId)
      .changes;
  }

  /** Total bytes stored for the session. */
  totalBytes(sessionId: string): number {
    return this.selectEnd.get(sessionId)?.end ?? 0;
  }

  chunkCount(sessionId: string): number {
    const row = this.connection.db
      .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM output_chunks WHERE session_id = ?')
      .get(sessionId);
    return row?.n ?? 0;
  }

  /** Up to `maxBytes` of output starting at byte `fromOffset`. */
  read(sessionId: string, fromOffset: number, maxBytes: number): OutputSlice {
    checkNonNegative('fromOffset', fromOffset);
    checkNonNegative('maxBytes', maxBytes);
    const totalBytes = this.totalBytes(sessionId);
    const start = Math.min(fromOffset, totalBytes);
    const end = Math.min(totalBytes, start + maxBytes);
    const parts: Buffer[] = [];
    if (end > start) {
      const firstChunk = this.selectChunkStart.get(sessionId, start)?.offset ?? 0;
      for (const row of this.selectFrom.iterate(sessionId, firstChunk)) {
        if (row.offset >= end) break;
        const from = Math.max(0, start - row.offset);
        const to = Math.min(row.data.length, end - row.offset);
        if (to > from) parts.push(row.data.subarray(from, to));
      }
    }
    const data = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    return { data, fromOffset: start, nextOffset: start + data.length, totalBytes };
  }

  /** The last `bytes` bytes of output. */
  tail(sessionId: string, bytes: number): OutputSlice {
    checkNonNegative('bytes', bytes);
    const totalBytes = this.totalBytes(sessionId);
    return this.read(sessionId, Math.max(0, totalBytes - bytes), bytes);
  }

  /** The output from `fromOffset` on, one stored chunk at a time. */
  *stream(sessionId: string, fromOffset = 0): Generator<Buffer> {
    checkNonNegative('fromOffset', fromOffset);
    const firstChunk = this.selectChunkStart.get(sessionId, fromOffset)?.offset ?? 0;
    for (const row of this.selectFrom.iterate(sessionId, firstChunk)) {
      const skip = Math.max(0, fromOffset - row.offset);
      if (skip < row.data.length) yield skip === 0 ? row.data : row.data.subarray(skip);
    }
  }

  /** Everything the session printed, byte for byte. */
  getFullOutput(sessionId: string): Buffer {
    return Buffer.concat([...this.stream(sessionId)]);
  }
}
