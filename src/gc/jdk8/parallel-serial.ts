/**
 * Parallel (PSYoungGen/ParOldGen, JDK 7's PSOldGen/PSPermGen) and Serial (DefNew/Tenured/Perm)
 * as JDK 7/8 print them:
 *   [GC (Allocation Failure) [PSYoungGen: 540800K->1217K(617472K)] 592910K->53464K(2015744K), 0.0082230 secs]
 *   [Full GC (Ergonomics) [PSYoungGen: …] [ParOldGen: …] 204182K->203813K(9306112K), [Metaspace: …], 0.4555626 secs]
 *   [GC (Allocation Failure) 1.2: [DefNew: 1K->2K(3K), 0.01 secs] 4K->5K(6K), 0.01 secs]
 * "[GC-- [PSYoungGen: …]" marks a young collection whose promotion failed.
 */
import type { Generation } from './generations.js';

export const PARALLEL_GENERATIONS: readonly Generation[] = [
  { name: 'PSYoungGen', region: 'young', collector: 'Parallel' },
  { name: 'ASPSYoungGen', region: 'young', collector: 'Parallel' },
  { name: 'ParOldGen', region: 'old', collector: 'Parallel' },
  { name: 'PSOldGen', region: 'old', collector: 'Parallel' },
  { name: 'ASPSOldGen', region: 'old', collector: 'Parallel' },
  { name: 'PSPermGen', region: 'perm', collector: 'Parallel' },
];

export const SERIAL_GENERATIONS: readonly Generation[] = [
  { name: 'DefNew', region: 'young', collector: 'Serial' },
  { name: 'Tenured', region: 'old', collector: 'Serial' },
  { name: 'Perm', region: 'perm', collector: undefined },
];

/** Parallel's mark for a young collection that could not promote everything. */
export const PARALLEL_PROMOTION_FAILED = 'GC--';
