import { stripEmphasis } from './markdown.js';
import { normalizePhaseId, PHASE_ID_SOURCE } from './phase-id.js';

/** One row of ROADMAP's `| Phase | Plans Complete | Status | Completed |` table. */
export interface ProgressRow {
  key: string;
  complete: number | null;
  /** Null for `TBD`, `?` or a missing count. */
  total: number | null;
  status: string | null;
  /** The row's cells do not sit under the header's columns (a column missing, values shifted). */
  shifted: boolean;
}

const PHASE_CELL = new RegExp(String.raw`^(?:Phase\s+)?(${PHASE_ID_SOURCE})\.?(?:\s|:|$)`, 'i');
const COUNT_CELL = /^(\d+)\s*\/\s*(\d+|\?|TBD|-)?/i;
const DATE_CELL = /^\d{4}-\d{2}-\d{2}\b/;
const VERSION_CELL = /^v\d+(\.\d+)*\b/i;

const cellsOf = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => stripEmphasis(cell));

/**
 * Reads every progress table in `lines`. Cells are classified by what they hold rather than by
 * column position, because hand-edited rows drop or shift columns.
 */
export function parseProgressTables(lines: readonly string[]): ProgressRow[] {
  const rows: ProgressRow[] = [];
  let header: string[] | null = null;
  for (const line of lines) {
    if (!line.trim().startsWith('|')) {
      header = null;
      continue;
    }
    const cells = cellsOf(line);
    if (header === null) {
      const lower = cells.map((cell) => cell.toLowerCase());
      if (lower[0]?.startsWith('phase') && lower.some((cell) => cell.startsWith('status'))) header = lower;
      continue;
    }
    if (cells.every((cell) => /^:?-{2,}:?$/.test(cell) || cell === '')) continue;
    const row = readRow(cells, header);
    if (row !== null) rows.push(row);
  }
  return rows;
}

function readRow(cells: string[], header: string[]): ProgressRow | null {
  const phase = PHASE_CELL.exec(cells[0] ?? '');
  const key = phase === null ? null : normalizePhaseId(phase[1] ?? '');
  if (key === null) return null;
  let complete: number | null = null;
  let total: number | null = null;
  let status: string | null = null;
  const kinds: string[] = ['phase'];
  for (const cell of cells.slice(1)) {
    const count = COUNT_CELL.exec(cell);
    if (count !== null && complete === null) {
      complete = Number(count[1]);
      total = count[2] !== undefined && /^\d+$/.test(count[2]) ? Number(count[2]) : null;
      kinds.push('plans');
    } else if (VERSION_CELL.test(cell)) kinds.push('milestone');
    else if (DATE_CELL.test(cell)) kinds.push('completed');
    else if (cell === '' || cell === '-' || cell === '—') kinds.push('empty');
    else if (status === null) {
      status = cell;
      kinds.push('status');
    } else kinds.push('other');
  }
  const expected = (name: string): number => header.findIndex((title) => title.startsWith(name));
  const at = (name: string): number => kinds.indexOf(name);
  const shifted =
    (at('plans') !== -1 && expected('plans') !== -1 && at('plans') !== expected('plans')) ||
    (at('status') !== -1 && expected('status') !== -1 && at('status') !== expected('status'));
  return { key, complete, total, status, shifted };
}

/** Whether a table status cell says the phase is done (`Complete`, `✓ Complete`, `Done`, `Shipped`). */
export function isCompleteStatus(status: string | null): boolean {
  return status !== null && /^(?:[✓✅☑]\s*)?(?:complete|completed|done|shipped)\b/i.test(status.trim());
}
