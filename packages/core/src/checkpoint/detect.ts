import { splitAgentPrompt } from './agent-prompt.js';
import { detectErrorBox, detectNextUp } from './command-end.js';
import { detectGsdCheckpoint } from './gsd-checkpoint.js';
import { detectInputPrompt } from './input-prompt.js';
import { toScreenLines } from './screen-line.js';
import type { CheckpointDetails } from './types.js';

/**
 * Decides from the text of a terminal screen (lines joined by `\n`, bottom of the screen last), read
 * once output has gone quiet, whether the session waits for a person: at a GSD checkpoint
 * (`human-verify`, `decision`, `human-action`), at the verify-work test prompt, or at a generic prompt
 * for input. Returns null when the screen shows the agent working, or a presentation still being
 * printed.
 *
 * The text is matched, not the box drawing: models re-render GSD's boxes in ASCII, as markdown or
 * without a box. The stop must be the last thing on the screen; only borders, blank lines and the
 * agent's own input box may follow it.
 */
export function detectCheckpoint(screenText: string): CheckpointDetails | null {
  const screen = splitAgentPrompt(toScreenLines(screenText));
  if (screen.busy) return null;
  return (
    detectGsdCheckpoint(screen.content) ??
    detectNextUp(screen.content) ??
    detectErrorBox(screen.content) ??
    detectInputPrompt(screen.content, screen.promptBox)
  );
}
