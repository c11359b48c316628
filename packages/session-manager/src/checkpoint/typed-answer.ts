/**
 * An answer typed key by key into a terminal (an attached terminal, the dashboard's terminal): the
 * line as a person sees it once typed, so that the recorded answer is `approved`, not `a`.
 */

/** Keys that continue an answer if they come within this long of the previous key. */
export const TYPING_IDLE_MS = 10_000;

export interface TypedLine {
  line: string;
  /** Enter was pressed: the answer is complete. */
  complete: boolean;
  /** Keys after that Enter. */
  rest: string;
}

const ESC = '\u001b';

/**
 * Applies `keys` to `line` the way a terminal's line editor would: printable text is added,
 * Backspace (DEL or BS) removes the last character, Ctrl-U clears the line, escape sequences (arrows,
 * bracketed-paste markers) and other control keys are ignored, and the first Enter (CR or LF) ends it.
 */
export function typeKeys(line: string, keys: string): TypedLine {
  let chars = [...line];
  const input = [...keys];
  for (let i = 0; i < input.length; i++) {
    const key = input[i] as string;
    if (key === '\r' || key === '\n') {
      const end = key === '\r' && input[i + 1] === '\n' ? i + 2 : i + 1;
      return { line: chars.join(''), complete: true, rest: input.slice(end).join('') };
    }
    if (key === '\u007f' || key === '\b') {
      chars.pop();
    } else if (key === '\u0015') {
      chars = [];
    } else if (key === ESC) {
      i = skipEscape(input, i);
    } else if (key === '\t' || key >= ' ') {
      chars.push(key);
    }
  }
  return { line: chars.join(''), complete: false, rest: '' };
}

/**
 * Input that answers a checkpoint, as its recorded answer: each line edited as `typeKeys` does, line
 * breaks between lines kept, trailing ones dropped. Complete if it has an Enter.
 */
export function typedAnswer(keys: string): TypedLine {
  const lines: string[] = [];
  let typed = typeKeys('', keys);
  const complete = typed.complete;
  lines.push(typed.line);
  while (typed.complete && typed.rest !== '') {
    typed = typeKeys('', typed.rest);
    lines.push(typed.line);
  }
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return { line: lines.join('\n'), complete, rest: '' };
}

/** Whether input answers a checkpoint: it types something or presses Enter (not only arrows, focus or mouse reports). */
export function answersCheckpoint(keys: string): boolean {
  const typed = typeKeys('', keys);
  return typed.complete || typed.line !== '';
}

/** The index of the last character of the escape sequence that starts at `start`. */
function skipEscape(keys: readonly string[], start: number): number {
  const next = keys[start + 1];
  if (next === '[') {
    // CSI: parameters and intermediates up to a final character in @ to ~.
    let i = start + 2;
    while (i < keys.length && !((keys[i] as string) >= '@' && (keys[i] as string) <= '~')) i++;
    return i;
  }
  // SS3 (`ESC O A`, arrows in application mode) or a two-character sequence (Alt-key).
  if (next === 'O') return Math.min(start + 2, keys.length - 1);
  return Math.min(start + 1, keys.length - 1);
}

/**
 * The screen without the echo of an answer being typed: `line` removed from the end of its last
 * non-blank line (where a terminal's cursor leaves it), so the checkpoint above can be read again.
 */
export function withoutTypedLine(screen: string, line: string): string {
  const lines = screen.replace(/\s+$/, '').split('\n');
  const last = (lines[lines.length - 1] ?? '').trimEnd();
  if (line === '' || !last.endsWith(line.trimEnd())) return screen;
  const kept = last.slice(0, last.length - line.trimEnd().length);
  if (kept.trim() === '') lines.pop();
  else lines[lines.length - 1] = kept;
  return lines.join('\n');
}
