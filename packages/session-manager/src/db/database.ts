import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SessionError } from '../errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

/** How long a writer waits for another process's lock before giving up. */
export const BUSY_TIMEOUT_MS = 5_000;

/** `$GSD_HARNESS_HOME`, or `~/.gsd-harness`. */
export function harnessHome(): string {
  return process.env.GSD_HARNESS_HOME ?? join(homedir(), '.gsd-harness');
}

/** `$GSD_HARNESS_DB`, or `sessions.db` in the harness home. */
export function defaultDbPath(): string {
  return process.env.GSD_HARNESS_DB ?? join(harnessHome(), 'sessions.db');
}

/** An open SQLite database in WAL mode with the current schema. */
export class DatabaseConnection {
  readonly db: Database.Database;
  readonly path: string;

  constructor(path: string = defaultDbPath()) {
    this.path = path === ':memory:' ? path : resolve(path);
    try {
      const isNew = this.path !== ':memory:' && !existsSync(this.path);
      // The database holds everything sessions printed: keep it to its owner.
      if (isNew) mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      this.db = new Database(this.path);
      if (isNew) chmodSync(this.path, 0o600);
    } catch (error) {
      throw new SessionError(
        'DATABASE_OPEN_FAILED',
        `Cannot open the session database at ${this.path}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.db.pragma('foreign_keys = ON');
      // Output commits do not wait for the disk (nothing committed is lost if the process dies);
      // `durably` makes the commits that must survive a power failure too.
      this.db.pragma('synchronous = NORMAL');
      this.migrate();
    } catch (error) {
      this.db.close();
      if (error instanceof SessionError) throw error;
      throw new SessionError(
        'DATABASE_OPEN_FAILED',
        `Cannot use the session database at ${this.path}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /**
   * Runs `fn` with commits synced to disk (`synchronous = FULL`). In WAL mode that sync also covers
   * every earlier commit, so after it everything written before is on disk.
   */
  durably<T>(fn: () => T): T {
    this.db.pragma('synchronous = FULL');
    try {
      return fn();
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  /** Runs `fn` in one transaction (a savepoint when nested). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private migrate(): void {
    // IMMEDIATE: two processes opening a new database at once must not both migrate it.
    this.db
      .transaction(() => {
        const current = this.schemaVersion;
        if (current > SCHEMA_VERSION) {
          throw new SessionError(
            'DATABASE_TOO_NEW',
            `The session database at ${this.path} has schema version ${current}, ` +
              `newer than this gsd-harness understands (${SCHEMA_VERSION}); upgrade gsd-harness`,
          );
        }
        for (const migration of MIGRATIONS) {
          if (migration.version <= current) continue;
          migration.up(this.db);
          this.db.pragma(`user_version = ${migration.version}`);
        }
      })
      .immediate();
  }
}
