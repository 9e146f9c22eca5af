/** Character tests on char codes: the hot paths look at single characters, never at substrings. */

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Index of the first character at or after `i` that is not a space. */
export function skipSpaces(text: string, i: number): number {
  while (text.charCodeAt(i) === 32) i++;
  return i;
}
