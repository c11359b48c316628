import type { ScreenLine } from './screen-line.js';

/**
 * A line that opens a stop:
 * - `titled`: `CHECKPOINT: Verification Required` (boxed, ruled or bare), `Checkpoint: Decision` (orchestrator),
 *   `Checkpoint: Human Verification Required` (paraphrase);
 * - `reached`: `## CHECKPOINT REACHED` (executor return);
 * - `phase`: `## ✓ Phase 3: Name — Human Verification Required` (phase-level verification).
 */
export interface CheckpointHeading {
  kind: 'titled' | 'reached' | 'phase';
  title: string;
}

const MARK = '(?:[✓✔⚠⛔🛑]\\s*)?';
const REACHED = new RegExp(`^${MARK}CHECKPOINT\\s+REACHED\\b[.!:]?$`, 'iu');
const TITLED = new RegExp(`^${MARK}checkpoint\\s*[:—–]\\s*(.{1,80})$`, 'iu');
const PHASE = new RegExp(`^${MARK}(Phase\\s+\\S.*?\\s*[—–-]+\\s*Human Verification Required)$`, 'iu');
// The old harness looked for `CHECKPOINT: human-verify`; GSD never prints an upper-case CHECKPOINT with
// a machine type name (the box says `Verification Required`, the orchestrator `Checkpoint: …`).
const MACHINE_NAMED = /^CHECKPOINT:\s*(?:human-verify|human-action|decision|verify)$/;

export function readCheckpointHeading(line: ScreenLine): CheckpointHeading | null {
  if (line.kind !== 'text') return null;
  const text = line.text;
  if (REACHED.test(text)) return { kind: 'reached', title: 'CHECKPOINT REACHED' };
  if (MACHINE_NAMED.test(text)) return null;
  const titled = TITLED.exec(text);
  if (titled !== null) return { kind: 'titled', title: (titled[1] as string).trim() };
  const phase = PHASE.exec(text);
  if (phase !== null) return { kind: 'phase', title: (phase[1] as string).trim() };
  return null;
}

/** `## ▶ Next Up`: GSD's block at the end of a finished command. */
export function isNextUpHeading(line: ScreenLine): boolean {
  return (
    line.kind === 'text' &&
    /^(?:▶\s*)?Next Up$/i.test(line.text) &&
    (line.heading > 0 || line.text.startsWith('▶'))
  );
}

/** The `ERROR` box of GSD's ui-brand: the word alone on a boxed line. */
export function isErrorHeading(lines: ScreenLine[], index: number): boolean {
  const line = lines[index];
  if (line?.kind !== 'text' || !/^(?:[✗✘❌⛔]\s*)?ERROR$/.test(line.text)) return false;
  const above = lines[index - 1];
  return above?.kind === 'rule' && above.rule !== 'single';
}
