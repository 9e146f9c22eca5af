/**
 * The words of a pause line between "Pause" and its figures: a name, then parenthesised groups
 * that are, depending on the collector, a G1 young type ("Normal"), the GC cause ("System.gc()",
 * itself with parentheses), or qualifiers ("unload classes", "Outside of Cycle").
 */

export interface PauseWords {
  /** "Young", "Init Mark", "Degenerated GC", "Mark Start". */
  readonly name: string;
  readonly groups: readonly string[];
}

/** Splits `text[start, end)` (just after "Pause "); undefined when the groups are not balanced. */
export function splitPauseWords(text: string, start: number, end: number): PauseWords | undefined {
  let open = text.indexOf('(', start);
  if (open < 0 || open >= end) open = end;
  const name = text.slice(start, open).trim();
  if (name.length === 0) return undefined;
  const groups: string[] = [];
  let pos = open;
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c === 32) {
      pos++;
      continue;
    }
    if (c !== 40) return undefined;
    let depth = 1;
    let close = pos + 1;
    for (; close < end && depth > 0; close++) {
      const d = text.charCodeAt(close);
      if (d === 40) depth++;
      else if (d === 41) depth--;
    }
    if (depth !== 0) return undefined;
    groups.push(text.slice(pos + 1, close - 1));
    pos = close;
  }
  return { name, groups };
}
