import { hostname } from 'node:os';
import { checkProcess, readProcessStartTime } from '../process/identity.js';
import type { DatabaseConnection } from './database.js';

/** A manager process that owns sessions. */
export interface Owner {
  id: string;
  pid: number;
  pidStartTime: string | null;
  hostname: string;
  startedAt: Date;
  closedAt: Date | null;
}

interface OwnerRow {
  id: string;
  pid: number;
  pid_start_time: string | null;
  hostname: string;
  started_at: number;
  closed_at: number | null;
}

/** Records which manager process owns which sessions, so another process can tell whether it still runs. */
export class OwnerStore {
  constructor(readonly connection: DatabaseConnection) {}

  /** Registers the current process as owner `id`. */
  register(id: string): Owner {
    const owner: Owner = {
      id,
      pid: process.pid,
      pidStartTime: readProcessStartTime(process.pid),
      hostname: hostname(),
      startedAt: new Date(),
      closedAt: null,
    };
    this.connection.db
      .prepare('INSERT INTO owners (id, pid, pid_start_time, hostname, started_at) VALUES (?, ?, ?, ?, ?)')
      .run(owner.id, owner.pid, owner.pidStartTime, owner.hostname, owner.startedAt.getTime());
    return owner;
  }

  markClosed(id: string): void {
    this.connection.db.prepare('UPDATE owners SET closed_at = ? WHERE id = ?').run(Date.now(), id);
  }

  get(id: string): Owner | undefined {
    const row = this.connection.db.prepare<[string], OwnerRow>('SELECT * FROM owners WHERE id = ?').get(id);
    if (row === undefined) return undefined;
    return {
      id: row.id,
      pid: row.pid,
      pidStartTime: row.pid_start_time,
      hostname: row.hostname,
      startedAt: new Date(row.started_at),
      closedAt: row.closed_at === null ? null : new Date(row.closed_at),
    };
  }

  /**
   * Whether the owner is still running: registered, not closed, and its process (same PID and start
   * time) alive. Owners on another host cannot be checked and count as alive.
   */
  isAlive(id: string | null): boolean {
    if (id === null) return false;
    const owner = this.get(id);
    if (owner === undefined || owner.closedAt !== null) return false;
    if (owner.hostname !== hostname()) return true;
    return checkProcess(owner.pid, owner.pidStartTime) === 'alive';
  }
}
