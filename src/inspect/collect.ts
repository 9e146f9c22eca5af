/**
 * Everything inspect asks one JobManager, as raw observations: bodies are read field by field,
 * every failed call is an entry in the client's `errors`, and whatever did answer is kept.
 */
import type { FlatConfig } from '../memory/configuration.js';
import { toFlatMap } from '../config/flat-map.js';
import type { ConfigEntry, LoadedConfig } from '../config/types.js';
import { arr, bigOf, num, obj, str, type Json, type JsonObject } from './json.js';
import { fetchAggregated, gcMetric, JOB_MANAGER_METRICS, METRIC, metricIds, metricsQuery, parseGcMetric, parseMetricValues, TASK_MANAGER_METRICS, type AggregatedMetric } from './metrics.js';
import { scrapeFor, type PrometheusScrape } from './prometheus.js';
import { MetricSeries } from './ring.js';
import { mapBounded, type RestClient } from './rest-client.js';

/** The components of `memoryConfiguration` (TaskExecutorMemoryConfiguration, Flink 1.12+), as the REST API names them. */
export const REPORTED_COMPONENTS = [
  'frameworkHeap',
  'taskHeap',
  'frameworkOffHeap',
  'taskOffHeap',
  'networkMemory',
  'managedMemory',
  'jvmMetaspace',
  'jvmOverhead',
  'totalFlinkMemory',
  'totalProcessMemory',
] as const;
export type ReportedComponent = (typeof REPORTED_COMPONENTS)[number];
export type ReportedMemory = Partial<Record<ReportedComponent, bigint>>;

export interface GcCollector {
  readonly name: string;
  readonly count: bigint;
  readonly timeMs: bigint;
  /** Flink 1.19+: milliseconds per second spent in this collector, when the metric answered. */
  readonly timeMsPerSecond?: bigint;
}

export interface TaskManagerObservation {
  readonly id: string;
  readonly slots: number | undefined;
  /** `memoryConfiguration` of /taskmanagers (1.12+), absent in older versions. */
  readonly reported: ReportedMemory | undefined;
  readonly physicalMemory: bigint | undefined;
  /**
   * `hardware.managedMemory`: the managed memory the TaskManager's MemoryManager holds, reported by
   * every version (the only managed figure before 1.12's memoryConfiguration and metrics).
   */
  hardwareManagedMemory: bigint | undefined;
  /** Usage per metric over the samples taken. */
  readonly usage: MetricSeries;
  gc: GcCollector[];
  /** Collector names for the per-second metric. */
  readonly gcNames: string[];
}

export interface CheckpointFailure {
  readonly id: number | undefined;
  readonly message: string;
  readonly epochMs: number | undefined;
}

export interface JobObservation {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly detailsUrl: string;
  readonly details: JsonObject | undefined;
  readonly checkpointsUrl: string;
  readonly checkpoints: JsonObject | undefined;
  readonly exceptionsUrl: string;
  readonly exceptions: JsonObject | undefined;
  readonly plan: Json | undefined;
  readonly backpressure: { readonly vertex: string; readonly name: string; readonly body: JsonObject | undefined }[];
}

export interface ClusterObservation {
  readonly url: string;
  readonly flinkVersion: string | undefined;
  readonly overview: JsonObject | undefined;
  /** /jobmanager/config as a loaded configuration (provenance: the URL and the entry's position). */
  readonly config: FlatConfig | undefined;
  readonly jobManagerJvmOptions: readonly string[];
  readonly jobManagerUsage: MetricSeries;
  readonly taskManagers: TaskManagerObservation[];
  readonly jobs: JobObservation[];
  readonly aggregated: readonly AggregatedMetric[];
  readonly samples: number;
  readonly notes: string[];
  /** Calls that answered with a readable body, and answers that were HTML pages (set after the last sample). */
  readonly calls?: { readonly answered: number; readonly htmlPages: number };
}

