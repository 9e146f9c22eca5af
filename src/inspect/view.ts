/** Shared by the inspect reports (text, HTML) and the web app's live view: reading the JSON's figures. */
import type { LimitJson, TaskManagerJson } from './result.js';

/** A decimal byte string of the inspect JSON as an exact bigint; undefined where the figure is missing. */
export const bytesOf = (s: string | null | undefined): bigint | undefined =>
  s === null || s === undefined || !/^\d+$/.test(s) ? undefined : BigInt(s);

/** Whole percent, rounded half up (7.98% is 8); undefined when either side is missing or the whole is zero. */
export function wholePercent(part: string | null | undefined, whole: string | null | undefined): number | undefined {
  const p = bytesOf(part);
  const w = bytesOf(whole);
  return p === undefined || w === undefined || w === 0n ? undefined : Number((p * 200n + w) / (2n * w));
}

/** The components a TaskManager or JobManager reports, in the order of the model, with people's names. */
export const COMPONENT_ROWS: ReadonlyArray<readonly [key: string, label: string]> = [
  ['frameworkHeap', 'Framework Heap'],
  ['taskHeap', 'Task Heap'],
  ['frameworkOffHeap', 'Framework Off-Heap'],
  ['taskOffHeap', 'Task Off-Heap'],
  ['network', 'Network'],
  ['managed', 'Managed'],
  ['jvmMetaspace', 'JVM Metaspace'],
  ['jvmOverhead', 'JVM Overhead'],
  ['totalFlinkMemory', 'Total Flink Memory'],
  ['totalProcessMemory', 'Total Process Memory'],
  ['jvmHeap', 'JVM Heap'],
  ['offHeap', 'Off-Heap'],
];

/** Sizes from 2^63 - 1024 up are Flink's "unlimited" (MemorySize.MAX_VALUE). */
const UNLIMITED = 2n ** 63n - 1024n;

/** A byte string as text: `unlimited` for Long.MAX_VALUE and its neighbours, `-` when missing. */
export function sizeText(s: string | null | undefined, format: (bytes: bigint) => string): string {
  const b = bytesOf(s);
  if (b === undefined) return '-';
  return b >= UNLIMITED ? 'unlimited' : format(b);
}

export type UsageKind = 'heap' | 'managed' | 'network' | 'metaspace';

const USED: Readonly<Record<UsageKind, readonly [used: keyof TaskManagerJson['used'], max: keyof TaskManagerJson['used'], configured: string]>> = {
  heap: ['heapUsed', 'heapMax', 'jvmHeap'],
  managed: ['managedUsed', 'managedTotal', 'managed'],
  network: ['networkUsed', 'networkTotal', 'network'],
  metaspace: ['metaspaceUsed', 'metaspaceMax', 'jvmMetaspace'],
};

/**
 * One "used / max pct%" cell of a TaskManager, saying whose the max is: the running JVM's figure
 * plain, a configured one marked "(configured)", a re-derived one "(re-derived)", and "no limit"
 * where the JVM reports none (a `.Max` of -1) or the size is unlimited. A configured figure is never
 * shown as if the JVM had reported it.
 */
export function usageCell(t: TaskManagerJson, kind: UsageKind, format: (bytes: bigint) => string): string {
  const [usedKey, maxKey, configuredKey] = USED[kind];
  const used = t.used[usedKey];
  const limit: LimitJson | undefined = (t as Partial<TaskManagerJson>).limits?.[kind];
  let max: string | null;
  let mark = '';
  if (limit !== undefined) {
    if (limit.unlimited) return `${sizeText(used, format)} / no limit`;
    max = limit.bytes;
    if (limit.source === 'configured') mark = ' (configured)';
    else if (limit.source === 're-derived') mark = ' (re-derived)';
  } else {
    max = t.used[maxKey];
    if (max === null && t.configured?.[configuredKey] !== undefined) {
      max = t.configured[configuredKey]!;
      mark = t.configuredSource === 'model' ? ' (re-derived)' : ' (configured)';
    }
  }
  if (used === null && max === null) return '-';
  const pct = wholePercent(used, max);
  return `${sizeText(used, format)} / ${sizeText(max, format)}${mark}${pct === undefined ? '' : ` ${pct}%`}`;
}
