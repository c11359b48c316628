import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseConnection, SCHEMA_VERSION, SessionError, SessionStore } from '../../src/index.js';
import { BUSY_TIMEOUT_MS } from '../../src/db/database.js';
import { thrownBy } from '../helpers/errors.js';
import { makeTempDir } from '../helpers/temp.js';
import { makeSession } from '../helpers/sessions.js';

function openError(open: () => unknown): SessionError {
  const error = thrownBy(open);
  expect(error).toBeInstanceOf(SessionError);
  return error as SessionError;
}

describe('DatabaseConnection', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let connection: DatabaseConnection | undefined;

  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => {
    connection?.close();
    connection = undefined;
    temp.remove();
  });

  it('opens in WAL mode with a busy timeout and foreign keys on', () => {
    connection = new DatabaseConnection(temp.dbPath);
    expect(connection.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(connection.db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    expect(BUSY_TIMEOUT_MS).toBeGreaterThan(0);
    expect(connection.db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('migrates a new database to SCHEMA_VERSION', () => {
    connection = new DatabaseConnection(temp.dbPath);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
    expect(connection.schemaVersion).toBe(SCHEMA_VERSION);
    expect(connection.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = connection.db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => row.name);
    expect(tables).toEqual(['checkpoints', 'output_chunks', 'owners', 'sessions']);
  });

  it('creates missing parent directories', () => {
    const path = join(temp.dir, 'a', 'b', 'sessions.db');
    connection = new DatabaseConnection(path);
    expect(connection.path).toBe(path);
    expect(statSync(path).isFile()).toBe(true);
  });

  it('keeps the data of an existing database when reopened', () => {
    const first = new DatabaseConnection(temp.dbPath);
    new SessionStore(first).create(makeSession({ id: 'kept-session', command: 'echo kept' }));
    first.close();

    connection = new DatabaseConnection(temp.dbPath);
    expect(connection.schemaVersion).toBe(SCHEMA_VERSION);
    const stored = new SessionStore(connection).get('kept-session');
    expect(stored?.command).toBe('echo kept');
  });

  it('refuses a database with a newer schema, with code DATABASE_TOO_NEW', () => {
    const first = new DatabaseConnection(temp.dbPath);
    first.db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    first.close();

    const error = openError(() => new DatabaseConnection(temp.dbPath));
    expect(error.code).toBe('DATABASE_TOO_NEW');
    expect(error.message).toContain(temp.dbPath);
    expect(error.message).toContain(String(SCHEMA_VERSION + 1));

    const raw = new Database(temp.dbPath, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    raw.close();
  });

  it('fails with DATABASE_OPEN_FAILED, naming the path, when the parent is a regular file', () => {
    const file = join(temp.dir, 'afile');
    writeFileSync(file, 'not a directory');
    for (const path of [join(file, 'sessions.db'), join(file, 'sub', 'sessions.db')]) {
      const error = openError(() => new DatabaseConnection(path));
      expect(error.code).toBe('DATABASE_OPEN_FAILED');
      expect(error.message).toContain(path);
      expect(error.cause).toBeDefined();
    }
    expect(readdirSync(temp.dir)).toEqual(['afile']);
    expect(statSync(file).isFile()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
  });

  it('fails with DATABASE_OPEN_FAILED when the path is a directory', () => {
    const error = openError(() => new DatabaseConnection(temp.dir));
    expect(error.code).toBe('DATABASE_OPEN_FAILED');
    expect(error.message).toContain(temp.dir);
  });

  it('fails with DATABASE_OPEN_FAILED when the file is not a SQLite database', () => {
    writeFileSync(temp.dbPath, 'x'.repeat(4096));
    const error = openError(() => new DatabaseConnection(temp.dbPath));
    expect(error.code).toBe('DATABASE_OPEN_FAILED');
    expect(error.message).toContain(temp.dbPath);
    expect(readFileSync(temp.dbPath, 'utf8')).toBe('x'.repeat(4096));
  });

  it('runs nested transactions as one and rolls back on error', () => {
    const open = new DatabaseConnection(temp.dbPath);
    connection = open;
    const store = new SessionStore(open);
    expect(() =>
      open.transaction(() => {
        store.create(makeSession({ id: 'outer' }));
        open.transaction(() => store.create(makeSession({ id: 'nested' })));
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(store.list()).toEqual([]);
  });

  it('lets two connections share one database', () => {
    const first = new DatabaseConnection(temp.dbPath);
    connection = first;
    const second = new DatabaseConnection(temp.dbPath);
    try {
      new SessionStore(first).create(makeSession({ id: 'shared' }));
      expect(new SessionStore(second).get('shared')?.id).toBe('shared');
      expect(second.schemaVersion).toBe(SCHEMA_VERSION);
    } finally {
      second.close();
    }
  });
});
