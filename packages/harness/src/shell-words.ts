import { quoteShellWord } from '@gsd/core';

/**
 * The command line for `run -- …`: one word is a shell command line as given (pipes, `&&`, …);
 * several words are a program and its arguments, each passed exactly.
 */
export function commandLineFromWords(words: readonly string[]): string {
  if (words.length === 1) return words[0] as string;
  return words.map(quoteShellWord).join(' ');
}
