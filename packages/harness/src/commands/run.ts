import type { CommonOptions } from '../config.js';
import { CliError } from '../errors.js';
import { runInForeground } from '../foreground.js';
import { commandLineFromWords } from '../shell-words.js';

export { exitStatusOf } from '../foreground.js';

export interface RunOptions extends CommonOptions {
  pty?: boolean;
  dir?: string;
}

/** Runs one command as a recorded session, with its output on this terminal; resolves to its exit status. */
export async function runCommand(commandWords: string[], options: RunOptions): Promise<number> {
  const command = commandLineFromWords(commandWords);
  if (command.trim() === '') {
    throw new CliError('Expected a command after `--`, e.g. `gsd-harness run -- echo hello`', 2);
  }
  const pty = options.pty === true;
  return runInForeground(options, (manager, size) =>
    manager.spawn(options.dir ?? process.cwd(), command, { pty, ...(pty ? size : {}) }),
  );
}
