import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DatabaseConnection,
  OutputStore,
  SessionError,
  SessionStore,
  type OutputToAppend,
} from '../../src/index.js';
import { thrownBy } from '../helpers/errors.js';
import { makeSession } from '../helpers/sessions.js';
import { makeTempDir } from '../helpers/temp.js';

/** Chunks for `parts`, laid end to end from `offset`. */
function chunksOf(sessionId: string, parts: Uint8Array[], offset = 0, seq = 0): OutputToAppend[] {
  return parts.map((bytes, n) => {
    const chunk = { sessionId, seq: seq + n, offset, bytes, timestamp: new Date() };
    offset += bytes.length;
    return chunk;
  });
}

interface CountedStatement {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
}

/** Counts the rows every statement prepared on `connection` from now on hands back. */
function countRowsRead(connection: DatabaseConnection): { rows: number } {
  const counter = { rows: 0 };
  const db = connection.db;
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const statement = prepare(source) as unknown as CountedStatement;
    const { get, all, iterate } = statement;
    statement.get = (...params) => {
      const row = get.apply(statement, params);
      if (row !== undefined) counter.rows++;
      return row;
    };
    statement.all = (...params) => {
      const rows = all.apply(statement, params);
      counter.rows += rows.length;
      return rows;
    };
    statement.iterate = function* (...params) {
      for (const row of iterate.apply(statement, params)) {
        counter.rows++;
        yield row;
      }
    };
    return statement;
  }) as typeof db.prepare;
  return counter;
}

