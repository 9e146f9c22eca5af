/** Character tests on char codes: the hot paths look at single characters, never at substrings. */

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Index of the first character at or after `i` that is not a space. */
export function skipSpaces(text: string, i: number): number {
  while (text.charCodeAt(i) === 32) i++;
  return i;
}

/** Words grouped by the code of their first character (ASCII), so that one lookup rules out most. */
export function byFirstChar(words: readonly string[]): ReadonlyArray<readonly string[] | undefined> {
  const table: Array<string[] | undefined> = new Array<string[] | undefined>(128).fill(undefined);
  for (const word of words) (table[word.charCodeAt(0) & 127] ??= []).push(word);
  return table;
}
