import { parseHeading, stripEmphasis, toLines } from './markdown.js';
import { parseMilestoneMention, type MilestoneMention } from './milestone.js';
import { normalizePhaseId, normalizePlanId, PHASE_ID_SOURCE } from './phase-id.js';
import { parseProgressTables, type ProgressRow } from './progress-table.js';

/** A phase as one ROADMAP (or archived milestone roadmap) lists it. */
export interface RoadmapPhase {
  /** As written, e.g. `2.1`. */
  id: string;
  /** Normalised, e.g. `02.1`. */
  key: string;
  name: string;
  /** The checklist box; null when the phase only has a details heading. */
  checked: boolean | null;
  /** From `(3/3 plans)` or `**Plans**: 3 plans` / `1/1 plans complete`; null for TBD. */
  declaredTotal: number | null;
  declaredComplete: number | null;
  milestone: string | null;
  /** Listed inside a shipped milestone (a collapsed `<details>` block or a ✅ heading). */
  shipped: boolean;
  /** Listed inside a `<details>` block, where complete-milestone files finished milestones away. */
  collapsed: boolean;
}

/** A `- [x] 01-02: …` / `- [ ] 01-02-PLAN.md — …` line under a phase's `Plans:`. */
export interface RoadmapPlan {
  planId: string;
  phaseKey: string;
  checked: boolean;
  /** Written as a PLAN file name, which plan-phase does once the plan exists. */
  namesFile: boolean;
}

export interface Roadmap {
  title: string | null;
  phases: RoadmapPhase[];
  plans: RoadmapPlan[];
  milestones: MilestoneMention[];
  progress: ProgressRow[];
  warnings: string[];
}

const ID = PHASE_ID_SOURCE;
const CHECKBOX = /^\s*[-*+]\s+\[([ xX✓])\]\s+(.*)$/;
const PHASE_TEXT = new RegExp(String.raw`^Phase\s+(${ID})\s*(?::|\.|—|–|-)\s*(.*)$`, 'i');
const PHASE_HEADING = new RegExp(
  String.raw`^(?:\*\*)?Phase\s+(${ID})\s*(?::|\.|—|–|-)\s*(.*?)(?:\*\*)?$`,
  'i',
);
const PLAN_LINE = new RegExp(
  String.raw`^(?:[-*+]\s+(?:\[([ xX✓])\]\s+)?)(?:\*\*)?(${ID}-\d{1,3})(-PLAN\.md)?(?:\*\*)?(?=\s|:|$)\s*(?:[:—–-]\s*)?(.*)$`,
);
const PLANS_FIELD = /^\s*(?:[-*]\s+)?(?:\*\*)?Plans(?:\*\*)?\s*:\s*(?:\*\*)?\s*(.*)$/i;
const DECLARED_COUNT = /\((\d+)\s*\/\s*(\d+)\s+plans?\)/i;
const PLACEHOLDER = /^(?:TBD|TODO|to be (?:planned|determined))\b/i;

/** Strips the markers GSD appends to a phase name: `(INSERTED)`, `✓ DATE`, `(completed DATE)`, counts. */
function cleanPhaseName(text: string): string {
  return stripEmphasis(text)
    .replace(/\s*\((?:\d+\s*\/\s*\d+\s+plans?|completed?[^)]*|INSERTED)\)/gi, '')
    .replace(/\s*[✓✅].*$/u, '')
    .replace(/\s+[—–]\s+completed?\b.*$/i, '')
    .trim();
}

/** Splits the text after `Phase N:` in a checklist line into the name and the description after it. */
function checklistName(rest: string): string {
  const bold = /^\*\*(?:~~)?Phase\s+[^:*]+:\s*(.*?)\*\*/i.exec(rest);
  if (bold !== null) return cleanPhaseName(bold[1] ?? '');
  const match = PHASE_TEXT.exec(stripEmphasis(rest));
  const text = match?.[2] ?? '';
  const name = text.split(/\s+\(\d+\s*\/\s*\d+\s+plans?\)|\s+[—–]\s+|\s+-\s+/i)[0] ?? text;
  return cleanPhaseName(name);
}

/** Where the line being read sits: inside a `<details>` block, under a milestone heading, under a phase heading. */
interface Context {
  inDetails: boolean;
  detailsMilestone: MilestoneMention | null;
  sectionMilestone: MilestoneMention | null;
  phaseKey: string | null;
  phaseHeadingLevel: number;
}

