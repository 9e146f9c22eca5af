/** Shared by the inspect reports (text, HTML) and the web app's live view: reading the JSON's figures. */

/** A decimal byte string of the inspect JSON as an exact bigint; undefined where the figure is missing. */
export const bytesOf = (s: string | null | undefined): bigint | undefined =>
  s === null || s === undefined || !/^\d+$/.test(s) ? undefined : BigInt(s);

/** Whole percent, truncated; undefined when either side is missing or the whole is zero. */
export function wholePercent(part: string | null | undefined, whole: string | null | undefined): number | undefined {
  const p = bytesOf(part);
  const w = bytesOf(whole);
  return p === undefined || w === undefined || w === 0n ? undefined : Number((p * 100n) / w);
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
