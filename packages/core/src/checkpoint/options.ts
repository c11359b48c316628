import type { CheckpointOption } from './types.js';

/** A word the agent would accept as an answer: `supabase`, `option-a`, `nextauth`. */
const OPTION_ID = /^[A-Za-z0-9][\w.-]{0,39}$/;
/** Between an option's id or name and its description: ` - `, ` — `, `: `. */
const SEPARATOR = /\s+[-–—]\s+|:\s+/;

/** Splits a list written in prose (`a, b; c`) into items, leaving commas inside brackets alone. */
export function splitList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if ('([{'.includes(char)) depth++;
    if (')]}'.includes(char)) depth = Math.max(0, depth - 1);
    if (depth === 0 && (char === ',' || char === ';') && /\s/.test(text[i + 1] ?? ' ')) {
      items.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  items.push(current);
  return items.map((item) => item.trim().replace(/\.$/, '')).filter((item) => item !== '');
}

/** Pros and cons written on the option's own line: `option-a: Name - Pros: … Cons: …`. */
function cutInlineProsCons(text: string): { rest: string; pros: string[]; cons: string[] } {
  const at = text.search(/\b(?:pros|cons)\s*:/i);
  if (at < 0) return { rest: text, pros: [], cons: [] };
  const tail = text.slice(at);
  const pros = /\bpros\s*:\s*(.*?)(?=\s*[-–—]?\s*\bcons\s*:|$)/i.exec(tail)?.[1] ?? '';
  const cons = /\bcons\s*:\s*(.*?)(?=\s*[-–—]?\s*\bpros\s*:|$)/i.exec(tail)?.[1] ?? '';
  const rest = text
    .slice(0, at)
    .replace(/\s*[-–—]\s*$/, '')
    .trim();
  return { rest, pros: splitList(pros), cons: splitList(cons) };
}

/**
 * Reads one decision option from its list item: `supabase - Built-in with our DB` (v1.5.9+),
 * `option-id: Name` (v1.0), or plain `Use existing pattern` (then the item number is its id).
 * A menu answered by number (`byNumber`) keeps the number as the id whatever the item says.
 */
export function readOption(body: string, number: number | null, byNumber = false): CheckpointOption {
  const { rest, pros, cons } = cutInlineProsCons(body);
  if (byNumber && number !== null) {
    return { id: String(number), name: rest, description: null, pros, cons };
  }
  const separator = SEPARATOR.exec(rest);
  const head = separator === null ? rest : rest.slice(0, separator.index).trim();
  const tail = separator === null ? '' : rest.slice(separator.index + separator[0].length).trim();
  if (OPTION_ID.test(head)) {
    // `id: Name` names the option; `id - text` describes it and the id is all the name there is.
    const named = separator !== null && separator[0].trim().startsWith(':');
    return {
      id: head,
      name: named && tail !== '' ? tail : head,
      description: named || tail === '' ? null : tail,
      pros,
      cons,
    };
  }
  return {
    id: number === null ? head : String(number),
    name: head,
    description: tail === '' ? null : tail,
    pros,
    cons,
  };
}
