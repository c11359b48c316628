import type { CheckpointType } from './types.js';

/**
 * The checkpoint kind a type name or title stands for: `human-verify`, `Verification Required`,
 * `Decision`, `Authentication Required`, …; null when the words say nothing about it.
 */
export function typeFromWords(words: string | null): CheckpointType | null {
  if (words === null) return null;
  const text = words.toLowerCase();
  if (/verify-work|\buat\b/.test(text)) return 'verify-work';
  if (/decision|decide|choice|choose/.test(text)) return 'decision';
  if (/action|auth|login|credential|manual|setup/.test(text)) return 'human-action';
  if (/verif|review|check|approv|test/.test(text)) return 'human-verify';
  return null;
}

/** What the body of a presentation shows, for telling the kinds apart when its heading does not. */
export interface TypeEvidence {
  /** The `Type:` field of an executor return or orchestrator presentation. */
  typeField: string | null;
  title: string | null;
  /** A `Test N: name` line (the verify-work prompt). */
  test: boolean;
  options: number;
  decision: boolean;
  actionSteps: number;
  attempted: boolean;
  verifySteps: number;
  built: boolean;
  keywords: string[];
}

/**
 * Decides the kind in order of how directly the screen says it: an explicit `Type:` field, a
 * verify-work test line, the heading's words, the sections shown, and last what the agent asks to be
 * typed.
 */
export function inferType(evidence: TypeEvidence): CheckpointType {
  const named = typeFromWords(evidence.typeField);
  if (named !== null) return named;
  if (evidence.test) return 'verify-work';
  const titled = typeFromWords(evidence.title);
  if (titled !== null) return titled;
  if (evidence.options > 0 || evidence.decision) return 'decision';
  if (evidence.actionSteps > 0 || evidence.attempted) return 'human-action';
  if (evidence.verifySteps > 0 || evidence.built) return 'human-verify';
  const keywords = evidence.keywords.map((word) => word.toLowerCase());
  if (keywords.includes('done')) return 'human-action';
  if (keywords.includes('pass')) return 'verify-work';
  return 'human-verify';
}