export interface CollectOptions {
  /** Replace the REST metrics endpoints by a Prometheus scrape. */
  readonly prometheus?: () => Promise<PrometheusScrape | undefined>;
  /** Samples kept per metric in watch mode. */
  readonly ringCapacity?: number;
  /** Fetch jobs (checkpoints, exceptions, back-pressure, plans). */
  readonly jobs?: boolean;
}

/** The first full look at a cluster: configuration, TaskManagers with one usage sample, jobs. */
export async function collectCluster(client: RestClient, options: CollectOptions = {}): Promise<ClusterObservation> {
  const notes: string[] = [];
  const capacity = options.ringCapacity ?? 1024;
  const [configBody, overviewBody, jmConfigBody, envBody, tmsBody] = await Promise.all([
    client.get('/config'),
    client.get('/overview'),
    client.get('/jobmanager/config'),
    client.get('/jobmanager/environment', { optional: true }),
    client.get('/taskmanagers'),
  ]);
  const overview = obj(overviewBody);
  const flinkVersion = str(obj(configBody)?.['flink-version']) ?? str(overview?.['flink-version']);
  const config = jmConfigBody === undefined ? undefined : configFromRest(jmConfigBody, client.url('/jobmanager/config'));
  const jvmOptions = arr(obj(obj(envBody)?.['jvm'])?.['options']).flatMap((o) => (typeof o === 'string' ? [o] : []));

  const taskManagers: TaskManagerObservation[] = arr(obj(tmsBody)?.['taskmanagers']).flatMap((item) => {
    const tm = obj(item);
    const id = str(tm?.['id']);
    if (tm === undefined || id === undefined) return [];
    return [
      {
        id,
        slots: num(tm['slotsNumber']),
        reported: reportedMemory(tm['memoryConfiguration']),
        physicalMemory: bigOf(obj(tm['hardware'])?.['physicalMemory']),
        hardwareManagedMemory: bigOf(obj(tm['hardware'])?.['managedMemory']),
        usage: new MetricSeries(capacity),
        gc: [],
        gcNames: [],
      },
    ];
  });

  const observation: ClusterObservation = {
    url: client.baseUrl,
    flinkVersion,
    overview,
    config,
    jobManagerJvmOptions: jvmOptions,
    jobManagerUsage: new MetricSeries(capacity),
    taskManagers,
    jobs: [],
    aggregated: [],
    samples: 0,
    notes,
  };
  const [aggregated, jobs] = await Promise.all([
    taskManagers.length > 0 && options.prometheus === undefined ? fetchAggregated(client, [METRIC.heapUsed, METRIC.heapMax, METRIC.managedUsed, METRIC.managedTotal, METRIC.metaspaceUsed], notes) : Promise.resolve([]),
    options.jobs === false ? Promise.resolve([]) : collectJobs(client),
    sampleUsage(client, observation, options, true),
  ]);
  return { ...observation, aggregated, jobs, samples: 1 };
}

