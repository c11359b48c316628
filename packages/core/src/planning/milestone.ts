import { stripEmphasis } from './markdown.js';
import { PHASE_ID_SOURCE } from './phase-id.js';

export type MilestoneStatus = 'shipped' | 'active' | 'planned' | null;

/** A milestone as ROADMAP.md names it in its `## Milestones` list, a heading or a `<summary>`. */
export interface MilestoneMention {
  version: string;
  name: string;
  status: MilestoneStatus;
  /** `Phases 1-4` → `['1', '4']`; one phase → the same id twice. */
  phases: [string, string] | null;
}

const VERSION = /\b(v\d+(?:\.\d+)*)\b/i;
const RANGE = new RegExp(
  String.raw`\bPhases?\s+(${PHASE_ID_SOURCE})(?:\s*(?:-|–|—|to|through)\s*(${PHASE_ID_SOURCE}))?`,
  'i',
);

/** The status a milestone's emoji signals (✅ shipped, 🚧 active, 📋 planned). */
function emojiStatus(text: string): MilestoneStatus {
  if (text.includes('✅')) return 'shipped';
  if (/🚧|🔄/u.test(text)) return 'active';
  if (text.includes('📋')) return 'planned';
  return null;
}

/** The status the words after a milestone's name signal: `(shipped DATE)`, `(In Progress)`, `— SHIPPED`. */
function milestoneStatus(text: string): MilestoneStatus {
  if (/\bshipped\b|\bcompleted?\b|\bdone\b/i.test(text)) return 'shipped';
  if (/\bin[ -]progress\b|\bactive\b|\bcurrent\b/i.test(text)) return 'active';
  if (/\bplanned\b|\bnext\b|\bupcoming\b/i.test(text)) return 'planned';
  return emojiStatus(text);
}

/**
 * Reads a milestone from one line of ROADMAP.md: a bullet (`- ✅ **v1.0 MVP** — Phases 1-4 (shipped …)`),
 * a heading text (`🚧 v1.1 Name (In Progress)`) or a `<summary>`. Null when the line names none.
 */
export function parseMilestoneMention(text: string): MilestoneMention | null {
  const plain = stripEmphasis(text.replace(/<\/?summary>/gi, '')).replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
  const version = VERSION.exec(plain);
  if (version === null) return null;
  // A version deep inside a sentence ("Fix bugs reported in v1.0") is not a milestone line.
  const before = plain.slice(0, version.index).replace(/[^\p{L}\p{N}]/gu, '');
  if (before.length > 0 && !/^(milestone|release)$/i.test(before)) return null;
  const after = plain.slice(version.index + (version[1] ?? '').length);
  const name = after.split(/\s+[—–-]\s+|\s*\(|\s+Phases?\s+\d/)[0] ?? '';
  const tail = after.slice(name.length);
  const range = RANGE.exec(plain);
  return {
    version: (version[1] ?? '').toLowerCase(),
    name: name.replace(/^[\s:]+/, '').trim(),
    status: emojiStatus(plain) ?? milestoneStatus(tail),
    phases: range === null ? null : [range[1] ?? '', range[2] ?? range[1] ?? ''],
  };
}