/** Reads the phases, plans, milestones and progress table of a ROADMAP.md (any GSD version). Never throws. */
export function parseRoadmap(text: string): Roadmap {
  const lines = toLines(text);
  const reader = new RoadmapReader();
  for (const line of lines) reader.read(line);
  const roadmap = reader.roadmap;
  roadmap.milestones.push(...milestoneList(lines));
  roadmap.progress = parseProgressTables(lines);
  assignMilestoneRanges(roadmap);
  if (roadmap.phases.length === 0) roadmap.warnings.push('lists no phases');
  return roadmap;
}

class RoadmapReader {
  readonly roadmap: Roadmap = {
    title: null,
    phases: [],
    plans: [],
    milestones: [],
    progress: [],
    warnings: [],
  };
  private readonly byKey = new Map<string, RoadmapPhase>();
  private readonly context: Context = {
    inDetails: false,
    detailsMilestone: null,
    sectionMilestone: null,
    phaseKey: null,
    phaseHeadingLevel: 0,
  };

  read(line: string): void {
    this.readDetailsTags(line);
    const heading = parseHeading(line);
    if (heading !== null) this.readHeading(heading.level, heading.text);
    else if (!this.readChecklistPhase(line) && !this.readPlanLine(line)) this.readPlansField(line);
  }

  private readDetailsTags(line: string): void {
    const context = this.context;
    if (/<details\b/i.test(line)) {
      context.inDetails = true;
      context.detailsMilestone = null;
    }
    const summary = /<summary>(.*?)(?:<\/summary>|$)/i.exec(line);
    if (summary !== null && context.inDetails) {
      context.detailsMilestone = parseMilestoneMention(summary[1] ?? '');
      if (context.detailsMilestone !== null) this.roadmap.milestones.push(context.detailsMilestone);
    }
    if (/<\/details>/i.test(line)) {
      context.inDetails = false;
      context.detailsMilestone = null;
    }
  }

  private readHeading(level: number, text: string): void {
    const context = this.context;
    if (level === 1) {
      const title = /^(?:Roadmap|Project Roadmap)\s*[:—–-]\s*(.+)$/i.exec(stripEmphasis(text));
      if (title !== null) this.roadmap.title ??= (title[1] ?? '').trim();
      return;
    }
    if (context.phaseKey !== null && level <= context.phaseHeadingLevel) context.phaseKey = null;
    const phase = PHASE_HEADING.exec(text.trim());
    const key = phase === null ? null : normalizePhaseId(phase[1] ?? '');
    if (phase !== null && key !== null) {
      this.phaseFor(phase[1] ?? '', key, cleanPhaseName(phase[2] ?? ''));
      context.phaseKey = key;
      context.phaseHeadingLevel = level;
      return;
    }
    if (level > 3) return;
    const milestone = parseMilestoneMention(text);
    if (milestone !== null) {
      context.sectionMilestone = milestone;
      this.roadmap.milestones.push(milestone);
    } else if (level <= 2) context.sectionMilestone = null;
  }

  /** `- [x] **Phase 2.1: Name** - desc` or, in a shipped block, `- [x] Phase 1: Name (3/3 plans) — completed DATE`. */
  private readChecklistPhase(line: string): boolean {
    const box = CHECKBOX.exec(line);
    const rest = box?.[2] ?? '';
    const phaseText = PHASE_TEXT.exec(stripEmphasis(rest));
    // A struck-out phase (`~~Phase 32~~`) was dropped.
    if (box === null || phaseText === null || /^(?:\*\*)?~~/.test(rest)) return false;
    const key = normalizePhaseId(phaseText[1] ?? '');
    if (key === null) return true;
    const phase = this.phaseFor(phaseText[1] ?? '', key, checklistName(rest));
    phase.checked = (box[1] ?? ' ') !== ' ';
    const counts = DECLARED_COUNT.exec(rest);
    if (counts !== null) {
      phase.declaredComplete = Number(counts[1]);
      phase.declaredTotal = Number(counts[2]);
    }
    return true;
  }

