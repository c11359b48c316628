import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/** Forward-only schema changes; `PRAGMA user_version` records the last one applied. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions, output chunks and owners',
    up(db) {
      db.exec(`
        CREATE TABLE owners (
          id TEXT PRIMARY KEY,
          pid INTEGER NOT NULL,
          pid_start_time TEXT,
          hostname TEXT NOT NULL,
          started_at INTEGER NOT NULL,
          closed_at INTEGER
        );
        CREATE TABLE sessions (
          id TEXT PRIMARY KEY,
          slot INTEGER,
          working_dir TEXT NOT NULL,
          command TEXT NOT NULL,
          mode TEXT NOT NULL CHECK (mode IN ('pipe', 'pty')),
          status TEXT NOT NULL
            CHECK (status IN ('idle', 'running', 'waiting_checkpoint', 'completed', 'failed')),
          pid INTEGER,
          pid_start_time TEXT,
          owner_id TEXT,
          started_at INTEGER NOT NULL,
          ended_at INTEGER,
          exit_code INTEGER,
          signal TEXT,
          failure_reason TEXT,
          output_bytes INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX sessions_by_status ON sessions (status);
        CREATE INDEX sessions_by_started ON sessions (started_at);
        CREATE TABLE output_chunks (
          session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
          seq INTEGER NOT NULL,
          offset INTEGER NOT NULL,
          length INTEGER NOT NULL,
          data BLOB NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX output_chunks_by_offset ON output_chunks (session_id, offset);
      `);
    },
  },
  {
    version: 2,
    name: 'terminal size of PTY sessions',
    up(db) {
      db.exec(`
        ALTER TABLE sessions ADD COLUMN cols INTEGER;
        ALTER TABLE sessions ADD COLUMN rows INTEGER;
      `);
    },
  },
  {
    version: 3,
    name: 'checkpoints',
    up(db) {
      db.exec(`
        CREATE TABLE checkpoints (
          id INTEGER PRIMARY KEY,
          session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
          type TEXT NOT NULL,
          details TEXT NOT NULL,
          detected_at INTEGER NOT NULL,
          response TEXT,
          responded_at INTEGER,
          responder TEXT
        );
        CREATE INDEX checkpoints_by_session ON checkpoints (session_id, id);
      `);
    },
  },
  {
    version: 4,
    name: 'durable sessions and agent conversations',
    up(db) {
      db.exec(`
        ALTER TABLE sessions ADD COLUMN host_socket TEXT;
        ALTER TABLE sessions ADD COLUMN host_secret TEXT;
        ALTER TABLE sessions ADD COLUMN host_detached_at INTEGER;
        ALTER TABLE sessions ADD COLUMN agent_session_id TEXT;
        ALTER TABLE sessions ADD COLUMN resumed_from TEXT;
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
