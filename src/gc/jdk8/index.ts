/**
 * The JDK 7/8 GC log format (-XX:+PrintGCDetails with or without date/time stamps): G1, CMS,
 * Parallel, Serial and the Shenandoah backport.
 */
import type { GcLogParser } from '../events.js';
import { Jdk8Parser } from './parser.js';

export { looksLikeJdk8Line } from './detect.js';

export function createJdk8Parser(): GcLogParser {
  return new Jdk8Parser();
}
