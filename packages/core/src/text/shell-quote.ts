const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes `word` for `/bin/sh` when it holds anything the shell would interpret. */
export function quoteShellWord(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