describe('OutputStore', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let connection: DatabaseConnection;
  let sessions: SessionStore;
  let store: OutputStore;
  const id = 'session-a';

  beforeEach(() => {
    temp = makeTempDir();
    connection = new DatabaseConnection(temp.dbPath);
    sessions = new SessionStore(connection);
    store = new OutputStore(connection);
    sessions.create(makeSession({ id }));
  });
  afterEach(() => {
    connection.close();
    temp.remove();
  });

  describe('exact bytes', () => {
    it('round-trips every byte value, NULs and invalid UTF-8', () => {
      const all = Buffer.from(Array.from({ length: 256 }, (_, n) => n));
      const parts = [all, Buffer.from([0, 0, 0]), Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80])];
      store.appendMany(chunksOf(id, parts));
      const expected = Buffer.concat(parts);
      expect(store.getFullOutput(id).equals(expected)).toBe(true);
      expect(store.read(id, 0, 10_000).data.equals(expected)).toBe(true);
      expect(store.totalBytes(id)).toBe(expected.length);
      expect(store.getBySession(id).map((c) => c.bytes.toString('hex'))).toEqual(
        parts.map((p) => p.toString('hex')),
      );
    });

    it('keeps a multi-byte character split across two chunks byte for byte', () => {
      const euro = Buffer.from('€');
      expect(euro).toHaveLength(3);
      const first = Buffer.concat([Buffer.from('a'), euro.subarray(0, 2)]);
      const second = Buffer.concat([euro.subarray(2), Buffer.from('b')]);
      store.appendMany(chunksOf(id, [first, second]));

      expect(store.getFullOutput(id).equals(Buffer.from('a€b'))).toBe(true);
      expect(store.getBySession(id)[0]?.bytes.equals(first)).toBe(true);
      expect(store.read(id, 0, 2).data.equals(Buffer.from([0x61, 0xe2]))).toBe(true);
      expect(store.read(id, 2, 2).data.equals(Buffer.from([0x82, 0xac]))).toBe(true);
    });

    it('preserves CRLF and adds nothing between chunks', () => {
      const parts = ['line 1\r\n', 'li', 'ne 2\r', '\n', 'x'].map((s) => Buffer.from(s));
      store.appendMany(chunksOf(id, parts));
      expect(store.getFullOutput(id).toString('latin1')).toBe('line 1\r\nline 2\r\nx');
      expect(store.totalBytes(id)).toBe(17);
    });

    it('accepts plain Uint8Arrays and returns Buffers', () => {
      store.append({
        sessionId: id,
        seq: 0,
        offset: 0,
        bytes: new Uint8Array([1, 2, 3]),
        timestamp: new Date(),
      });
      const chunk = store.getBySession(id)[0];
      expect(Buffer.isBuffer(chunk?.bytes)).toBe(true);
      expect([...(chunk?.bytes ?? [])]).toEqual([1, 2, 3]);
    });
  });

  describe('appending', () => {
    it('stores a chunk with its sequence number, offset and time', () => {
      const timestamp = new Date(1_700_000_000_123);
      store.append({ sessionId: id, seq: 7, offset: 0, bytes: Buffer.from('hi'), timestamp });
      expect(store.getBySession(id)).toEqual([
        { sessionId: id, seq: 7, offset: 0, bytes: Buffer.from('hi'), timestamp },
      ]);
      expect(sessions.get(id)?.outputBytes).toBe(2);
    });

    it('writes a batch for several sessions in one transaction and advances output_bytes', () => {
      sessions.create(makeSession({ id: 'session-b' }));
      const spy = vi.spyOn(connection, 'transaction');
      store.appendMany([
        ...chunksOf(id, [Buffer.from('abc'), Buffer.from('de')]),
        ...chunksOf('session-b', [Buffer.from('xyz1234')]),
      ]);
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockRestore();
      expect(sessions.get(id)?.outputBytes).toBe(5);
      expect(sessions.get('session-b')?.outputBytes).toBe(7);
      expect(store.chunkCount(id)).toBe(2);
      expect(store.chunkCount('session-b')).toBe(1);
    });

    it('stores nothing of a batch when any chunk in it fails', () => {
      store.append({ sessionId: id, seq: 0, offset: 0, bytes: Buffer.from('abc'), timestamp: new Date() });
      const batch = chunksOf(id, [Buffer.from('def'), Buffer.from('dup')], 3, 1);
      batch.push({ ...batch[0], bytes: Buffer.from('again') } as OutputToAppend);
      expect(() => store.appendMany(batch)).toThrow(/UNIQUE/);
      expect(store.getFullOutput(id).toString()).toBe('abc');
      expect(sessions.get(id)?.outputBytes).toBe(3);
    });

    it('refuses output for an unknown session', () => {
      expect(() => store.append(chunksOf('nobody', [Buffer.from('x')])[0] as OutputToAppend)).toThrow(
        /FOREIGN KEY/,
      );
    });

    it('never moves output_bytes backwards', () => {
      store.appendMany(chunksOf(id, [Buffer.from('abc')], 10));
      store.appendMany(chunksOf(id, [Buffer.from('xy')], 0));
      expect(sessions.get(id)?.outputBytes).toBe(13);
    });

    it('does nothing for an empty batch', () => {
      const spy = vi.spyOn(connection, 'transaction');
      store.appendMany([]);
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
      expect(store.chunkCount(id)).toBe(0);
    });
  });

  describe('queries', () => {
    it('lists chunks in offset order, the first `limit` when given', () => {
      const parts = ['a', 'b', 'c', 'd'].map((s) => Buffer.from(s));
      store.appendMany(chunksOf(id, parts).reverse());
      expect(store.getBySession(id).map((c) => c.bytes.toString())).toEqual(['a', 'b', 'c', 'd']);
      expect(store.getBySession(id, 2).map((c) => c.bytes.toString())).toEqual(['a', 'b']);
      expect(store.getBySession(id, 0)).toEqual([]);
      expect(store.getBySession('unknown')).toEqual([]);
    });

    it('lists chunks stored at or after a time', () => {
      const times = [1_000, 2_000, 3_000].map((t) => new Date(1_700_000_000_000 + t));
      chunksOf(
        id,
        ['a', 'b', 'c'].map((s) => Buffer.from(s)),
      ).forEach((chunk, n) => store.append({ ...chunk, timestamp: times[n] as Date }));
      expect(store.getSince(id, times[1] as Date).map((c) => c.bytes.toString())).toEqual(['b', 'c']);
      expect(store.getSince(id, new Date(0))).toHaveLength(3);
      expect(store.getSince(id, new Date(1_800_000_000_000))).toEqual([]);
    });

    it('deletes one session’s output only', () => {
      sessions.create(makeSession({ id: 'session-b' }));
      store.appendMany(chunksOf(id, [Buffer.from('a'), Buffer.from('b')]));
      store.appendMany(chunksOf('session-b', [Buffer.from('keep')]));
      expect(store.deleteBySession(id)).toBe(2);
      expect(store.totalBytes(id)).toBe(0);
      expect(store.getFullOutput('session-b').toString()).toBe('keep');
      expect(sessions.get(id)).toBeDefined();
      expect(store.deleteBySession(id)).toBe(0);
    });

    it('counts total bytes and chunks', () => {
      expect(store.totalBytes(id)).toBe(0);
      expect(store.totalBytes('unknown')).toBe(0);
      store.appendMany(chunksOf(id, [Buffer.alloc(100), Buffer.alloc(23)]));
      expect(store.totalBytes(id)).toBe(123);
      expect(store.chunkCount(id)).toBe(2);
    });
  });

  describe('windows', () => {
    const parts = ['abc', 'defgh', 'i', 'jklmnop', 'qr'].map((s) => Buffer.from(s));
    const full = Buffer.concat(parts);

    beforeEach(() => {
      store.appendMany(chunksOf(id, parts));
    });

    it('reads any window across chunk boundaries', () => {
      for (let from = 0; from <= full.length + 2; from++) {
        for (let max = 0; max <= full.length + 2; max++) {
          const start = Math.min(from, full.length);
          const expected = full.subarray(start, Math.min(full.length, start + max));
          const slice = store.read(id, from, max);
          expect(slice.data.toString(), `read(${from}, ${max})`).toBe(expected.toString());
          expect(slice.fromOffset).toBe(start);
          expect(slice.nextOffset).toBe(start + expected.length);
          expect(slice.totalBytes).toBe(full.length);
        }
      }
    });

    it('reads nothing at or past the end, and nothing for zero bytes', () => {
      expect(store.read(id, 100, 10)).toEqual({
        data: Buffer.alloc(0),
        fromOffset: full.length,
        nextOffset: full.length,
        totalBytes: full.length,
      });
      expect(store.read(id, 4, 0)).toMatchObject({ fromOffset: 4, nextOffset: 4 });
      expect(store.read(id, 4, 0).data).toHaveLength(0);
      expect(store.read('unknown', 0, 10)).toMatchObject({ nextOffset: 0, totalBytes: 0 });
    });

    it('pages through the whole output with nextOffset', () => {
      for (const pageSize of [1, 2, 4, 7, 100]) {
        const pages: Buffer[] = [];
        let offset = 0;
        for (;;) {
          const slice = store.read(id, offset, pageSize);
          if (slice.data.length === 0) break;
          expect(slice.data.length).toBeLessThanOrEqual(pageSize);
          pages.push(slice.data);
          offset = slice.nextOffset;
        }
        expect(offset).toBe(full.length);
        expect(Buffer.concat(pages).equals(full)).toBe(true);
      }
    });

    it('tails the last bytes, or everything when asked for more', () => {
      expect(store.tail(id, 5)).toMatchObject({ fromOffset: 13, nextOffset: 18, totalBytes: 18 });
      expect(store.tail(id, 5).data.toString()).toBe('nopqr');
      expect(store.tail(id, 1).data.toString()).toBe('r');
      expect(store.tail(id, 0).data).toHaveLength(0);
      expect(store.tail(id, 1000)).toMatchObject({ fromOffset: 0, nextOffset: 18 });
      expect(store.tail(id, 1000).data.equals(full)).toBe(true);
      expect(store.tail(id, 18).data.equals(full)).toBe(true);
    });

    it('streams from any offset', () => {
      expect([...store.stream(id)].map((b) => b.toString())).toEqual(parts.map((p) => p.toString()));
      expect([...store.stream(id, 4)].map((b) => b.toString())).toEqual(['efgh', 'i', 'jklmnop', 'qr']);
      expect([...store.stream(id, 3)].map((b) => b.toString())).toEqual(['defgh', 'i', 'jklmnop', 'qr']);
      expect(Buffer.concat([...store.stream(id, 11)]).toString()).toBe(full.subarray(11).toString());
      expect([...store.stream(id, 18)]).toEqual([]);
      expect([...store.stream(id, 500)]).toEqual([]);
      expect([...store.stream('unknown')]).toEqual([]);
    });

    it('rejects negative and non-integer arguments with INVALID_ARGUMENT', () => {
      const calls: Array<() => unknown> = [
        () => store.read(id, -1, 10),
        () => store.read(id, 0, -1),
        () => store.read(id, 1.5, 10),
        () => store.read(id, 0, 2.5),
        () => store.read(id, Number.NaN, 1),
        () => store.read(id, 0, Number.POSITIVE_INFINITY),
        () => store.tail(id, -1),
        () => store.tail(id, 0.5),
        () => store.getBySession(id, -1),
        () => store.getBySession(id, 1.5),
        () => [...store.stream(id, -1)],
        () => [...store.stream(id, 0.5)],
      ];
      for (const call of calls) {
        const error = thrownBy(call);
        expect(error).toBeInstanceOf(SessionError);
        expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
        expect((error as Error).message).toMatch(/non-negative integer/);
      }
    });
  });

  describe('with a long history', () => {
    const chunkCount = 2_000;
    const chunkSize = 64;
    const chunkText = (n: number): string => `<${String(n).padStart(6, '0')}>`.padEnd(chunkSize, '.');

    it('reads and tails a window touching only the chunks it needs', () => {
      const parts = Array.from({ length: chunkCount }, (_, n) => Buffer.from(chunkText(n)));
      store.appendMany(chunksOf(id, parts));
      const full = Buffer.concat(parts);

      const connectionUnderTest = new DatabaseConnection(temp.dbPath);
      try {
        const rowsRead = countRowsRead(connectionUnderTest);
        const reader = new OutputStore(connectionUnderTest);

        const from = 1_000 * chunkSize + 10;
        const slice = reader.read(id, from, 100);
        expect(slice.data.equals(full.subarray(from, from + 100))).toBe(true);
        expect(rowsRead.rows).toBeLessThanOrEqual(5);
        expect(rowsRead.rows).toBeGreaterThan(0);

        rowsRead.rows = 0;
        const tail = reader.tail(id, 150);
        expect(tail.data.equals(full.subarray(full.length - 150))).toBe(true);
        expect(tail.fromOffset).toBe(full.length - 150);
        expect(rowsRead.rows).toBeLessThanOrEqual(8);

        rowsRead.rows = 0;
        expect(reader.read(id, 10, 5).data.toString()).toBe(full.subarray(10, 15).toString());
        expect(rowsRead.rows).toBeLessThanOrEqual(4);

        rowsRead.rows = 0;
        const stream = reader.stream(id, full.length - chunkSize);
        expect(stream.next().value?.toString()).toBe(chunkText(chunkCount - 1));
        expect(rowsRead.rows).toBeLessThanOrEqual(3);
        stream.return(undefined);

        rowsRead.rows = 0;
        expect(reader.getFullOutput(id).equals(full)).toBe(true);
        expect(rowsRead.rows).toBeGreaterThanOrEqual(chunkCount);
      } finally {
        connectionUnderTest.close();
      }
    });
  });
});
