/** Character tests on char codes: the hot paths look at single characters, never at substrings. */

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Index of the first character at or after `i` that is not a space. */
export function skipSpaces(text: string, i: number): number {
  while (text.charCodeAt(i) === 32) i++;
  return i;
}

/** Items grouped by the code of their name's first character (ASCII), so that one lookup rules out most. */
export function byFirstChar<T>(items: readonly T[], nameOf: (item: T) => string): ReadonlyArray<readonly T[] | undefined> {
  const table = new Array<T[] | undefined>(128).fill(undefined);
  for (const item of items) (table[nameOf(item).charCodeAt(0) & 127] ??= []).push(item);
  return table;
}
