const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes `word` for `/bin/sh` when it holds anything the shell would interpret. */
export function quoteShellWord(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command line for `run -- …`: one word is a shell command line as given (pipes, `&&`, …);
 * several words are a program and its arguments, each passed exactly.
 */
export function commandLineFromWords(words: readonly string[]): string {
  if (words.length === 1) return words[0] as string;
  return words.map(quoteShellWord).join(' ');
}