  /** `- [ ] 01-02: desc` / `- [x] 01-02-PLAN.md — desc`; `NN-MM: TBD` placeholders are not plans. */
  private readPlanLine(line: string): boolean {
    const plan = PLAN_LINE.exec(line.trim());
    // Without a checkbox, only lines under a phase heading count (a bare id elsewhere is prose).
    if (plan === null || (plan[1] === undefined && this.context.phaseKey === null)) return false;
    const id = normalizePlanId(plan[2] ?? '');
    if (id !== null && !PLACEHOLDER.test(stripEmphasis(plan[4] ?? ''))) {
      this.roadmap.plans.push({
        ...id,
        checked: plan[1] !== undefined && plan[1] !== ' ',
        namesFile: plan[3] !== undefined,
      });
    }
    return true;
  }

  /** `**Plans**: 3 plans`, `**Plans:** 1/1 plans complete`, `**Plans**: 1`; TBD says nothing. */
  private readPlansField(line: string): void {
    const field = PLANS_FIELD.exec(line);
    const phase = this.context.phaseKey === null ? undefined : this.byKey.get(this.context.phaseKey);
    if (field === null || phase === undefined) return;
    const value = stripEmphasis(field[1] ?? '');
    const ratio = /^(\d+)\s*\/\s*(\d+)/.exec(value);
    const count = /^(\d+)\b/.exec(value);
    if (ratio !== null) {
      phase.declaredComplete ??= Number(ratio[1]);
      phase.declaredTotal ??= Number(ratio[2]);
    } else if (count !== null) phase.declaredTotal ??= Number(count[1]);
  }

  /** The phase with this key, created on first sight in the milestone the current line sits in. */
  private phaseFor(id: string, key: string, name: string): RoadmapPhase {
    const { inDetails, detailsMilestone, sectionMilestone } = this.context;
    const milestone = inDetails ? detailsMilestone : sectionMilestone;
    const known = this.byKey.get(key);
    if (known !== undefined) {
      if (known.name === '') known.name = name;
      if (known.milestone === null && milestone !== null) known.milestone = milestone.version;
      return known;
    }
    const phase: RoadmapPhase = {
      id,
      key,
      name,
      checked: null,
      declaredTotal: null,
      declaredComplete: null,
      milestone: milestone?.version ?? null,
      // A collapsed block is how complete-milestone files a shipped milestone away.
      shipped:
        milestone !== null &&
        (inDetails
          ? milestone.status !== 'active' && milestone.status !== 'planned'
          : milestone.status === 'shipped'),
      collapsed: inDetails,
    };
    this.byKey.set(key, phase);
    this.roadmap.phases.push(phase);
    return phase;
  }
}

/** The `## Milestones` bullets: `- ✅ **v1.0 MVP** — Phases 1-4 (shipped DATE)`. */
function milestoneList(lines: readonly string[]): MilestoneMention[] {
  const mentions: MilestoneMention[] = [];
  for (const line of lines) {
    if (CHECKBOX.test(line) || !/^\s*[-*+]\s/.test(line)) continue;
    const mention = parseMilestoneMention(line.replace(/^\s*[-*+]\s+/, ''));
    if (mention !== null && mention.phases !== null) mentions.push(mention);
  }
  return mentions;
}

/** Phases outside any milestone block take the milestone whose `Phases A-B` range holds them. */
function assignMilestoneRanges(roadmap: Roadmap): void {
  for (const phase of roadmap.phases) {
    if (phase.milestone !== null) continue;
    const owner = roadmap.milestones.find((m) => m.phases !== null && inRange(phase.key, m.phases));
    if (owner === undefined) continue;
    phase.milestone = owner.version;
  }
}

function inRange(key: string, [first, last]: [string, string]): boolean {
  const value = Number.parseInt(key.replace(/^[A-Z]+-/, ''), 10);
  const low = Number.parseInt(first.replace(/^[A-Z]+-/, ''), 10);
  const high = Number.parseInt(last.replace(/^[A-Z]+-/, ''), 10);
  return value >= low && value <= high;
}

/** Milestones as listed, one entry per version, later mentions filling what earlier ones lacked. */
export function milestoneIndex(roadmap: Roadmap): Map<string, MilestoneMention> {
  const index = new Map<string, MilestoneMention>();
  for (const mention of roadmap.milestones) {
    const known = index.get(mention.version);
    if (known === undefined) index.set(mention.version, { ...mention });
    else {
      known.status ??= mention.status;
      known.phases ??= mention.phases;
      if (known.name === '') known.name = mention.name;
    }
  }
  return index;
}