/** One more usage sample of every TaskManager and the JobManager (the `--watch` loop). */
export async function sampleUsage(client: RestClient, cluster: ClusterObservation, options: CollectOptions, first: boolean): Promise<void> {
  const scrape = options.prometheus === undefined ? undefined : await options.prometheus();
  if (scrape !== undefined) {
    for (const tm of cluster.taskManagers) {
      const values = scrapeFor(scrape, tm.id);
      if (values === undefined) continue;
      record(tm, values);
    }
    for (const [id, v] of scrape.jobManager) cluster.jobManagerUsage.push(id, v);
    return;
  }
  await Promise.all([
    mapBounded(cluster.taskManagers, 64, async (tm) => {
      // The details answer carries the collectors' names; the names do not change between samples.
      if (first) {
        const details = obj(await client.get(`/taskmanagers/${encodeURIComponent(tm.id)}`));
        tm.hardwareManagedMemory ??= bigOf(obj(details?.['hardware'])?.['managedMemory']);
        const metrics = obj(details?.['metrics']);
        if (metrics !== undefined) {
          const fromDetails = new Map<string, bigint>();
          const put = (id: string, field: string) => {
            const v = bigOf(metrics[field]);
            if (v !== undefined) fromDetails.set(id, v);
          };
          put(METRIC.heapUsed, 'heapUsed');
          put(METRIC.heapCommitted, 'heapCommitted');
          put(METRIC.heapMax, 'heapMax');
          put(METRIC.directUsed, 'directUsed');
          put(METRIC.directMax, 'directMax');
          put(METRIC.mappedUsed, 'mappedUsed');
          put(METRIC.mappedMax, 'mappedMax');
          put(METRIC.networkUsed, 'nettyShuffleMemoryUsed');
          put(METRIC.networkTotal, 'nettyShuffleMemoryTotal');
          // Flink 1.10 and 1.11: buffers, not bytes.
          put(METRIC.networkSegmentsAvailable, 'memorySegmentsAvailable');
          put(METRIC.networkSegmentsTotal, 'memorySegmentsTotal');
          for (const gc of arr(metrics['garbageCollectors'])) {
            const g = obj(gc);
            const name = str(g?.['name']);
            const count = bigOf(g?.['count']);
            const time = bigOf(g?.['time']);
            if (name === undefined || count === undefined || time === undefined) continue;
            tm.gcNames.push(name);
            fromDetails.set(gcMetric(name, 'Count'), count);
            fromDetails.set(gcMetric(name, 'Time'), time);
          }
          record(tm, fromDetails);
        }
        // No details (or none with collectors): the metrics list names the collectors this JVM has.
        if (tm.gcNames.length === 0) {
          for (const id of metricIds(await client.get(`/taskmanagers/${encodeURIComponent(tm.id)}/metrics`, { optional: true }))) {
            const gc = parseGcMetric(id);
            if (gc !== undefined && !tm.gcNames.includes(gc.collector)) tm.gcNames.push(gc.collector);
          }
        }
      }
      const ids = [...TASK_MANAGER_METRICS, ...tm.gcNames.flatMap((n) => [gcMetric(n, 'Count'), gcMetric(n, 'Time'), gcMetric(n, 'TimeMsPerSecond')])];
      const values = parseMetricValues(await client.get(`/taskmanagers/${encodeURIComponent(tm.id)}/metrics?${metricsQuery(ids)}`));
      // The query's values are exact strings: they follow the details' numbers into the same rings.
      record(tm, values);
    }),
    (async () => {
      const values = parseMetricValues(await client.get(`/jobmanager/metrics?${metricsQuery(JOB_MANAGER_METRICS)}`));
      for (const [id, v] of values) cluster.jobManagerUsage.push(id, v);
    })(),
  ]);
}

/**
 * Used network memory where only total and available are reported (Flink 1.10 and 1.11 have no
 * UsedMemorySegments; an empty UsedMemory value): used = total - available, in the same sample.
 */
function withUsedNetwork(values: ReadonlyMap<string, bigint>): ReadonlyMap<string, bigint> {
  const out = new Map(values);
  const derive = (used: string, total: string, available: string) => {
    const t = out.get(total);
    const a = out.get(available);
    if (!out.has(used) && t !== undefined && a !== undefined && t >= a && a >= 0n) out.set(used, t - a);
  };
  derive(METRIC.networkUsed, METRIC.networkTotal, METRIC.networkAvailable);
  derive(METRIC.networkSegmentsUsed, METRIC.networkSegmentsTotal, METRIC.networkSegmentsAvailable);
  derive(METRIC.networkSegmentsUsed, METRIC.legacyNetworkSegmentsTotal, METRIC.legacyNetworkSegmentsAvailable);
  return out;
}

