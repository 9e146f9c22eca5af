/**
 * JDK 9+ unified logging (-Xlog:gc, -Xlog:gc*, any decorators and levels) for G1, Parallel,
 * Serial, CMS, ZGC (single-generation and generational) and Shenandoah.
 */
import type { GcLogParser } from '../events.js';
import { UnifiedParser } from './parser.js';

export { looksLikeUnifiedLine } from './detect.js';

export function createUnifiedParser(): GcLogParser {
  return new UnifiedParser();
}
