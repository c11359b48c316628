/**
 * Phase ids as GSD writes them: an optional workstream prefix, an integer, an optional letter and
 * decimal insertions (`2`, `02.1`, `12A`, `111`, `WS-3`). ROADMAP prose is usually unpadded while
 * directories and plan files are padded, so ids are compared by a normalised key.
 */
export const PHASE_ID_SOURCE = String.raw`(?:[A-Z]{1,6}-)?\d+[A-Za-z]?(?:\.\d+)*`;

const PHASE_ID = new RegExp(String.raw`^(?:([A-Z]{1,6})-)?(\d+)([A-Za-z]?)((?:\.\d+)*)$`);

/** Integer part of the backlog phases (`999.1`, `999.2`…), which are parked ideas, not planned work. */
export const BACKLOG_PHASE = 999;

interface PhaseIdParts {
  prefix: string;
  integer: number;
  letter: string;
  decimals: number[];
}

function splitPhaseId(id: string): PhaseIdParts | null {
  const match = PHASE_ID.exec(id.trim());
  if (match === null) return null;
  const decimals = (match[4] ?? '')
    .split('.')
    .filter((part) => part !== '')
    .map(Number);
  return { prefix: match[1] ?? '', integer: Number(match[2]), letter: match[3] ?? '', decimals };
}

/** `2.1` → `02.1`, `0114` → `114`, `12A` → `12A`; null when `id` is not a phase id. */
export function normalizePhaseId(id: string): string | null {
  const parts = splitPhaseId(id);
  if (parts === null || !Number.isSafeInteger(parts.integer)) return null;
  const integer = String(parts.integer).padStart(2, '0');
  const decimals = parts.decimals.map((n) => `.${n}`).join('');
  return `${parts.prefix === '' ? '' : `${parts.prefix}-`}${integer}${parts.letter}${decimals}`;
}

/** The unpadded form used in ROADMAP prose (`02.1` → `2.1`), for phases known only from disk. */
export function displayPhaseId(id: string): string {
  const parts = splitPhaseId(id);
  if (parts === null) return id;
  const decimals = parts.decimals.map((n) => `.${n}`).join('');
  return `${parts.prefix === '' ? '' : `${parts.prefix}-`}${parts.integer}${parts.letter}${decimals}`;
}

/** The integer part of a phase id (`2.1` → 2), or NaN. */
export function phaseInteger(id: string): number {
  return splitPhaseId(id)?.integer ?? Number.NaN;
}

export function isBacklogPhase(id: string): boolean {
  return phaseInteger(id) === BACKLOG_PHASE;
}

/** Orders phase ids as GSD executes them: 2 < 2.1 < 2.2 < 3 < 12 < 12A < 111. */
export function comparePhaseIds(a: string, b: string): number {
  const x = splitPhaseId(a);
  const y = splitPhaseId(b);
  if (x === null || y === null) return x === null ? (y === null ? a.localeCompare(b) : 1) : -1;
  if (x.prefix !== y.prefix) return x.prefix.localeCompare(y.prefix);
  if (x.integer !== y.integer) return x.integer - y.integer;
  if (x.letter !== y.letter) return x.letter.localeCompare(y.letter);
  for (let i = 0; i < Math.max(x.decimals.length, y.decimals.length); i++) {
    const difference = (x.decimals[i] ?? -1) - (y.decimals[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** `<padded phase>-<MM>`, e.g. `02.1-03`. */
export function formatPlanId(phaseKey: string, planNumber: number): string {
  return `${phaseKey}-${String(planNumber).padStart(2, '0')}`;
}

const PLAN_ID = new RegExp(String.raw`^(${PHASE_ID_SOURCE})-(\d{1,3})$`);

/** Normalises a plan id as written (`2.1-1`, `02.1-01`); null when it is not one. */
export function normalizePlanId(id: string): { phaseKey: string; planId: string } | null {
  const match = PLAN_ID.exec(id.trim());
  if (match === null) return null;
  const phaseKey = normalizePhaseId(match[1] ?? '');
  if (phaseKey === null) return null;
  return { phaseKey, planId: formatPlanId(phaseKey, Number(match[2])) };
}
