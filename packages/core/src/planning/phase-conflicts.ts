import type { PhaseSource } from './phases.js';
import { isCompleteStatus, type ProgressRow } from './progress-table.js';
import type { StateConflict } from './types.js';

/** One plan of a phase as the files and the roadmap's plan list show it together. */
export interface PlanRow {
  planId: string;
  /** Relative to `.planning/`. */
  planPath: string | null;
  hasSummary: boolean;
  hasCheckpoints: boolean;
  /** In the roadmap's plan list, checked off or not, and written as a PLAN file name. */
  listed: boolean;
  checked: boolean;
  namesFile: boolean;
}

export interface PhaseReading {
  source: PhaseSource;
  rows: readonly PlanRow[];
  row: ProgressRow | undefined;
  plansComplete: number;
  plansTotal: number;
  complete: boolean;
  /** Checked off, in a shipped milestone, or (lacking both) `Complete` in the progress table. */
  doneByRoadmap: boolean;
  /** Checked off or in a shipped milestone. */
  checkedOff: boolean;
  /** Every plan has a SUMMARY. */
  doneOnDisk: boolean;
}

/** Where the roadmap and the files disagree about one phase, and which was believed. */
export function phaseConflicts(reading: PhaseReading): StateConflict[] {
  const { source, rows, row, plansComplete, plansTotal, complete, doneByRoadmap, checkedOff, doneOnDisk } =
    reading;
  const conflicts: StateConflict[] = [];
  const where = source.source;
  if (doneByRoadmap && rows.some((r) => !r.hasSummary)) {
    const summaries = rows.filter((r) => r.hasSummary).length;
    conflicts.push({
      field: `phase ${source.id} plans complete`,
      sources: {
        [where]:
          checkedOff && source.checked !== true
            ? `in shipped milestone ${source.milestone ?? ''}`.trim()
            : 'complete',
        disk: `${summaries} of ${rows.length} plans have a SUMMARY`,
      },
      chosen: where,
      reason: 'the roadmap marks the phase done; SUMMARY files are not always committed',
    });
  }
  if (source.checked === false && doneOnDisk) {
    conflicts.push({
      field: `phase ${source.id} status`,
      sources: { [where]: 'not checked off', disk: `every plan (${rows.length}) has a SUMMARY` },
      chosen: 'disk',
      reason:
        'a SUMMARY is written when a plan finishes; the checkbox is ticked later, by hand or by the next command',
    });
  }
  for (const r of rows.filter((r) => r.listed && !r.checked && r.hasSummary)) {
    conflicts.push({
      field: `plan ${r.planId}`,
      sources: { [where]: 'not checked off', disk: 'has a SUMMARY' },
      chosen: 'disk',
      reason: 'a SUMMARY is written when a plan finishes',
    });
  }
  if (source.declaredTotal !== null && rows.length > 0 && source.declaredTotal !== rows.length) {
    conflicts.push({
      field: `phase ${source.id} plan count`,
      sources: {
        [where]: `${source.declaredTotal} plans`,
        'plan files and plan list': `${rows.length} plans`,
      },
      chosen: 'plan files and plan list',
      reason: 'the declared count is written at planning time; plans are added later (gap closure)',
    });
  }
  if (row !== undefined)
    conflicts.push(...tableConflicts(source.id, row, plansComplete, plansTotal, complete));

  return conflicts;
}

const TABLE = 'ROADMAP.md progress table';
const TABLE_REASON = 'the progress table is the part of ROADMAP.md updated least reliably';

function tableConflicts(
  id: string,
  row: ProgressRow,
  plansComplete: number,
  plansTotal: number,
  complete: boolean,
): StateConflict[] {
  const conflicts: StateConflict[] = [];
  if (
    row.complete !== null &&
    row.total !== null &&
    (row.complete !== plansComplete || row.total !== plansTotal)
  ) {
    conflicts.push({
      field: `phase ${id} plans complete`,
      sources: {
        [TABLE]: `${row.complete}/${row.total}`,
        'checklist and files': `${plansComplete}/${plansTotal}`,
      },
      chosen: 'checklist and files',
      reason: TABLE_REASON,
    });
  }
  if (row.status !== null && isCompleteStatus(row.status) !== complete) {
    conflicts.push({
      field: `phase ${id} status`,
      sources: { [TABLE]: row.status, 'checklist and files': complete ? 'complete' : 'not complete' },
      chosen: 'checklist and files',
      reason: TABLE_REASON,
    });
  }
  return conflicts;
}
