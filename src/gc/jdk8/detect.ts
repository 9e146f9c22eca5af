/**
 * Whether a line is in the JDK 7/8 format, for the engine's choice of parser on the first lines
 * of a file. Unified logging lines start with '[' and a decoration ("[0.018s]", "[info]",
 * "[2019-…]"), never with "[GC", "[Full GC" or "[CMS-": those (and stamps, and the header lines a
 * JDK 8 log starts with) mean JDK 8.
 */
import { isDigit } from './chars.js';
import { openerAt } from './interpret.js';
import { skipStamps } from './timestamps.js';

const HEADERS: readonly string[] = [
  'Java HotSpot(TM) ',
  'OpenJDK 64-Bit ',
  'OpenJDK Server VM',
  'OpenJDK Client VM',
  'CommandLine flags: -XX:',
  '{Heap before GC invocations=',
  'Total time for which application threads were stopped',
  'Application time:',
];
const ROTATION = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GC log file /;

export function looksLikeJdk8Line(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c === 91) return isRecordStart(text, 0);
  // G1 ergonomics lines are indented: " 0.007: [G1Ergonomics (Heap Sizing) …]".
  const from = c === 32 ? 1 : 0;
  const p = skipStamps(text, from);
  if (p > from) {
    return isRecordStart(text, p) || text.startsWith('[G1Ergonomics', p) || HEADERS.some((header) => text.startsWith(header, p));
  }
  if (isDigit(c)) return ROTATION.test(text);
  return from === 0 && HEADERS.some((header) => text.startsWith(header));
}

function isRecordStart(text: string, i: number): boolean {
  if (text.charCodeAt(i) !== 91) return false;
  const opener = openerAt(text, i);
  return opener === 'pause' || (opener === 'concurrent' && !text.startsWith('[Concurrent ', i));
}
