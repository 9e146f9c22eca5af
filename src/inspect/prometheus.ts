/**
 * Prometheus text exposition (what Flink's PrometheusReporter serves) as an alternative metrics
 * source. The reporter names a metric `flink_taskmanager_` + its identifier with every character
 * outside [A-Za-z0-9_:] replaced by `_`, and labels each TaskManager's series with `tm_id`.
 */
import { decimalToBigInt } from './json.js';
import { TASK_MANAGER_METRICS, JOB_MANAGER_METRICS, gcMetric, isNoLimitValue, NO_LIMIT } from './metrics.js';

export interface PrometheusScrape {
  /** TaskManager id (the `tm_id` label) -> metric identifier (Flink's dotted form) -> value. */
  readonly taskManagers: ReadonlyMap<string, ReadonlyMap<string, bigint>>;
  /** The JobManager's series (`flink_jobmanager_...`). */
  readonly jobManager: ReadonlyMap<string, bigint>;
  readonly samples: number;
  /** Lines that were neither comments nor samples (1-based line numbers, at most 20). */
  readonly badLines: readonly number[];
}

const promName = (id: string): string => id.replace(/[^A-Za-z0-9_:]/g, '_');

const TM_NAMES = new Map(TASK_MANAGER_METRICS.map((id) => [`flink_taskmanager_${promName(id)}`, id]));
const JM_NAMES = new Map(JOB_MANAGER_METRICS.map((id) => [`flink_jobmanager_${promName(id)}`, id]));
const GC = /^flink_(taskmanager|jobmanager)_Status_JVM_GarbageCollector_(.+)_(Count|TimeMsPerSecond|Time)$/;

/** `name{label="value",...} value [timestamp]`; label values may hold escaped quotes. */
const SAMPLE = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{((?:[^"}]|"(?:[^"\\]|\\.)*")*)\})?\s+(\S+)(?:\s+-?\d+)?\s*$/;
const LABEL = /([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g;

export function parsePrometheusText(text: string): PrometheusScrape {
  const taskManagers = new Map<string, Map<string, bigint>>();
  const jobManager = new Map<string, bigint>();
  const badLines: number[] = [];
  let samples = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (m === null) {
      if (badLines.length < 20) badLines.push(i + 1);
      continue;
    }
    const name = m[1]!;
    const dotted = TM_NAMES.get(name) ?? JM_NAMES.get(name);
    const value = dotted !== undefined && isNoLimitValue(dotted, m[3]!) ? NO_LIMIT : decimalToBigInt(m[3]!);
    if (value === undefined) {
      // NaN, +Inf and negative gauges are valid samples but no size; anything else is not a sample.
      if (!/^([+-]?(Inf|NaN)|-\d[\d.eE+-]*)$/i.test(m[3]!) && badLines.length < 20) badLines.push(i + 1);
      continue;
    }
    const labels = new Map<string, string>();
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels.set(l[1]!, l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)));
    const gc = GC.exec(name);
    let process: 'taskmanager' | 'jobmanager' | undefined;
    let id: string | undefined;
    if (gc !== null) {
      process = gc[1] as 'taskmanager' | 'jobmanager';
      id = gcMetric(gc[2]!, gc[3] as 'Count' | 'Time' | 'TimeMsPerSecond');
    } else if (TM_NAMES.has(name)) {
      process = 'taskmanager';
      id = TM_NAMES.get(name);
    } else if (JM_NAMES.has(name)) {
      process = 'jobmanager';
      id = JM_NAMES.get(name);
    }
    if (process === undefined || id === undefined) continue;
    samples++;
    if (process === 'jobmanager') {
      jobManager.set(id, value);
      continue;
    }
    const tm = labels.get('tm_id');
    if (tm === undefined) continue;
    let metrics = taskManagers.get(tm);
    if (metrics === undefined) taskManagers.set(tm, (metrics = new Map()));
    metrics.set(id, value);
  }
  return { taskManagers, jobManager, samples, badLines };
}

/**
 * The scrape's series of a TaskManager: the reporter writes `tm_id` as Flink's resource id with
 * characters outside [A-Za-z0-9_:] replaced, so both spellings are tried.
 */
export function scrapeFor(scrape: PrometheusScrape, taskManagerId: string): ReadonlyMap<string, bigint> | undefined {
  return scrape.taskManagers.get(taskManagerId) ?? scrape.taskManagers.get(promName(taskManagerId));
}
