/**
 * Format detection on a log's first non-empty lines. A decorated line is unified logging when its
 * brackets parse as decorators and one of them is a time, an uptime or a level, or the tag set
 * starts with gc (JDK 8 lines may start with '[' too, "[GC (Allocation Failure) …", but never
 * with a bracket a decorator could have written). Decorations that say none of that (pid, tid,
 * host name) and an undecorated (-Xlog:…:none) log are recognised by the words only unified
 * logging writes first: "Using <collector>" or "GC(12) ".
 */
import { announcedCollector } from './collector.js';
import { Decorations } from './decorations.js';
import { isDigit } from './numbers.js';

const decorations = new Decorations();

export function looksLikeUnifiedLine(text: string): boolean {
  let start = 0;
  while (start < text.length && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  if (text.charCodeAt(start) === 91) {
    if (!decorations.scan(text, start, text.length)) return false;
    if (decorations.hasTimeOrLevel || (decorations.tagsStart >= 0 && text.startsWith('gc', decorations.tagsStart))) return true;
    start = decorations.messageStart;
  }
  if (text.startsWith('GC(', start)) {
    let pos = start + 3;
    while (pos < text.length && isDigit(text.charCodeAt(pos))) pos++;
    return pos > start + 3 && text.startsWith(') ', pos);
  }
  return announcedCollector(text, start, text.length) !== undefined;
}
