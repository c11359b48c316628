import type { CheckpointDetails, CheckpointRecord, Responder } from '@gsd/core';
import type { DatabaseConnection } from './database.js';

interface CheckpointRow {
  id: number;
  session_id: string;
  type: string;
  details: string;
  detected_at: number;
  response: string | null;
  responded_at: number | null;
  responder: Responder | null;
}

function toRecord(row: CheckpointRow): CheckpointRecord {
  return {
    id: row.id,
    sessionId: row.session_id,
    details: JSON.parse(row.details) as CheckpointDetails,
    detectedAt: new Date(row.detected_at),
    response: row.response,
    respondedAt: row.responded_at === null ? null : new Date(row.responded_at),
    responder: row.responder,
  };
}

/** Every checkpoint a session reached, with the answer it got and who gave it. */
export class CheckpointStore {
  constructor(readonly connection: DatabaseConnection) {}

  create(sessionId: string, details: CheckpointDetails, detectedAt = new Date()): CheckpointRecord {
    const result = this.connection.db
      .prepare('INSERT INTO checkpoints (session_id, type, details, detected_at) VALUES (?, ?, ?, ?)')
      .run(sessionId, details.type, JSON.stringify(details), detectedAt.getTime());
    return this.get(Number(result.lastInsertRowid)) as CheckpointRecord;
  }

  get(id: number): CheckpointRecord | undefined {
    const row = this.connection.db
      .prepare<[number], CheckpointRow>('SELECT * FROM checkpoints WHERE id = ?')
      .get(id);
    return row === undefined ? undefined : toRecord(row);
  }

  /** The session's most recent checkpoint. */
  latest(sessionId: string): CheckpointRecord | undefined {
    const row = this.connection.db
      .prepare<[string], CheckpointRow>(
        'SELECT * FROM checkpoints WHERE session_id = ? ORDER BY id DESC LIMIT 1',
      )
      .get(sessionId);
    return row === undefined ? undefined : toRecord(row);
  }

  listBySession(sessionId: string): CheckpointRecord[] {
    return this.connection.db
      .prepare<[string], CheckpointRow>('SELECT * FROM checkpoints WHERE session_id = ? ORDER BY id')
      .all(sessionId)
      .map(toRecord);
  }

  /** Records the answer to a checkpoint that has none yet; returns whether it did. */
  respond(id: number, response: string, responder: Responder | null, at = new Date()): boolean {
    return (
      this.connection.db
        .prepare(
          'UPDATE checkpoints SET response = ?, responded_at = ?, responder = ? WHERE id = ? AND response IS NULL',
        )
        .run(response, at.getTime(), responder, id).changes > 0
    );
  }

  /** Replaces the recorded answer of a checkpoint (an answer still being typed key by key). */
  amendResponse(id: number, response: string): void {
    this.connection.db
      .prepare('UPDATE checkpoints SET response = ? WHERE id = ? AND response IS NOT NULL')
      .run(response, id);
  }
}
