/**
 * The TaskManager and JobManager metrics inspect reads, by Flink's metric identifiers (the REST
 * metrics endpoints and, with `_` for `.`, the Prometheus reporter's names).
 */
import { arr, decimalToBigInt, obj, str, type Json } from './json.js';
import type { RestClient } from './rest-client.js';

export const METRIC = {
  heapUsed: 'Status.JVM.Memory.Heap.Used',
  heapCommitted: 'Status.JVM.Memory.Heap.Committed',
  heapMax: 'Status.JVM.Memory.Heap.Max',
  metaspaceUsed: 'Status.JVM.Memory.Metaspace.Used',
  metaspaceMax: 'Status.JVM.Memory.Metaspace.Max',
  managedUsed: 'Status.Flink.Memory.Managed.Used',
  managedTotal: 'Status.Flink.Memory.Managed.Total',
  networkUsed: 'Status.Shuffle.Netty.UsedMemory',
  networkTotal: 'Status.Shuffle.Netty.TotalMemory',
  networkAvailable: 'Status.Shuffle.Netty.AvailableMemory',
  networkSegmentsUsed: 'Status.Shuffle.Netty.UsedMemorySegments',
  networkSegmentsTotal: 'Status.Shuffle.Netty.TotalMemorySegments',
  /** Flink 1.10 has no UsedMemorySegments: used = total - available. */
  networkSegmentsAvailable: 'Status.Shuffle.Netty.AvailableMemorySegments',
  /** The names before 1.10 (still reported as deprecated aliases up to 1.14). */
  legacyNetworkSegmentsTotal: 'Status.Network.TotalMemorySegments',
  legacyNetworkSegmentsAvailable: 'Status.Network.AvailableMemorySegments',
  directUsed: 'Status.JVM.Memory.Direct.MemoryUsed',
  directMax: 'Status.JVM.Memory.Direct.TotalCapacity',
  directCount: 'Status.JVM.Memory.Direct.Count',
  mappedUsed: 'Status.JVM.Memory.Mapped.MemoryUsed',
  mappedMax: 'Status.JVM.Memory.Mapped.TotalCapacity',
  mappedCount: 'Status.JVM.Memory.Mapped.Count',
} as const;

export type MetricName = keyof typeof METRIC;
export const TASK_MANAGER_METRICS: readonly string[] = Object.values(METRIC);
export const JOB_MANAGER_METRICS: readonly string[] = [METRIC.heapUsed, METRIC.heapCommitted, METRIC.heapMax, METRIC.metaspaceUsed, METRIC.metaspaceMax];

const GC_PREFIX = 'Status.JVM.GarbageCollector.';
/** Flink 1.19+ also reports the time per second spent in each collector. */
export const gcMetric = (collector: string, what: 'Count' | 'Time' | 'TimeMsPerSecond'): string => `${GC_PREFIX}${collector}.${what}`;

/** `Status.JVM.GarbageCollector.<name>.<what>` split up, or undefined. */
export function parseGcMetric(id: string): { collector: string; what: 'Count' | 'Time' | 'TimeMsPerSecond' } | undefined {
  if (!id.startsWith(GC_PREFIX)) return undefined;
  const rest = id.slice(GC_PREFIX.length);
  const m = /^(.+)\.(Count|TimeMsPerSecond|Time)$/.exec(rest);
  return m === null ? undefined : { collector: m[1]!, what: m[2] as 'Count' | 'Time' | 'TimeMsPerSecond' };
}

/**
 * The value -1 of a `.Max` metric: the JVM's "no limit" (MemoryUsage.getMax() of a pool without a
 * maximum, e.g. metaspace without -XX:MaxMetaspaceSize). Kept as -1n so that "no limit" is not
 * mistaken for "not reported"; every other negative value is no size.
 */
export const NO_LIMIT = -1n;
export const isNoLimitValue = (id: string, raw: string): boolean => id.endsWith('.Max') && /^\s*-1(\.0*)?(E0)?\s*$/i.test(raw);

/** A metrics query answer `[{"id": "...", "value": "..."}]` as exact values by id. */
export function parseMetricValues(body: Json | undefined): Map<string, bigint> {
  const values = new Map<string, bigint>();
  for (const item of arr(body)) {
    const o = obj(item);
    const id = str(o?.['id']);
    const raw = o?.['value'];
    const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : undefined;
    if (id === undefined || text === undefined) continue;
    const value = isNoLimitValue(id, text) ? NO_LIMIT : decimalToBigInt(text);
    if (value !== undefined) values.set(id, value);
  }
  return values;
}

/** The ids of a metrics list (`GET …/metrics` without `get`: `[{"id": "..."}]`). */
export function metricIds(body: Json | undefined): string[] {
  return arr(body).flatMap((item) => {
    const id = str(obj(item)?.['id']);
    return id === undefined ? [] : [id];
  });
}

/**
 * Metric ids in one query string. Flink's ids may contain spaces ("G1 Young Generation"): the
 * whole list is one encoded `get` parameter.
 */
export const metricsQuery = (ids: readonly string[]): string => `get=${encodeURIComponent(ids.join(','))}`;

export interface AggregatedMetric {
  readonly id: string;
  readonly min?: string;
  readonly max?: string;
  readonly avg?: string;
  readonly sum?: string;
}

/**
 * `/taskmanagers/metrics?get=...&agg=...` over all TaskManagers. Flink answers an empty list when
 * any requested metric is unknown to it (a metric of a newer version, a collector this JVM does
 * not have), so an empty answer for several ids is split in halves until the known ones answer:
 * a few extra calls instead of one per metric.
 */
export async function fetchAggregated(client: RestClient, ids: readonly string[], notes: string[]): Promise<AggregatedMetric[]> {
  const unknown: string[] = [];
  const ask = async (group: readonly string[]): Promise<AggregatedMetric[]> => {
    if (group.length === 0) return [];
    const body = await client.get(`/taskmanagers/metrics?${metricsQuery(group)}&agg=min,max,avg,sum`);
    if (body === undefined) return [];
    const items = arr(body).flatMap((item): AggregatedMetric[] => {
      const o = obj(item);
      const id = str(o?.['id']);
      if (o === undefined || id === undefined) return [];
      const text = (k: string): string | undefined => {
        const v = o[k];
        return typeof v === 'number' ? String(v) : typeof v === 'string' ? v : undefined;
      };
      const out: { id: string; min?: string; max?: string; avg?: string; sum?: string } = { id };
      for (const k of ['min', 'max', 'avg', 'sum'] as const) {
        const v = text(k);
        if (v !== undefined) out[k] = v;
      }
      return [out];
    });
    if (items.length > 0) return items;
    if (group.length === 1) {
      unknown.push(group[0]!);
      return [];
    }
    const half = Math.ceil(group.length / 2);
    return [...(await ask(group.slice(0, half))), ...(await ask(group.slice(half)))];
  };
  const result = await ask(ids);
  if (unknown.length > 0) notes.push(`the aggregated metrics endpoint does not know ${unknown.join(', ')} (an older Flink, or no TaskManager reports it)`);
  return result;
}
