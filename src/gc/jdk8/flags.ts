/**
 * "CommandLine flags: -XX:InitialHeapSize=… -XX:MaxHeapSize=… -XX:+UseG1GC …", the third line of
 * every JDK 8 GC log (and of every rotated file): heap sizing, and the collector it asks for.
 */
import type { Collector } from '../events.js';

export interface FlagFacts {
  readonly maxHeapBytes: number | undefined;
  readonly initialHeapBytes: number | undefined;
  readonly regionSizeBytes: number | undefined;
  readonly collector: Collector | undefined;
}

const COLLECTOR_FLAGS: ReadonlyArray<readonly [string, Collector]> = [
  ['-XX:+UseG1GC', 'G1'],
  ['-XX:+UseConcMarkSweepGC', 'CMS'],
  ['-XX:+UseParallelOldGC', 'Parallel'],
  ['-XX:+UseParallelGC', 'Parallel'],
  ['-XX:+UseSerialGC', 'Serial'],
  ['-XX:+UseShenandoahGC', 'Shenandoah'],
  ['-XX:+UseEpsilonGC', 'Epsilon'],
];

function numericFlag(text: string, name: string): number | undefined {
  const at = text.indexOf(`-XX:${name}=`);
  if (at < 0) return undefined;
  const value = /^\d+/.exec(text.slice(at + name.length + 5, at + name.length + 30));
  return value === null ? undefined : Number(value[0]);
}

export function readCommandLineFlags(text: string): FlagFacts {
  return {
    maxHeapBytes: numericFlag(text, 'MaxHeapSize'),
    initialHeapBytes: numericFlag(text, 'InitialHeapSize'),
    regionSizeBytes: numericFlag(text, 'G1HeapRegionSize'),
    collector: COLLECTOR_FLAGS.find(([flag]) => text.includes(`${flag} `) || text.endsWith(flag))?.[1],
  };
}
