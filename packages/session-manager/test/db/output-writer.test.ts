import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DatabaseConnection,
  OutputStore,
  OutputWriter,
  SessionStore,
  type OutputToAppend,
} from '../../src/index.js';
import { makeSession } from '../helpers/sessions.js';
import { makeTempDir, pollUntil } from '../helpers/temp.js';

/** Produces a session's output events with running offsets and sequence numbers. */
function outputSource(sessionId: string): (text: string | Buffer) => OutputToAppend {
  let seq = 0;
  let offset = 0;
  return (text) => {
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    const event = { sessionId, seq: seq++, offset, bytes, timestamp: new Date() };
    offset += bytes.length;
    return event;
  };
}

describe('OutputWriter', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let connection: DatabaseConnection;
  let sessions: SessionStore;
  let store: OutputStore;
  let writers: OutputWriter[];

  function makeWriter(options: ConstructorParameters<typeof OutputWriter>[1] = {}): OutputWriter {
    const writer = new OutputWriter(store, { flushIntervalMs: 60_000, ...options });
    writers.push(writer);
    return writer;
  }

  beforeEach(() => {
    temp = makeTempDir();
    connection = new DatabaseConnection(temp.dbPath);
    sessions = new SessionStore(connection);
    store = new OutputStore(connection);
    sessions.create(makeSession({ id: 'a' }));
    sessions.create(makeSession({ id: 'b' }));
    writers = [];
  });
  afterEach(() => {
    for (const writer of writers) writer.close();
    connection.close();
    temp.remove();
  });

  it('writes nothing until flushed, then everything in one transaction', () => {
    const writer = makeWriter();
    const next = outputSource('a');
    const expected: string[] = [];
    for (let n = 0; n < 500; n++) {
      expected.push(`line ${n}\n`);
      writer.push(next(`line ${n}\n`));
    }
    expect(store.chunkCount('a')).toBe(0);

    const transactions = vi.spyOn(connection, 'transaction');
    writer.flush();
    expect(transactions).toHaveBeenCalledTimes(1);
    transactions.mockRestore();

    expect(store.getFullOutput('a').toString()).toBe(expected.join(''));
    expect(store.chunkCount('a')).toBe(1);
    expect(writer.rowCount).toBe(1);
    expect(sessions.get('a')?.outputBytes).toBe(expected.join('').length);
  });

  it('joins consecutive chunks of a session into rows of at most maxRowBytes', () => {
    const writer = makeWriter({ maxRowBytes: 100 });
    const next = outputSource('a');
    for (let n = 0; n < 25; n++) writer.push(next(String(n % 10).repeat(10)));
    writer.flush();

    const rows = store.getBySession('a');
    expect(rows.map((row) => row.bytes.length)).toEqual([100, 100, 50]);
    expect(rows.map((row) => row.offset)).toEqual([0, 100, 200]);
    expect(rows.map((row) => row.seq)).toEqual([0, 10, 20]);
    expect(store.getFullOutput('a').toString()).toBe(
      Array.from({ length: 25 }, (_, n) => String(n % 10).repeat(10)).join(''),
    );
    expect(writer.rowCount).toBe(3);
  });

  it('keeps a chunk larger than maxRowBytes whole, in its own row', () => {
    const writer = makeWriter({ maxRowBytes: 10 });
    const next = outputSource('a');
    writer.push(next('ab'));
    writer.push(next('x'.repeat(25)));
    writer.push(next('cd'));
    writer.flush();
    expect(store.getBySession('a').map((row) => row.bytes.toString())).toEqual(['ab', 'x'.repeat(25), 'cd']);
  });

  it('coalesces interleaved sessions per session', () => {
    const writer = makeWriter();
    const nextA = outputSource('a');
    const nextB = outputSource('b');
    for (let n = 0; n < 50; n++) {
      writer.push(nextA(`a${n};`));
      writer.push(nextB(`b${n};`));
    }
    const transactions = vi.spyOn(connection, 'transaction');
    writer.flush();
    expect(transactions).toHaveBeenCalledTimes(1);
    transactions.mockRestore();

    expect(store.chunkCount('a')).toBe(1);
    expect(store.chunkCount('b')).toBe(1);
    const expectedA = Array.from({ length: 50 }, (_, n) => `a${n};`).join('');
    const expectedB = Array.from({ length: 50 }, (_, n) => `b${n};`).join('');
    expect(store.getFullOutput('a').toString()).toBe(expectedA);
    expect(store.getFullOutput('b').toString()).toBe(expectedB);
    expect(sessions.get('b')?.outputBytes).toBe(expectedB.length);
  });

  it('starts a new row when a chunk does not follow on from the previous one', () => {
    const writer = makeWriter();
    const base = { sessionId: 'a', timestamp: new Date() };
    writer.push({ ...base, seq: 0, offset: 0, bytes: Buffer.from('abc') });
    writer.push({ ...base, seq: 1, offset: 10, bytes: Buffer.from('xyz') });
    writer.flush();
    expect(store.getBySession('a').map((row) => [row.offset, row.bytes.toString()])).toEqual([
      [0, 'abc'],
      [10, 'xyz'],
    ]);
  });

  it('keeps the exact bytes of a character split across chunks', () => {
    const writer = makeWriter();
    const next = outputSource('a');
    const text = Buffer.from('π≈3.14 ✓\r\n');
    for (let n = 0; n < text.length; n++) writer.push(next(text.subarray(n, n + 1)));
    writer.flush();
    expect(store.getFullOutput('a').equals(text)).toBe(true);
  });

  it('flushes at once when maxPendingBytes are buffered', () => {
    const writer = makeWriter({ maxPendingBytes: 100 });
    const next = outputSource('a');
    writer.push(next('x'.repeat(60)));
    writer.push(next('y'.repeat(39)));
    expect(store.totalBytes('a')).toBe(0);
    writer.push(next('z'));
    expect(store.totalBytes('a')).toBe(100);
    expect(store.getFullOutput('a').toString()).toBe(`${'x'.repeat(60)}${'y'.repeat(39)}z`);

    writer.push(next('after'));
    expect(store.totalBytes('a')).toBe(100);
    writer.flush();
    expect(store.totalBytes('a')).toBe(105);
  });

  it('flushes on its own flushIntervalMs after output arrives', async () => {
    const writer = makeWriter({ flushIntervalMs: 20 });
    const next = outputSource('a');
    writer.push(next('timed '));
    writer.push(next('flush'));
    expect(store.chunkCount('a')).toBe(0);
    await pollUntil(() => store.chunkCount('a') > 0, 5_000, 5);
    expect(store.getFullOutput('a').toString()).toBe('timed flush');
    expect(writer.rowCount).toBe(1);
  });

  it('does not open a transaction when there is nothing to write', () => {
    const writer = makeWriter();
    const transactions = vi.spyOn(connection, 'transaction');
    writer.flush();
    writer.close();
    expect(transactions).not.toHaveBeenCalled();
    transactions.mockRestore();
  });

  it('keeps output queued when a flush fails, and writes it on the next one', () => {
    const writer = makeWriter();
    const next = outputSource('late');
    writer.push(next('kept '));
    writer.push(next('safe'));
    expect(() => writer.flush()).toThrow(/FOREIGN KEY/);
    expect(writer.rowCount).toBe(0);

    sessions.create(makeSession({ id: 'late' }));
    writer.flush();
    expect(store.getFullOutput('late').toString()).toBe('kept safe');
    expect(writer.rowCount).toBe(1);
  });

  it('reports a failed timed flush to onError and retries it', async () => {
    const errors: unknown[] = [];
    const writer = makeWriter({ flushIntervalMs: 5, onError: (error) => errors.push(error) });
    writer.push(outputSource('late')('retried'));
    await pollUntil(() => errors.length > 0, 5_000, 2);
    expect(String(errors[0])).toMatch(/FOREIGN KEY/);

    sessions.create(makeSession({ id: 'late' }));
    await pollUntil(() => store.chunkCount('late') > 0, 5_000, 5);
    expect(store.getFullOutput('late').toString()).toBe('retried');
  });
});
