import { parseHeading, stripEmphasis, toLines } from './markdown.js';

function firstH1(text: string): string | null {
  for (const line of toLines(text)) {
    const heading = parseHeading(line);
    if (heading !== null && heading.level === 1) return stripEmphasis(heading.text) || null;
  }
  return null;
}

/** The H1 of PROJECT.md, without a `Project:` label. */
export function projectNameFromProject(text: string): string | null {
  const heading = firstH1(text);
  return heading === null ? null : heading.replace(/^(?:Project|PROJECT)\s*[:—–-]\s*/, '').trim() || null;
}

/** `# Project Milestones: <name>` in MILESTONES.md. */
export function projectNameFromMilestones(text: string): string | null {
  const heading = firstH1(text);
  const match = heading === null ? null : /^(?:Project\s+)?Milestones?\s*[:—–-]\s*(.+)$/i.exec(heading);
  return match === null ? null : (match[1] ?? '').trim() || null;
}

/** `project.name` in an old-schema config.json; null (with a problem) when the file is not JSON. */
export function projectNameFromConfig(text: string): { name: string | null; problem: string | null } {
  try {
    const config: unknown = JSON.parse(text);
    if (config === null || typeof config !== 'object') return { name: null, problem: 'is not a JSON object' };
    const project = (config as Record<string, unknown>)['project'];
    const name =
      project !== null && typeof project === 'object' ? (project as Record<string, unknown>)['name'] : null;
    return { name: typeof name === 'string' && name.trim() !== '' ? name.trim() : null, problem: null };
  } catch (error) {
    return { name: null, problem: `is not valid JSON (${(error as Error).message})` };
  }
}
