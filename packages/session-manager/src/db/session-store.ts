import type { Session, SessionStatus } from '@gsd/core';
import { SessionError } from '../errors.js';
import type { DatabaseConnection } from './database.js';
import {
  rowToSession,
  toColumnValue,
  UPDATABLE_COLUMNS,
  type SessionRow,
  type SessionUpdate,
} from './rows.js';

export interface ListSessionsOptions {
  limit?: number;
  status?: SessionStatus | readonly SessionStatus[];
  /** Only sessions whose working directory contains this text (ASCII letters match in either case). */
  workingDirContains?: string;
  /** Only sessions whose command contains this text (ASCII letters match in either case). */
  commandContains?: string;
  /** Only sessions started before this moment: pass the last listed session's start to page on. */
  startedBefore?: Date;
}

/** How to reach a durable session's host: its Unix socket, and the secret only the real host knows. */
export interface HostAddress {
  socketPath: string;
  secret: string;
}

/** A LIKE pattern matching `text` anywhere, its own `%`, `_` and `\` taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Sessions in SQLite, newest first in listings. */
export class SessionStore {
  private readonly insert;
  private readonly selectById;
  private readonly selectByPrefix;
  private readonly deleteById;
  private readonly setDetached;

  constructor(readonly connection: DatabaseConnection) {
    const db = connection.db;
    this.insert = db.prepare(`
      INSERT INTO sessions (id, slot, working_dir, command, mode, status, pid, pid_start_time, owner_id,
        started_at, ended_at, exit_code, signal, failure_reason, output_bytes, cols, rows,
        agent_session_id, resumed_from, host_socket, host_secret)
      VALUES (@id, @slot, @workingDir, @command, @mode, @status, @pid, @pidStartTime, @ownerId,
        @startedAt, @endedAt, @exitCode, @signal, @failureReason, @outputBytes, @cols, @rows,
        @agentSessionId, @resumedFrom, @hostSocket, @hostSecret)`);
    this.selectById = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?');
    this.selectByPrefix = db.prepare<[string], SessionRow>(
      "SELECT * FROM sessions WHERE id LIKE ? || '%' ESCAPE '\\' ORDER BY started_at DESC LIMIT 10",
    );
    this.deleteById = db.prepare<[string]>('DELETE FROM sessions WHERE id = ?');
    this.setDetached = db.prepare<[number | null, string]>(
      'UPDATE sessions SET host_detached_at = ? WHERE id = ?',
    );
  }

  /** Records a new session; `host` for a durable one, with the session host's socket and secret. */
  create(session: Session, host?: HostAddress): void {
    // `durable` is not a column: a durable session is one with a host socket.
    const fields: Omit<Session, 'durable'> & { durable?: boolean } = { ...session };
    delete fields.durable;
    this.insert.run({
      ...fields,
      startedAt: session.startedAt.getTime(),
      endedAt: session.endedAt?.getTime() ?? null,
      hostSocket: host?.socketPath ?? null,
      hostSecret: host?.secret ?? null,
    });
  }

  /** Where a durable session's host listens and the secret it proves itself with; undefined if not durable. */
  hostAddress(sessionId: string): HostAddress | undefined {
    const row = this.selectById.get(sessionId);
    if (row?.host_socket == null || row.host_secret === null) return undefined;
    return { socketPath: row.host_socket, secret: row.host_secret };
  }

  /** Records since when a durable session's host has had no harness attached (null: one is attached). */
  setHostDetached(sessionId: string, since: Date | null): void {
    this.setDetached.run(since?.getTime() ?? null, sessionId);
  }

  /** Since when the session's host has had no harness attached; null while one is (or if not durable). */
  hostDetachedSince(sessionId: string): Date | null {
    const at = this.selectById.get(sessionId)?.host_detached_at ?? null;
    return at === null ? null : new Date(at);
  }

  get(sessionId: string): Session | undefined {
    const row = this.selectById.get(sessionId);
    return row === undefined ? undefined : rowToSession(row);
  }

  /** Sessions whose id starts with `prefix` (at most 10, newest first). */
  findByPrefix(prefix: string): Session[] {
    const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
    return this.selectByPrefix.all(escaped).map(rowToSession);
  }

  /**
   * Applies `changes`; with `onlyIfStatus`, only while the stored status is one of those.
   * Returns whether a row changed.
   */
  update(sessionId: string, changes: SessionUpdate, onlyIfStatus?: readonly SessionStatus[]): boolean {
    const assignments: string[] = [];
    const values: unknown[] = [];
    for (const [field, column] of Object.entries(UPDATABLE_COLUMNS)) {
      if (field in changes) {
        assignments.push(`${column} = ?`);
        values.push(toColumnValue(changes[field as keyof SessionUpdate]));
      }
    }
    if (assignments.length === 0) return false;
    let sql = `UPDATE sessions SET ${assignments.join(', ')} WHERE id = ?`;
    values.push(sessionId);
    if (onlyIfStatus !== undefined) {
      sql += ` AND status IN (${onlyIfStatus.map(() => '?').join(', ')})`;
      values.push(...onlyIfStatus);
    }
    return this.connection.db.prepare(sql).run(...values).changes > 0;
  }

  /** Removes a session and its output. */
  delete(sessionId: string): boolean {
    return this.deleteById.run(sessionId).changes > 0;
  }

  list(options: ListSessionsOptions = {}): Session[] {
    const { limit } = options;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new SessionError('INVALID_ARGUMENT', `Expected limit to be a non-negative integer, got ${limit}`);
    }
    const conditions: string[] = [];
    const values: unknown[] = [];
    const statuses =
      options.status === undefined ? [] : Array.isArray(options.status) ? options.status : [options.status];
    if (statuses.length > 0) {
      conditions.push(`status IN (${statuses.map(() => '?').join(', ')})`);
      values.push(...statuses);
    }
    for (const [column, text] of [
      ['working_dir', options.workingDirContains],
      ['command', options.commandContains],
    ] as const) {
      if (text === undefined) continue;
      conditions.push(`${column} LIKE ? ESCAPE '\\'`);
      values.push(containsPattern(text));
    }
    if (options.startedBefore !== undefined) {
      const before = options.startedBefore.getTime();
      if (Number.isNaN(before)) {
        throw new SessionError('INVALID_ARGUMENT', 'Expected startedBefore to be a valid date');
      }
      conditions.push('started_at < ?');
      values.push(before);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const sql = `SELECT * FROM sessions ${where} ORDER BY started_at DESC, rowid DESC LIMIT ?`;
    return this.connection.db
      .prepare<unknown[], SessionRow>(sql)
      .all(...values, limit ?? -1)
      .map(rowToSession);
  }

  listByStatus(status: SessionStatus | readonly SessionStatus[]): Session[] {
    return this.list({ status });
  }

  /** Sessions a manager may still be running: `idle`, `running` or `waiting_checkpoint`. */
  findRunning(): Session[] {
    return this.list({ status: ['idle', 'running', 'waiting_checkpoint'] });
  }
}