function record(tm: TaskManagerObservation, reported: ReadonlyMap<string, bigint>): void {
  const values = withUsedNetwork(reported);
  const gc = new Map<string, { count?: bigint; timeMs?: bigint; perSecond?: bigint }>();
  for (const [id, v] of values) {
    const parsed = parseGcMetric(id);
    if (parsed === undefined) {
      tm.usage.push(id, v);
      continue;
    }
    const entry = gc.get(parsed.collector) ?? {};
    if (parsed.what === 'Count') entry.count = v;
    else if (parsed.what === 'Time') entry.timeMs = v;
    else entry.perSecond = v;
    gc.set(parsed.collector, entry);
  }
  if (gc.size === 0) return;
  const byName = new Map(tm.gc.map((g) => [g.name, g]));
  for (const [name, e] of gc) {
    const old = byName.get(name);
    const count = e.count ?? old?.count;
    const timeMs = e.timeMs ?? old?.timeMs;
    if (count === undefined || timeMs === undefined) continue;
    const perSecond = e.perSecond ?? old?.timeMsPerSecond;
    byName.set(name, { name, count, timeMs, ...(perSecond !== undefined ? { timeMsPerSecond: perSecond } : {}) });
    if (!tm.gcNames.includes(name)) tm.gcNames.push(name);
  }
  tm.gc = [...byName.values()];
}

/** The memory a TaskManager reports, component by component (a null component is left out). */
function reportedMemory(body: Json | undefined): ReportedMemory | undefined {
  const o = obj(body);
  if (o === undefined) return undefined;
  const out: ReportedMemory = {};
  for (const c of REPORTED_COMPONENTS) {
    const v = bigOf(o[c]);
    if (v !== undefined) out[c] = v;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** /jobmanager/config (`[{"key", "value"}]`) through src/config's flat map, each entry sourced to the URL. */
export function configFromRest(body: Json, url: string): FlatConfig | undefined {
  if (!Array.isArray(body)) return undefined;
  const entries = new Map<string, ConfigEntry>();
  body.forEach((item, i) => {
    const o = obj(item);
    const key = str(o?.['key']);
    const value = str(o?.['value']);
    if (key !== undefined && value !== undefined) entries.set(key, { key, value, source: { kind: 'file', file: url, line: i + 1 } });
  });
  const loaded: LoadedConfig = { entries, file: url, warnings: [] };
  return toFlatMap(loaded);
}

async function collectJobs(client: RestClient): Promise<JobObservation[]> {
  const overview = await client.get('/jobs/overview');
  const running = arr(obj(overview)?.['jobs']).flatMap((j) => {
    const o = obj(j);
    const id = str(o?.['jid']);
    const state = str(o?.['state']) ?? 'UNKNOWN';
    return o === undefined || id === undefined || state !== 'RUNNING' ? [] : [{ id, name: str(o['name']) ?? id, state }];
  });
  return mapBounded(running, 8, async (job): Promise<JobObservation> => {
    const base = `/jobs/${encodeURIComponent(job.id)}`;
    const [details, checkpoints, exceptions] = await Promise.all([client.get(base), client.get(`${base}/checkpoints`), client.get(`${base}/exceptions`)]);
    const d = obj(details);
    const plan = obj(d?.['plan']) !== undefined ? details : await client.get(`${base}/plan`);
    const vertices = arr(d?.['vertices']).flatMap((v) => {
      const o = obj(v);
      const id = str(o?.['id']);
      return id === undefined ? [] : [{ id, name: str(o?.['name']) ?? id }];
    });
    const backpressure = await mapBounded(vertices, 8, async (v) => ({
      vertex: v.id,
      name: v.name,
      body: obj(await client.get(`${base}/vertices/${encodeURIComponent(v.id)}/backpressure`)),
    }));
    return {
      ...job,
      detailsUrl: client.url(base),
      details: d,
      checkpointsUrl: client.url(`${base}/checkpoints`),
      checkpoints: obj(checkpoints),
      exceptionsUrl: client.url(`${base}/exceptions`),
      exceptions: obj(exceptions),
      plan,
      backpressure,
    };
  });
}
