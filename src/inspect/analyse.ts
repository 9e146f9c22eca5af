/**
 * From observations to the report: the exact model over what each TaskManager reports and over the
 * cluster configuration, REST observations as doctor evidence through the shared rules, and rules
 * over observed usage whose proposals come from src/diagnose/fixes (valid by construction).
 *
 * Usage is compared with the limits the running JVM reports (heap and metaspace maximum, managed
 * memory, network buffers) wherever it reports them; the configured or re-derived sizes stand in
 * only where it does not, and every finding says whose figure it used.
 */
import { configFromStartup } from '../diagnose/doctor.js';
import { findOutOfMemoryError } from '../diagnose/detectors/flink-log-oom.js';
import { checkpointFailureReason, matchManagedMemory, matchNetworkBuffers, matchRocksDb, TASK_DECLINE_REASONS } from '../diagnose/detectors/flink-log-messages.js';
import type { Evidence, EvidenceKind } from '../diagnose/evidence.js';
import { combineFixes, FixError, type FixRequest } from '../diagnose/fixes.js';
import { findingsFromEvidence, rankFindings, SEVERITY_ORDER, type Finding, type RuleContext } from '../diagnose/findings.js';
import type { FlatConfig } from '../memory/configuration.js';
import { deriveJobManagerMemory } from '../memory/jobmanager.js';
import { parseMemorySize } from '../memory/memory-size.js';
import { JOB_MANAGER_COMPONENTS, TASK_MANAGER_COMPONENTS, type JobManagerSpec, type TaskManagerSpec } from '../memory/spec.js';
import { deriveTaskManagerMemory } from '../memory/taskmanager.js';
import { DEFAULT_FLINK_VERSION, FLINK_VERSIONS, resolveFlinkVersion, type FlinkVersionBehaviour } from '../memory/versions.js';
import { parseJobPlan, parseRuntimeMode, PlanError, tasksFromPlan } from '../plan/job-plan.js';
import { checkNetworkRequirement } from '../plan/network-requirement.js';
import { configSize, roundUpToMiB } from '../plan/sizes.js';
import { formatSize } from '../report/format.js';
import type { ClusterObservation, JobObservation, ReportedMemory, TaskManagerObservation } from './collect.js';
import { arr, bigOf, isUnlimited, num, obj, str, type Json, type JsonObject } from './json.js';
import { METRIC, NO_LIMIT } from './metrics.js';
import { normaliseReported, olderThan, parseReportedVersion, type NormalisedReport, type ReportedVersion } from './reported.js';
import type { RestError } from './rest-client.js';
import type { BackpressureJson, CheckpointFailureJson, CheckpointsJson, ClusterJson, FindingJson, JobJson, LimitJson, ProposalJson, Sizes, TaskManagerJson } from './result.js';

export interface AnalyseOptions {
  /** Headroom over an observed peak, in percent (default 25). */
  readonly marginPercent?: number;
  /** --flink-version: the rules to apply whatever the cluster reports. */
  readonly version?: FlinkVersionBehaviour;
}

const MiB = 1024n * 1024n;
const DEFAULT_MARGIN = 25;
const DEFAULT_SEGMENT = 32n * 1024n;

/**
 * The memory rules for the version a cluster reports. Lines before 1.16 have the same memory model
 * since 1.10 (FLIP-49) and 1.11 (FLIP-116) as far as sizes go; the oldest modelled line stands in.
 */
export function modelVersionFor(reported: string | undefined, notes: string[]): FlinkVersionBehaviour {
  if (reported === undefined) {
    notes.push(`the cluster did not report its Flink version: the rules of ${DEFAULT_FLINK_VERSION.line} apply`);
    return DEFAULT_FLINK_VERSION;
  }
  try {
    return resolveFlinkVersion(reported);
  } catch {
    const m = /^v?(\d+)\.(\d+)/.exec(reported.trim());
    const oldest = FLINK_VERSIONS[FLINK_VERSIONS.length - 1]!;
    if (m !== null && Number(m[1]) === 1 && Number(m[2]) < 16) {
      notes.push(`Flink ${reported} is older than the oldest modelled line: sizes follow ${oldest.line}'s rules (the same memory model since 1.10/1.11)`);
      return oldest;
    }
    notes.push(`Flink ${reported} is not a modelled line: the rules of ${DEFAULT_FLINK_VERSION.line} apply`);
    return DEFAULT_FLINK_VERSION;
  }
}

const tmSizes = (spec: TaskManagerSpec): Sizes => Object.fromEntries(TASK_MANAGER_COMPONENTS.map((c) => [c, spec.memory[c].bytes.toString()]));
const jmSizes = (spec: JobManagerSpec): Sizes => Object.fromEntries(JOB_MANAGER_COMPONENTS.map((c) => [c, spec.memory[c].bytes.toString()]));

/** REST component name -> the exact model's. */
const REPORTED_TO_MODEL: ReadonlyArray<readonly [keyof ReportedMemory, (typeof TASK_MANAGER_COMPONENTS)[number]]> = [
  ['frameworkHeap', 'frameworkHeap'],
  ['taskHeap', 'taskHeap'],
  ['frameworkOffHeap', 'frameworkOffHeap'],
  ['taskOffHeap', 'taskOffHeap'],
  ['networkMemory', 'network'],
  ['managedMemory', 'managed'],
  ['jvmMetaspace', 'jvmMetaspace'],
  ['jvmOverhead', 'jvmOverhead'],
  ['totalFlinkMemory', 'totalFlinkMemory'],
  ['totalProcessMemory', 'totalProcessMemory'],
];

/** The reported components under explain's names, exactly as reported (no model completes them). */
const reportedSizes = (memory: ReportedMemory): Record<string, string> =>
  Object.fromEntries(REPORTED_TO_MODEL.flatMap(([rest, model]) => (memory[rest] === undefined ? [] : [[model, memory[rest]!.toString()]])));

/** Memory options of the cluster configuration that the pinned sizes of a running TaskManager replace. */
const TM_MEMORY_KEY = /^taskmanager\.(memory\.(process|flink|task|managed\.(size|fraction)|network\.(min|max|fraction)|jvm-overhead|jvm-metaspace|framework)|heap\.|network\.numberOfBuffers)/;
const OVERHEAD_KEY = /^taskmanager\.memory\.jvm-overhead\./;

/**
 * The configuration a TaskManager runs with: the cluster's options, with its memory pinned to the
 * sizes it reports (doctor's configFromStartup writes them as explicit options that derive the same).
 * Without a trustworthy overhead, the cluster's jvm-overhead options stay and the model derives it.
 */
function runningConfig(cluster: FlatConfig, reported: ReportedMemory): FlatConfig | undefined {
  const facts: Record<string, string> = {};
  for (const [rest, model] of REPORTED_TO_MODEL) {
    const v = reported[rest];
    if (v !== undefined && model !== 'totalFlinkMemory') facts[model] = v.toString();
  }
  const overheadLeft = facts['jvmOverhead'] === undefined;
  const pinned = configFromStartup(overheadLeft ? { ...facts, jvmOverhead: '0' } : facts);
  if (pinned === undefined) return undefined;
  const kept = Object.fromEntries(Object.entries(cluster).filter(([k]) => !TM_MEMORY_KEY.test(k) || (overheadLeft && OVERHEAD_KEY.test(k))));
  const out: Record<string, string> = { ...kept, ...pinned };
  if (overheadLeft) {
    for (const k of ['taskmanager.memory.jvm-overhead.min', 'taskmanager.memory.jvm-overhead.max']) {
      if (cluster[k] === undefined) delete out[k];
      else out[k] = cluster[k]!;
    }
  }
  return out;
}

interface Group {
  readonly key: string;
  readonly tms: TaskManagerObservation[];
  /** The configuration the TaskManagers run with, for proposals; undefined when not known. */
  config: FlatConfig | undefined;
  /** The exact model's sizes of that configuration; undefined where the model does not apply or the JVM contradicts it. */
  spec: TaskManagerSpec | undefined;
  source: 'rest' | 'model' | null;
  /** What the report shows as configured (never blank where the TaskManager reported sizes). */
  configured: Sizes | null;
  readonly report: NormalisedReport | undefined;
  /** The model's sizes of the reported memoryConfiguration (kept for the comparison with /jobmanager/config). */
  readonly reportedSpec?: TaskManagerSpec;
}

type LimitKind = 'heap' | 'managed' | 'network' | 'metaspace';
interface Limit {
  readonly bytes: bigint | undefined;
  readonly source: LimitJson['source'];
  readonly from: string | null;
  readonly unlimited: boolean;
}
type Limits = Readonly<Record<LimitKind, Limit>>;
const NO_FIGURE: Limit = { bytes: undefined, source: null, from: null, unlimited: false };

const peakOf = (tms: readonly TaskManagerObservation[], metric: string): bigint | undefined =>
  tms.reduce<bigint | undefined>((m, tm) => {
    const v = tm.usage.peak(metric);
    return v === undefined ? m : m === undefined || v > m ? v : m;
  }, undefined);

const str0 = (v: bigint | undefined): string | null => (v === undefined ? null : v.toString());
/** A reported maximum: -1 (no limit) and other negatives are no size. */
const positive = (v: bigint | undefined): bigint | undefined => (v === undefined || v < 0n ? undefined : v);
const withMargin = (peak: bigint, percent: number): bigint => (peak * BigInt(100 + percent) + 99n) / 100n;
/** Percent with one decimal, rounded half up (7.98% is "8.0%"). */
export const percentOf = (part: bigint, whole: bigint): string => {
  if (whole <= 0n) return '-';
  const tenths = (part * 2000n + whole) / (2n * whole);
  return `${tenths / 10n}.${tenths % 10n}%`;
};

/** The segment size network buffers are counted in (taskmanager.memory.segment-size, 32 KiB by default). */
function segmentSizeOf(config: FlatConfig | undefined, notes: string[]): bigint {
  const raw = config?.['taskmanager.memory.segment-size'];
  if (raw === undefined) return DEFAULT_SEGMENT;
  try {
    const bytes = parseMemorySize(raw);
    if (bytes > 0n) return bytes;
  } catch {
    // reported below
  }
  notes.push(`taskmanager.memory.segment-size '${raw}' is not a size: network buffers are counted as 32 KiB each`);
  return DEFAULT_SEGMENT;
}

/** Whose figure a limit is, for a finding's text. */
function whose(l: Limit): string {
  if (l.source === 'jvm') return 'as the TaskManager reports';
  if (l.source === 'configured') return 'as configured in its memoryConfiguration';
  return 'as re-derived from /jobmanager/config';
}

/**
 * What a TaskManager's usage is compared with: the running JVM's own figures where it reports them
 * (heap and metaspace maximum, managed memory, network memory or buffers), else its configured or
 * re-derived sizes.
 */
function limitsOf(tm: TaskManagerObservation, group: Group, segment: bigint): Limits {
  const u = tm.usage;
  const jvm = (bytes: bigint, from: string): Limit => ({ bytes, source: 'jvm', from, unlimited: false });
  const noLimit = (from: string): Limit => ({ bytes: undefined, source: 'jvm', from, unlimited: true });
  const configured = (key: string): Limit => {
    const c = group.configured;
    if (c === null || group.source === null) return NO_FIGURE;
    let v = bigOf(c[key]);
    if (v === undefined && key === 'jvmHeap') {
      const fh = bigOf(c['frameworkHeap']);
      const th = bigOf(c['taskHeap']);
      v = fh === undefined || th === undefined ? undefined : isUnlimited(th) ? th : fh + th;
    }
    if (v === undefined) return NO_FIGURE;
    const source = group.source === 'model' ? 're-derived' : 'configured';
    const from = group.source === 'model' ? '/jobmanager/config' : `memoryConfiguration (${key})`;
    return isUnlimited(v) ? { bytes: undefined, source, from, unlimited: true } : { bytes: v, source, from, unlimited: false };
  };
  const heapMax = u.latest(METRIC.heapMax);
  const heap = heapMax === NO_LIMIT ? noLimit(`${METRIC.heapMax} -1`) : heapMax !== undefined && heapMax > 0n ? jvm(heapMax, METRIC.heapMax) : configured('jvmHeap');
  const managedTotal = positive(u.latest(METRIC.managedTotal));
  const managed =
    managedTotal !== undefined ? jvm(managedTotal, METRIC.managedTotal) : tm.hardwareManagedMemory !== undefined ? jvm(tm.hardwareManagedMemory, 'hardware.managedMemory') : configured('managed');
  const networkTotal = positive(u.latest(METRIC.networkTotal));
  const segments = positive(u.latest(METRIC.networkSegmentsTotal)) ?? positive(u.latest(METRIC.legacyNetworkSegmentsTotal));
  const segmentsFrom = u.latest(METRIC.networkSegmentsTotal) !== undefined ? METRIC.networkSegmentsTotal : METRIC.legacyNetworkSegmentsTotal;
  const network =
    networkTotal !== undefined ? jvm(networkTotal, METRIC.networkTotal) : segments !== undefined ? jvm(segments * segment, `${segmentsFrom} ${segments} x ${formatSize(segment)}`) : configured('network');
  const metaMax = u.latest(METRIC.metaspaceMax);
  const metaspace = metaMax === NO_LIMIT ? noLimit(`${METRIC.metaspaceMax} -1`) : metaMax !== undefined && metaMax > 0n ? jvm(metaMax, METRIC.metaspaceMax) : configured('jvmMetaspace');
  return { heap, managed, network, metaspace };
}

const limitJson = (l: Limit): LimitJson => ({ bytes: str0(l.bytes), source: l.source, from: l.from, unlimited: l.unlimited });

/** The tightest limit of a group (TaskManagers of one group report the same memory; the smallest figure wins). */
function groupLimit(group: Group, limits: ReadonlyMap<TaskManagerObservation, Limits>, kind: LimitKind): Limit | undefined {
  let best: Limit | undefined;
  let unlimited: Limit | undefined;
  for (const tm of group.tms) {
    const l = limits.get(tm)?.[kind];
    if (l === undefined) continue;
    if (l.unlimited) unlimited ??= l;
    else if (l.bytes !== undefined && (best === undefined || l.bytes < best.bytes!)) best = l;
  }
  return best ?? unlimited;
}

/**
 * The JVM's own limits against the sizes the group is taken to run with. Sizes re-derived from
 * /jobmanager/config that the JVM contradicts are another configuration's (the TaskManagers' own
 * flink-conf.yaml, -D options); a reported memoryConfiguration the JVM contradicts was overridden
 * at the JVM (a -Xmx in env.java.opts wins over Flink's). Either way no proposal can start there.
 */
function contradictions(group: Group, limits: ReadonlyMap<TaskManagerObservation, Limits>, segment: bigint): string[] {
  const spec = group.spec;
  if (group.source === null || spec === undefined) return [];
  const out: string[] = [];
  const heap = groupLimit(group, limits, 'heap');
  const jvmHeap = spec.memory.jvmHeap.bytes;
  // Parallel GC reports the heap without one survivor space: up to a tenth below -Xmx.
  if (heap?.source === 'jvm' && heap.bytes !== undefined && (heap.bytes > jvmHeap + MiB || heap.bytes * 10n < jvmHeap * 9n)) {
    out.push(`heap ${formatSize(heap.bytes)} (${heap.from}) vs ${formatSize(jvmHeap)}`);
  }
  const managed = groupLimit(group, limits, 'managed');
  const m = spec.memory.managed.bytes;
  if (managed?.source === 'jvm' && managed.bytes !== undefined && (managed.bytes > m + MiB || managed.bytes + MiB < m)) {
    out.push(`managed memory ${formatSize(managed.bytes)} (${managed.from}) vs ${formatSize(m)}`);
  }
  const network = groupLimit(group, limits, 'network');
  const n = spec.memory.network.bytes;
  if (network?.source === 'jvm' && network.bytes !== undefined && (network.bytes > n + segment || network.bytes + segment < n)) {
    out.push(`network memory ${formatSize(network.bytes)} (${network.from}) vs ${formatSize(n)}`);
  }
  return out;
}

type StateBackend = 'heap' | 'rocksdb' | 'forst' | 'unknown' | 'not-known';
/** The state backend the cluster configuration names; `not-known` without a configuration (never assume the default). */
function stateBackendOf(config: FlatConfig | undefined): StateBackend {
  if (config === undefined) return 'not-known';
  const raw = (config['state.backend.type'] ?? config['state.backend'] ?? 'hashmap').toLowerCase();
  if (raw === 'hashmap' || raw === 'filesystem' || raw === 'jobmanager' || raw.includes('hashmapstatebackend') || raw.includes('fsstatebackend') || raw.includes('memorystatebackend')) return 'heap';
  if (raw.includes('rocksdb')) return 'rocksdb';
  if (raw.includes('forst')) return 'forst';
  return 'unknown';
}

/** Why nothing could be read from a cluster, with advice, when every call failed. */
function noDataFinding(obs: ClusterObservation, errors: readonly RestError[]): FindingJson | undefined {
  if (errors.length === 0) return undefined;
  const answered = obs.calls?.answered;
  const nothing =
    answered !== undefined
      ? answered === 0
      : obs.flinkVersion === undefined && obs.overview === undefined && obs.config === undefined && obs.taskManagers.length === 0 && obs.jobs.length === 0;
  if (!nothing) return undefined;
  const html = errors.find((e) => / an HTML page|^an HTML page/.test(e.message));
  const first = errors[0]!;
  const what = first.message.replace(/^HTTP \d+: /, '').replace(/ \(after \d+ attempts\)$/, '');
  let summary: string;
  const advice: string[] = [];
  if (html !== undefined) {
    const title = /\("([^"]*)"\)|"([^"]*)"/.exec(html.message);
    const named = title === null ? '' : ` ("${title[1] ?? title[2]}")`;
    summary = `no data could be read from ${obs.url}: it answered with an HTML page${named}, probably a login or proxy page, not Flink's REST API`;
    advice.push("give the JobManager's REST address (the Web UI's, port 8081 by default) or the proxy path that forwards to it", 'a proxy that asks for a login takes credentials from --auth-env VAR or --auth-file FILE (Basic or Bearer)');
  } else if (errors.every((e) => e.status === 503 && /leader election/i.test(e.message))) {
    summary = `no data could be read from ${obs.url}: every call answered HTTP 503, a leader election is under way ("${what}")`;
    advice.push('a JobManager failover is in progress: inspect again in a few seconds');
  } else if (errors.every((e) => e.status === null && e.message.startsWith('connection failed'))) {
    summary = `no data could be read from ${obs.url}: nothing answered (${first.message})`;
    advice.push("check the address and port (the JobManager's REST port, 8081 by default) and that the cluster runs");
  } else {
    summary = `no data could be read from ${obs.url}: every call failed (${first.message})`;
  }
  return {
    kind: 'no-data',
    severity: 'high',
    scope: 'cluster',
    summary,
    count: errors.length,
    taskManagers: [],
    evidence: errors.slice(0, 5).map((e) => ({ source: e.url, line: 0, text: e.message })),
    advice,
  };
}

export function analyseCluster(obs: ClusterObservation, errors: readonly RestError[], options: AnalyseOptions = {}): ClusterJson {
  const noData = noDataFinding(obs, errors);
  const notes = noData === undefined ? [...obs.notes] : [];
  const version = options.version ?? modelVersionFor(obs.flinkVersion, noData === undefined ? notes : []);
  const reportedVersion = parseReportedVersion(obs.flinkVersion);
  const margin = options.marginPercent ?? DEFAULT_MARGIN;
  const clusterConfig = obs.config;
  if (clusterConfig === undefined && noData === undefined) notes.push('no cluster configuration (/jobmanager/config did not answer): sizes cannot be re-derived, and the state backend is not known');
  if (noData !== undefined) notes.push('no call answered with data: the empty sections mean nothing was read, not that the cluster is fine');
  const segment = segmentSizeOf(clusterConfig, notes);

  const derivedTm = clusterConfig === undefined ? undefined : deriveTaskManagerMemory(clusterConfig, version);
  if (derivedTm !== undefined && !derivedTm.ok) notes.push(`the cluster configuration does not derive a TaskManager: ${derivedTm.error.message}`);
  const derivedSpec = derivedTm?.ok === true ? derivedTm.spec : undefined;
  // FLIP-49's TaskManager memory model came with Flink 1.10: before, the model's sizes are not what runs.
  const tmModelApplies = !olderThan(reportedVersion, 1, 10);

  // TaskManagers that report the same memory share one configuration: rules and proposals per group.
  const groups = new Map<string, Group>();
  const groupOf = new Map<TaskManagerObservation, Group>();
  for (const tm of obs.taskManagers) {
    const report = tm.reported === undefined ? undefined : normaliseReported(tm.reported, reportedVersion);
    const key = report === undefined ? 'model' : `${report.local ? 'local:' : ''}${REPORTED_TO_MODEL.map(([r]) => report.memory[r] ?? '-').join(',')}`;
    let group = groups.get(key);
    if (group === undefined) {
      if (report === undefined) {
        const derived = tmModelApplies ? derivedTm : undefined;
        group = { key, tms: [], config: tmModelApplies ? clusterConfig : undefined, spec: derived?.ok === true ? derived.spec : undefined, source: derived?.ok === true ? 'model' : null, configured: derived?.ok === true ? tmSizes(derived.spec) : null, report };
      } else if (report.local) {
        group = { key, tms: [], config: undefined, spec: undefined, source: 'rest', configured: reportedSizes(tm.reported!), report };
      } else {
        const config = runningConfig(clusterConfig ?? {}, report.memory);
        const derived = config === undefined ? undefined : deriveTaskManagerMemory(config, version);
        if (derived !== undefined && !derived.ok) notes.push(`TaskManager ${tm.id}: its reported memory does not derive (${derived.error.message}): its sizes are shown as reported, and no proposal is made`);
        group =
          derived?.ok === true
            ? { key, tms: [], config, spec: derived.spec, source: 'rest', configured: tmSizes(derived.spec), report, reportedSpec: derived.spec }
            : { key, tms: [], config: undefined, spec: undefined, source: 'rest', configured: { ...reportedSizes(tm.reported!), ...reportedSizes(report.memory) }, report };
      }
      groups.set(key, group);
    }
    group.tms.push(tm);
    groupOf.set(tm, group);
  }

  const byGroup = (g: Group) => `${g.tms.length} TaskManager(s) (${g.tms.slice(0, 3).map((t) => t.id).join(', ')}${g.tms.length > 3 ? ', …' : ''})`;
  const limits = new Map<TaskManagerObservation, Limits>();
  for (const group of groups.values()) {
    for (const tm of group.tms) limits.set(tm, limitsOf(tm, group, segment));
    const clash = contradictions(group, limits, segment);
    if (clash.length > 0 && group.source === 'model') {
      notes.push(
        `${byGroup(group)} report other limits than /jobmanager/config derives (${clash.join('; ')}): they run with another configuration (their own flink-conf.yaml, -D options); the re-derived sizes are not theirs, so their usage is compared with what they report, and no proposal is made`,
      );
      group.spec = undefined;
      group.config = undefined;
      group.source = null;
      group.configured = null;
      for (const tm of group.tms) limits.set(tm, limitsOf(tm, group, segment));
    } else if (clash.length > 0) {
      notes.push(
        `${byGroup(group)} report other limits than their memoryConfiguration (${clash.join('; ')}): the processes run with other sizes than that configuration says (a -Xmx in env.java.opts, for one, overrides Flink's heap); usage is compared with what they report, and no proposal is made`,
      );
      group.spec = undefined;
      group.config = undefined;
    }
    if (group.report?.local === true) {
      notes.push(
        `${byGroup(group)} report unlimited sizes (task heap or off-heap of Long.MAX_VALUE bytes): a local MiniCluster, where the process memory model does not apply; sizes are shown as reported, usage is compared with what the JVM reports, and no proposal is made`,
      );
    }
    const quirks = group.report?.quirks ?? [];
    if (quirks.length > 0) {
      notes.push(`${byGroup(group)}: known reporting quirks of memoryConfiguration, not disagreements: ${quirks.map((q) => q.why).join('; ')}`);
    }
  }
  if (!tmModelApplies && obs.taskManagers.some((t) => t.reported === undefined)) {
    notes.push(`Flink ${reportedVersion!.text} TaskManagers predate the TaskManager memory model (FLIP-49, Flink 1.10): no sizes are derived for them, and their usage is compared with what their JVM reports`);
  }

  const tmJson: TaskManagerJson[] = obs.taskManagers.map((tm) => {
    const group = groupOf.get(tm)!;
    const report = group.report;
    const disagreements =
      report === undefined || report.local || derivedSpec === undefined
        ? []
        : REPORTED_TO_MODEL.flatMap(([rest, model]) => {
            const r = report.memory[rest];
            const d = derivedSpec.memory[model].bytes;
            return r !== undefined && r !== d ? [{ component: model, reported: r.toString(), derived: d.toString() }] : [];
          });
    // A local MiniCluster is no process the cluster configuration's model describes.
    return taskManagerJson(tm, group, report?.local === true ? undefined : derivedSpec, disagreements, limits.get(tm)!, segment);
  });

  const findings: Finding[] = [];
  const scoped: { finding: Finding; scope: string; taskManagers: string[] }[] = [];
  const proposals: ProposalJson[] = [];
  const jobs = obs.jobs.map((j) => jobJson(j));

  // REST observations become doctor evidence and go through the same rules.
  const evidence = obs.jobs.flatMap((j) => jobEvidence(j));
  const first = [...groups.values()].find((g) => g.spec !== undefined);
  const context: RuleContext = {
    version,
    ...(first?.config !== undefined && first.spec !== undefined ? { config: first.config, spec: first.spec, containerLimit: first.spec.memory.totalProcessMemory.bytes } : {}),
  };
  for (const f of findingsFromEvidence(evidence, context)) scoped.push({ finding: f, scope: 'job', taskManagers: [] });

  const batch = obs.jobs.some((j) => str(obj(j.details?.['plan'])?.['type']) === 'BATCH' || str(obj(obj(j.plan)?.['plan'])?.['type']) === 'BATCH');
  const backend = stateBackendOf(clusterConfig);
  for (const group of groups.values()) {
    const ids = group.tms.map((t) => t.id);
    const mismatch = configMismatch(group, derivedSpec, obs.url);
    if (mismatch !== undefined) scoped.push({ finding: mismatch, scope: 'taskmanager', taskManagers: ids });
    const usage = usageRules(group, obs, limits, version, margin, backend, batch);
    for (const f of usage.findings) scoped.push({ finding: f, scope: 'taskmanager', taskManagers: ids });
    proposals.push(...usage.proposals.map((p) => ({ ...p, taskManagers: ids })));
    if (group.config === undefined || group.spec === undefined) continue;
    const network = networkRules(group, obs, clusterConfig ?? {}, version);
    for (const f of network.findings) scoped.push({ finding: f, scope: 'taskmanager', taskManagers: ids });
    const needs = [...usage.needs, ...network.needs];
    if (needs.length > 0) {
      try {
        const combined = combineFixes(group.config, version, needs, group.spec.memory.totalProcessMemory.bytes);
        if (combined !== undefined) {
          proposals.unshift({
            kind: 'grow',
            process: 'taskmanager',
            taskManagers: ids,
            reason: needs.map((n) => n.why).join('; '),
            set: combined.set,
            before: tmSizes(combined.before),
            after: tmSizes(combined.after),
            fitsProcess: combined.fitsContainer,
            processNeeded: combined.containerNeeded === undefined ? null : combined.containerNeeded.toString(),
            steps: combined.steps,
          });
        }
      } catch (e) {
        if (!(e instanceof FixError)) throw e;
        notes.push(`no proposal for TaskManagers ${ids.slice(0, 3).join(', ')}: ${e.message}`);
      }
    }
  }

  const jm = jobManagerPart(obs, clusterConfig, version, margin, reportedVersion, notes);
  for (const f of jm.findings) scoped.push({ finding: f, scope: 'jobmanager', taskManagers: [] });
  proposals.push(...jm.proposals);

  for (const job of jobs) {
    const high = job.backpressure.filter((b) => b.level === 'high');
    if (high.length > 0) {
      scoped.push({
        finding: {
          kind: 'backpressure-high',
          severity: 'low',
          summary: `job ${job.name}: ${high.length} vertex(es) back-pressured (${high.map((b) => b.name).slice(0, 3).join('; ')}): aligned checkpoints wait for the barriers behind the backlog`,
          evidence: [{ file: `${obs.url}/jobs/${job.id}/vertices/${high[0]!.vertex}/backpressure`, line: 0, text: `backpressure-level high, ratio ${high[0]!.maxRatio ?? '?'}` }],
          count: high.length,
          advice: ['back-pressure is a throughput problem first: scale the slow vertex, or unaligned checkpoints (execution.checkpointing.unaligned.enabled) keep checkpoints short meanwhile'],
        },
        scope: 'job',
        taskManagers: [],
      });
    }
  }

  findings.push(...scoped.map((s) => s.finding));
  const ranked = rankFindings(findings);
  const findingJson: FindingJson[] = ranked.map((f) => {
    const s = scoped.find((x) => x.finding === f)!;
    return {
      kind: f.kind,
      severity: f.severity,
      scope: s.scope,
      summary: f.summary,
      count: f.count,
      taskManagers: s.taskManagers,
      evidence: f.evidence.map((e) => ({ source: e.file, line: e.line, text: e.text })),
      advice: f.advice,
    };
  });
  if (noData !== undefined) findingJson.unshift(noData);

  const overview = obs.overview;
  return {
    url: obs.url,
    name: null,
    flinkVersion: obs.flinkVersion ?? null,
    modelVersion: version.line,
    overview:
      overview === undefined
        ? null
        : {
            taskManagers: num(overview['taskmanagers']) ?? null,
            slotsTotal: num(overview['slots-total']) ?? null,
            slotsAvailable: num(overview['slots-available']) ?? null,
            jobsRunning: num(overview['jobs-running']) ?? null,
          },
    jobManager: jm.json,
    taskManagers: tmJson,
    jobs,
    findings: findingJson,
    proposals,
    errors,
    samples: obs.samples,
    notes,
    noData: noData === undefined ? null : noData.summary,
  };
}

function taskManagerJson(tm: TaskManagerObservation, group: Group, derived: TaskManagerSpec | undefined, disagreements: TaskManagerJson['disagreements'], limits: Limits, segment: bigint): TaskManagerJson {
  const u = tm.usage;
  // Flink before 1.12 reports buffers, not bytes: segments times the segment size.
  const fromSegments = (metric: string): bigint | undefined => {
    const s = u.peak(metric);
    return s === undefined ? undefined : s * segment;
  };
  return {
    id: tm.id,
    slots: tm.slots ?? null,
    configured: group.configured,
    configuredSource: group.source,
    derived: derived === undefined ? null : tmSizes(derived),
    disagreements,
    used: {
      heapUsed: str0(u.peak(METRIC.heapUsed)),
      heapMax: str0(positive(u.latest(METRIC.heapMax))),
      managedUsed: str0(u.peak(METRIC.managedUsed)),
      managedTotal: str0(positive(u.latest(METRIC.managedTotal)) ?? tm.hardwareManagedMemory),
      networkUsed: str0(u.peak(METRIC.networkUsed) ?? fromSegments(METRIC.networkSegmentsUsed)),
      networkTotal: limits.network.source === 'jvm' ? str0(limits.network.bytes) : null,
      metaspaceUsed: str0(u.peak(METRIC.metaspaceUsed)),
      metaspaceMax: str0(positive(u.latest(METRIC.metaspaceMax))),
    },
    buffers: {
      heapCommitted: str0(u.latest(METRIC.heapCommitted)),
      directUsed: str0(u.peak(METRIC.directUsed)),
      directMax: str0(u.latest(METRIC.directMax)),
      mappedUsed: str0(u.peak(METRIC.mappedUsed)),
      mappedMax: str0(u.latest(METRIC.mappedMax)),
    },
    gc: tm.gc.map((g) => ({ name: g.name, count: g.count.toString(), timeMs: g.timeMs.toString(), ...(g.timeMsPerSecond !== undefined ? { timeMsPerSecond: g.timeMsPerSecond.toString() } : {}) })),
    limits: { heap: limitJson(limits.heap), managed: limitJson(limits.managed), network: limitJson(limits.network), metaspace: limitJson(limits.metaspace) },
    reportQuirks: group.report?.quirks ?? [],
  };
}

function configMismatch(group: Group, derived: TaskManagerSpec | undefined, url: string): Finding | undefined {
  const spec = group.reportedSpec;
  if (group.source !== 'rest' || spec === undefined || derived === undefined) return undefined;
  const differing = (['totalProcessMemory', 'taskHeap', 'managed', 'network', 'jvmMetaspace', 'jvmOverhead'] as const).filter((c) => spec.memory[c].bytes !== derived.memory[c].bytes);
  if (differing.length === 0) return undefined;
  const list = differing.map((c) => `${c} ${formatSize(spec.memory[c].bytes)} (${spec.memory[c].bytes}) running but ${formatSize(derived.memory[c].bytes)} (${derived.memory[c].bytes}) from the cluster configuration`);
  return {
    kind: 'config-mismatch',
    severity: 'low',
    summary: `${group.tms.length} TaskManager(s) do not run with the cluster configuration: ${list.join('; ')} (set at deployment: -D, -tm, a FlinkDeployment's resource)`,
    evidence: [{ file: `${url}/taskmanagers`, line: 0, text: 'memoryConfiguration' }],
    count: differing.length,
    advice: ['proposals below start from what the TaskManagers run with, not from /jobmanager/config'],
  };
}

interface RuleOutput {
  readonly findings: Finding[];
  readonly needs: FixRequest[];
  readonly proposals: Omit<ProposalJson, 'taskManagers'>[];
}

function usageRules(group: Group, obs: ClusterObservation, limits: ReadonlyMap<TaskManagerObservation, Limits>, version: FlinkVersionBehaviour, margin: number, backend: StateBackend, batch: boolean): RuleOutput {
  const spec = group.spec;
  const config = group.config;
  const canPropose = spec !== undefined && config !== undefined;
  const out: RuleOutput = { findings: [], needs: [], proposals: [] };
  const where = { file: `${obs.url}/taskmanagers/<id>/metrics`, line: 0 };
  const samples = `${obs.samples} sample(s) of ${group.tms.length} TaskManager(s)`;

  const managedPeak = peakOf(group.tms, METRIC.managedUsed);
  const managedLimit = groupLimit(group, limits, 'managed');
  const managedTotal = managedLimit?.bytes;
  // Idle managed memory and an idle heap are one proposal together: both shrink or move at once.
  // A local MiniCluster's heap is whatever the IDE's JVM got: nothing idle there is Flink's to give back.
  const local = group.report?.local === true;
  const managedIdle = !local && managedPeak !== undefined && managedTotal !== undefined && managedTotal > 0n && managedPeak === 0n && (backend === 'heap' || backend === 'not-known') && !batch;
  if (managedIdle) {
    const known = backend === 'heap';
    out.findings.push({
      kind: 'managed-idle',
      severity: known ? 'medium' : 'low',
      summary: known
        ? `managed memory ${formatSize(managedTotal)} (${managedTotal} bytes, ${whose(managedLimit!)}) was never used over ${samples}: the heap state backend keeps state on the heap, and no batch job runs`
        : `managed memory ${formatSize(managedTotal)} (${managedTotal} bytes, ${whose(managedLimit!)}) was never used over ${samples}, and no batch job runs; the state backend is not known (no cluster configuration): RocksDB or ForSt state would hold managed memory while a job runs`,
      evidence: [{ ...where, text: `${METRIC.managedUsed} peak 0, total ${managedTotal} (${managedLimit!.from})` }],
      count: group.tms.length,
      advice: [
        ...(known ? [] : ['check state.backend.type of the jobs before giving managed memory away']),
        'if a job later uses RocksDB, batch operators or Python UDFs, it needs managed memory again',
      ],
    });
  } else if (managedPeak !== undefined && managedTotal !== undefined && managedTotal > 0n && (backend === 'rocksdb' || backend === 'forst') && managedPeak * 100n >= managedTotal * 99n) {
    const need: FixRequest | undefined = canPropose ? { component: 'managed', atLeast: roundUpToMiB((spec.memory.managed.bytes * 5n) / 4n), why: `RocksDB uses all ${formatSize(managedTotal)} of managed memory` } : undefined;
    out.findings.push({
      kind: 'rocksdb-managed-full',
      severity: 'low',
      summary: `RocksDB holds all of managed memory (${formatSize(managedPeak)} of ${formatSize(managedTotal)}, ${whose(managedLimit!)}): its cache and write buffers are as large as Flink allows; slow state access or frequent flushes call for more`,
      evidence: [{ ...where, text: `${METRIC.managedUsed} peak ${managedPeak}, total ${managedTotal}` }],
      count: group.tms.length,
      ...(need !== undefined ? { need } : {}),
      advice: ['RocksDB reserves its whole share when it starts, so "full" is normal: grow it when the block cache hit rate (state.backend.rocksdb.metrics.block-cache-hit) is low'],
    });
  }

  const heapPeak = peakOf(group.tms, METRIC.heapUsed);
  const heapLimit = groupLimit(group, limits, 'heap');
  let heapIdle = false;
  if (heapPeak !== undefined && heapLimit?.bytes !== undefined) {
    const limit = heapLimit.bytes;
    const wanted = withMargin(heapPeak, margin);
    const of = `${percentOf(heapPeak, limit)} of the ${formatSize(limit)} heap, ${whose(heapLimit)}`;
    if (wanted > limit) {
      // The JVM's heap must grow by what is missing: the task heap grows by as much.
      const need: FixRequest | undefined = canPropose ? { component: 'taskHeap', atLeast: spec.memory.taskHeap.bytes + (wanted - limit), why: `heap peak ${formatSize(heapPeak)} + ${margin}% exceeds the ${formatSize(limit)} heap` } : undefined;
      if (need !== undefined) out.needs.push(need);
      out.findings.push({
        kind: 'heap-near-limit',
        severity: 'high',
        summary: `heap used peaked at ${formatSize(heapPeak)} (${heapPeak} bytes, ${of}) over ${samples}: with a ${margin}% margin the heap should be ${formatSize(wanted)}`,
        evidence: [{ ...where, text: `${METRIC.heapUsed} peak ${heapPeak}, heap ${limit} (${heapLimit.from})` }],
        count: group.tms.length,
        ...(need !== undefined ? { need } : {}),
        advice: ['heap used includes garbage not yet collected: the heap after GC (flink-memory gc on the GC log) tells the live set'],
      });
    } else if (!local && wanted * 2n < limit && limit - wanted >= 256n * MiB) {
      heapIdle = true;
      const advice = [obs.samples < 2 ? 'one sample: confirm the peak over a busy period with --watch before shrinking' : 'confirm over a busy period (window, checkpoint, restore) before shrinking'];
      if (!canPropose) {
        const idle = ((limit - wanted) / MiB) * MiB;
        out.findings.push({
          kind: 'heap-underused',
          severity: 'low',
          summary: `heap used peaked at ${formatSize(heapPeak)} (${of}) over ${samples}: ${formatSize(idle)} of heap is idle even with a ${margin}% margin`,
          evidence: [{ ...where, text: `${METRIC.heapUsed} peak ${heapPeak}, heap ${limit} (${heapLimit.from})` }],
          count: group.tms.length,
          advice,
        });
      } else {
        const m = spec.memory;
        // Whole MiB freed keeps a whole-MiB process (the container request) whole.
        const base = limit < m.jvmHeap.bytes ? limit : m.jvmHeap.bytes;
        const floor = m.frameworkHeap.bytes + 64n * MiB > wanted ? m.frameworkHeap.bytes + 64n * MiB : wanted;
        const toManaged = backend === 'rocksdb' || backend === 'forst';
        const dropManaged = managedIdle ? m.managed.bytes : 0n;
        const freed = ((base - floor + dropManaged) / MiB) * MiB - dropManaged;
        const newTaskHeap = m.taskHeap.bytes - freed;
        const p = rebalance(
          config,
          version,
          spec,
          { taskHeap: newTaskHeap, ...(toManaged ? { managed: m.managed.bytes + freed } : managedIdle ? { managed: 0n } : {}) },
          toManaged ? 0n : -(freed + dropManaged),
        );
        out.findings.push({
          kind: 'heap-underused',
          severity: 'low',
          summary: `heap used peaked at ${formatSize(heapPeak)} (${of}) over ${samples}: ${formatSize(freed)} of task heap is idle even with a ${margin}% margin`,
          evidence: [{ ...where, text: `${METRIC.heapUsed} peak ${heapPeak}, heap ${limit} (${heapLimit.from})` }],
          count: group.tms.length,
          advice,
        });
        if (p !== undefined) {
          out.proposals.push({
            ...p,
            kind: toManaged ? 'heap-to-managed' : 'shrink',
            reason: toManaged
              ? `task heap ${formatSize(m.taskHeap.bytes)} -> ${formatSize(newTaskHeap)}: RocksDB gets the ${formatSize(freed)} as managed memory, the process keeps its size`
              : `task heap ${formatSize(m.taskHeap.bytes)} -> ${formatSize(newTaskHeap)}${managedIdle ? ` and idle managed memory ${formatSize(m.managed.bytes)} -> 0 B` : ''}: the process can be ${formatSize(freed + dropManaged)} smaller`,
          });
        }
      }
    }
  }
  if (managedIdle && !heapIdle && canPropose) {
    const m = spec.memory;
    const p = rebalance(config, version, spec, { managed: 0n, taskHeap: m.taskHeap.bytes + m.managed.bytes }, 0n);
    if (p !== undefined) out.proposals.push({ ...p, kind: 'managed-to-heap', reason: `managed memory ${formatSize(m.managed.bytes)} -> 0 B: the task heap, where heap state lives, gets it; the process keeps its size` });
  }

  const metaPeak = peakOf(group.tms, METRIC.metaspaceUsed);
  const metaLimit = groupLimit(group, limits, 'metaspace');
  // A JVM without -XX:MaxMetaspaceSize has no metaspace limit to come near.
  if (metaPeak !== undefined && metaLimit?.bytes !== undefined) {
    const limit = metaLimit.bytes;
    const wanted = withMargin(metaPeak, margin);
    if (wanted > limit) {
      const need: FixRequest | undefined = canPropose
        ? { component: 'jvmMetaspace', atLeast: spec.memory.jvmMetaspace.bytes + (wanted - limit), why: `metaspace peak ${formatSize(metaPeak)} + ${margin}% exceeds ${formatSize(limit)}` }
        : undefined;
      if (need !== undefined) out.needs.push(need);
      out.findings.push({
        kind: 'metaspace-near-limit',
        severity: wanted - limit > limit / 10n ? 'high' : 'medium',
        summary: `metaspace used peaked at ${formatSize(metaPeak)} (${percentOf(metaPeak, limit)} of ${formatSize(limit)}, ${whose(metaLimit)}) over ${samples}: a job restart that loads its classes again can hit OutOfMemoryError: Metaspace`,
        evidence: [{ ...where, text: `${METRIC.metaspaceUsed} peak ${metaPeak}, max ${limit} (${metaLimit.from})` }],
        count: group.tms.length,
        ...(need !== undefined ? { need } : {}),
        advice: ['metaspace that grows with every restart is a class-loader leak: classloader.check-leaked-classloader'],
      });
    }
  }

  return out;
}

/** The pinned sizes of `spec` with some components changed, derived again (valid by construction). */
function rebalance(
  config: FlatConfig,
  version: FlinkVersionBehaviour,
  spec: TaskManagerSpec,
  change: { taskHeap?: bigint; managed?: bigint },
  processDelta: bigint,
): Omit<ProposalJson, 'taskManagers' | 'kind' | 'reason'> | undefined {
  const m = spec.memory;
  const facts: Record<string, string> = {
    totalProcessMemory: (m.totalProcessMemory.bytes + processDelta).toString(),
    frameworkHeap: m.frameworkHeap.bytes.toString(),
    taskHeap: (change.taskHeap ?? m.taskHeap.bytes).toString(),
    frameworkOffHeap: m.frameworkOffHeap.bytes.toString(),
    taskOffHeap: m.taskOffHeap.bytes.toString(),
    managed: (change.managed ?? m.managed.bytes).toString(),
    jvmMetaspace: m.jvmMetaspace.bytes.toString(),
    network: m.network.bytes.toString(),
    jvmOverhead: m.jvmOverhead.bytes.toString(),
  };
  const pinned = configFromStartup(facts);
  if (pinned === undefined) return undefined;
  const next = { ...config, ...pinned };
  const after = deriveTaskManagerMemory(next, version);
  if (!after.ok) return undefined;
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(pinned)) if (config[k] !== v) set[k] = v.endsWith('b') ? configSize(BigInt(v.slice(0, -1))) : v;
  return {
    process: 'taskmanager',
    set,
    before: tmSizes(spec),
    after: tmSizes(after.spec),
    fitsProcess: after.spec.memory.totalProcessMemory.bytes <= m.totalProcessMemory.bytes,
    processNeeded: null,
    steps: [],
  };
}

/** Network buffers the running jobs' graphs need on the worst-case TaskManager of this group. */
function networkRules(group: Group, obs: ClusterObservation, cluster: FlatConfig, version: FlinkVersionBehaviour): { findings: Finding[]; needs: FixRequest[] } {
  const findings: Finding[] = [];
  const needs: FixRequest[] = [];
  const slots = group.tms[0]?.slots ?? group.spec!.numSlots;
  for (const job of obs.jobs) {
    if (job.plan === undefined) continue;
    let tasks;
    try {
      const plan = parseJobPlan(JSON.stringify(job.plan), job.detailsUrl);
      const runtimeMode = parseRuntimeMode(cluster['execution.runtime-mode']) ?? 'STREAMING';
      tasks = tasksFromPlan(plan, { runtimeMode, batchShuffleMode: 'ALL_EXCHANGES_BLOCKING' });
    } catch (e) {
      if (e instanceof PlanError) {
        obs.notes.push(`job ${job.name}: plan not read: ${e.message}`);
        continue;
      }
      throw e;
    }
    const result = checkNetworkRequirement(cluster, tasks, slots, version, group.config!);
    if (!result.ok || !result.requirement.configured.ok) continue;
    const r = result.requirement;
    const c = result.requirement.configured;
    if (!c.insufficient) continue;
    const need: FixRequest = { component: 'network', atLeast: r.requiredBytes, why: `job ${job.name} needs ${r.requiredBuffers} network buffers on a full TaskManager` };
    needs.push(need);
    findings.push({
      kind: 'network-short-for-job',
      severity: 'medium',
      summary: `job ${job.name}: a TaskManager with ${slots} slot(s) full of its subtasks needs ${r.requiredBuffers} network buffers (${formatSize(r.requiredBytes)}), but has ${c.networkBuffers} (${formatSize(c.networkBytes)}): a failover or rescale that packs its subtasks fails with "Insufficient number of network buffers"`,
      evidence: [{ file: job.detailsUrl, line: 0, text: `plan of ${tasks.length} vertices` }],
      count: 1,
      need,
      advice: ['worst case assumed: every channel remote; flink-memory network --plan shows the per-vertex figures'],
    });
  }
  return { findings, needs };
}

/** Checkpoint failures and memory-related exceptions as doctor evidence. */
export function jobEvidence(job: JobObservation): Evidence[] {
  const evidence: Evidence[] = [];
  for (const f of checkpointFailures(job.checkpoints)) {
    const kind: EvidenceKind = `checkpoint-${f.classification}`;
    evidence.push({
      kind,
      at: { file: job.checkpointsUrl, line: 0, text: f.message.slice(0, 500) },
      ...(f.timestamp !== null ? { epochMs: f.timestamp } : {}),
      summary: `checkpoint ${f.id ?? '?'} of job ${job.name} failed: ${f.message.split('\n')[0]}`,
      facts: { ...(f.id !== null ? { checkpointId: f.id } : {}), reason: f.message.split('\n')[0]!.slice(0, 300), job: job.id },
    });
  }
  for (const [i, e] of exceptionEntries(job.exceptions).entries()) {
    const found = memoryEvidence(e.stacktrace);
    if (found === undefined) continue;
    evidence.push({
      kind: found.kind,
      at: { file: job.exceptionsUrl, line: i + 1, text: found.line.slice(0, 500) },
      ...(e.timestamp !== undefined ? { epochMs: e.timestamp } : {}),
      summary: found.summary,
      facts: { ...found.facts, job: job.id, ...(e.taskManagerId !== undefined ? { resourceId: e.taskManagerId } : {}) },
    });
  }
  return evidence;
}

interface ExceptionEntry {
  readonly stacktrace: string;
  readonly timestamp: number | undefined;
  readonly taskManagerId: string | undefined;
}

/** exceptionHistory (1.13+) and, for older versions, root-exception / all-exceptions. */
function exceptionEntries(body: JsonObject | undefined): ExceptionEntry[] {
  if (body === undefined) return [];
  const out: ExceptionEntry[] = [];
  const history = arr(obj(body['exceptionHistory'])?.['entries']);
  const push = (o: JsonObject | undefined, traceKey: string) => {
    const trace = str(o?.[traceKey]);
    if (o === undefined || trace === undefined) return;
    out.push({ stacktrace: trace, timestamp: num(o['timestamp']), taskManagerId: str(o['taskManagerId']) });
  };
  for (const h of history) {
    const o = obj(h);
    push(o, 'stacktrace');
    for (const c of arr(o?.['concurrentExceptions'])) push(obj(c), 'stacktrace');
  }
  if (out.length === 0) {
    const root = str(body['root-exception']);
    if (root !== undefined) out.push({ stacktrace: root, timestamp: num(body['timestamp']), taskManagerId: undefined });
    for (const a of arr(body['all-exceptions'])) push(obj(a), 'exception');
  }
  return out;
}

/** The deepest memory-related cause in a stack trace (the root cause is printed last). */
function memoryEvidence(trace: string): { kind: EvidenceKind; line: string; summary: string; facts: Record<string, string | number | boolean> } | undefined {
  let found: ReturnType<typeof memoryEvidence>;
  for (const line of trace.split('\n')) {
    if (line.startsWith('\tat ') || line.trim().startsWith('at ')) continue;
    const oom = findOutOfMemoryError(line);
    if (oom !== undefined) {
      found = { kind: oom.kind, line, summary: oom.summary, facts: oom.facts };
      continue;
    }
    const network = line.includes('Insufficient number of network buffers') ? matchNetworkBuffers(line) : undefined;
    if (network !== undefined) {
      found = { kind: 'network-buffers-insufficient', line, summary: line.trim(), facts: network };
      continue;
    }
    const managed = matchManagedMemory(line);
    if (managed !== undefined) {
      found = { kind: 'managed-memory-allocation', line, summary: line.trim(), facts: managed };
      continue;
    }
    const rocks = line.includes('RocksDB') ? matchRocksDb(line) : undefined;
    if (rocks !== undefined && rocks['problem'] === true) found = { kind: 'rocksdb-memory', line, summary: line.trim(), facts: rocks };
  }
  return found;
}

/** declined / expired / aborted from Flink's failure message (CheckpointFailureReason texts). */
export function classifyCheckpointFailure(message: string): { classification: 'declined' | 'expired' | 'aborted'; reason: string | null } {
  const text = message.replace(/^[\w.$]*CheckpointException:\s*/, '');
  const reason = checkpointFailureReason(text) ?? null;
  if (reason === 'CHECKPOINT_EXPIRED' || (reason === null && /expired/i.test(text))) return { classification: 'expired', reason };
  if ((reason !== null && TASK_DECLINE_REASONS.has(reason)) || (reason === null && /declin/i.test(text))) return { classification: 'declined', reason };
  return { classification: 'aborted', reason };
}

function checkpointFailures(body: JsonObject | undefined): CheckpointFailureJson[] {
  if (body === undefined) return [];
  const seen = new Set<number>();
  const out: CheckpointFailureJson[] = [];
  const add = (entry: Json | undefined) => {
    const o = obj(entry);
    const message = str(o?.['failure_message']);
    if (o === undefined || message === undefined) return;
    const id = num(o['id']);
    if (id !== undefined) {
      if (seen.has(id)) return;
      seen.add(id);
    }
    out.push({ id: id ?? null, ...classifyCheckpointFailure(message), message, timestamp: num(o['failure_timestamp']) ?? null });
  };
  add(obj(body['latest'])?.['failed']);
  for (const h of arr(body['history'])) if (str(obj(h)?.['status']) === 'FAILED') add(h);
  return out.slice(0, 10);
}

function jobJson(job: JobObservation): JobJson {
  const cp = job.checkpoints;
  let checkpoints: CheckpointsJson | null = null;
  if (cp !== undefined) {
    const counts = obj(cp['counts']);
    const completed = obj(obj(cp['latest'])?.['completed']);
    const failures = checkpointFailures(cp);
    const latestFailedId = num(obj(obj(cp['latest'])?.['failed'])?.['id']);
    checkpoints = {
      counts: {
        total: num(counts?.['total']) ?? null,
        completed: num(counts?.['completed']) ?? null,
        failed: num(counts?.['failed']) ?? null,
        inProgress: num(counts?.['in_progress']) ?? null,
        restored: num(counts?.['restored']) ?? null,
      },
      latestCompleted:
        completed === undefined
          ? null
          : {
              id: num(completed['id']) ?? null,
              durationMs: num(completed['end_to_end_duration']) ?? null,
              stateSize: str0(bigOf(completed['state_size'])),
              checkpointedSize: str0(bigOf(completed['checkpointed_size'])),
            },
      latestFailed: latestFailedId === undefined ? null : (failures.find((f) => f.id === latestFailedId) ?? null),
      failures,
    };
  }
  const backpressure: BackpressureJson[] = job.backpressure.map((b) => {
    const body = b.body;
    const level = str(body?.['backpressure-level']) ?? str(body?.['backpressureLevel']);
    const status = str(body?.['status']);
    const ratios = arr(body?.['subtasks']).flatMap((s) => {
      const r = num(obj(s)?.['ratio']);
      return r === undefined ? [] : [r];
    });
    return {
      vertex: b.vertex,
      name: b.name,
      level: body === undefined ? 'unknown' : status === 'deprecated' || level === undefined ? 'sampling' : level,
      maxRatio: ratios.length === 0 ? null : Math.max(...ratios),
    };
  });
  const memoryExceptions = exceptionEntries(job.exceptions).flatMap((e) => {
    const found = memoryEvidence(e.stacktrace);
    return found === undefined ? [] : [{ kind: found.kind, summary: found.summary, timestamp: e.timestamp ?? null, taskManagerId: e.taskManagerId ?? null }];
  });
  return { id: job.id, name: job.name, state: job.state, checkpoints, backpressure, memoryExceptions };
}

/**
 * The JobManager: derived from the cluster configuration where the JobManager process model applies
 * (Flink 1.11+), its heap and metaspace use compared with what its JVM reports as their maximum.
 */
function jobManagerPart(
  obs: ClusterObservation,
  config: FlatConfig | undefined,
  version: FlinkVersionBehaviour,
  margin: number,
  reported: ReportedVersion | undefined,
  notes: string[],
): { json: ClusterJson['jobManager']; findings: Finding[]; proposals: ProposalJson[] } {
  const u = obs.jobManagerUsage;
  // FLIP-116's JobManager process memory came with Flink 1.11: before, only jobmanager.heap.size existed.
  const modelApplies = !olderThan(reported, 1, 11);
  if (!modelApplies && config !== undefined) {
    notes.push(
      `Flink ${reported!.text}'s JobManager predates the JobManager memory model (FLIP-116, Flink 1.11): no process sizes are derived for it (its heap is jobmanager.heap.size${config['jobmanager.heap.size'] !== undefined ? `, ${config['jobmanager.heap.size']}` : ''}), and its use is compared with what its JVM reports`,
    );
  }
  const derived = config === undefined || !modelApplies ? undefined : deriveJobManagerMemory(config, version);
  const spec = derived?.ok === true ? derived.spec : undefined;
  const heapMax = positive(u.latest(METRIC.heapMax));
  const metaMax = u.latest(METRIC.metaspaceMax);
  const json: ClusterJson['jobManager'] = {
    configured: spec === undefined ? null : jmSizes(spec),
    used: { heapUsed: str0(u.peak(METRIC.heapUsed)), heapMax: str0(heapMax), metaspaceUsed: str0(u.peak(METRIC.metaspaceUsed)), metaspaceMax: str0(positive(metaMax)) },
    jvmOptions: obs.jobManagerJvmOptions,
    configurationKeys: config === undefined ? 0 : Object.keys(config).length,
  };
  const findings: Finding[] = [];
  const proposals: ProposalJson[] = [];
  const checks = [
    { metric: METRIC.heapUsed, component: 'jvmHeap', key: 'jobmanager.memory.heap.size', kind: 'heap-near-limit', label: 'heap', max: heapMax, maxMetric: METRIC.heapMax },
    // -1: no -XX:MaxMetaspaceSize, nothing to come near.
    { metric: METRIC.metaspaceUsed, component: 'jvmMetaspace', key: 'jobmanager.memory.jvm-metaspace.size', kind: 'metaspace-near-limit', label: 'metaspace', max: metaMax === NO_LIMIT ? null : positive(metaMax), maxMetric: METRIC.metaspaceMax },
  ] as const;
  for (const c of checks) {
    const peak = u.peak(c.metric);
    if (peak === undefined || c.max === null) continue;
    const configured = spec?.memory[c.component].bytes;
    const limit = c.max ?? configured;
    if (limit === undefined) continue;
    const whoseLimit = c.max !== undefined ? 'as the JobManager reports' : 'as re-derived from /jobmanager/config';
    const wantedRaw = withMargin(peak, margin);
    if (roundUpToMiB(wantedRaw) <= limit) continue;
    // The configured size grows by what the JVM's figure is short of.
    const wanted = roundUpToMiB((configured ?? limit) + wantedRaw - limit);
    findings.push({
      kind: c.kind,
      severity: 'high',
      summary: `JobManager ${c.label} used peaked at ${formatSize(peak)} (${percentOf(peak, limit)} of ${formatSize(limit)}, ${whoseLimit}): with a ${margin}% margin it should be ${formatSize(roundUpToMiB(wantedRaw))}`,
      evidence: [{ file: `${obs.url}/jobmanager/metrics`, line: 0, text: `${c.metric} peak ${peak}, max ${limit}` }],
      count: 1,
      advice: modelApplies ? [] : [c.label === 'heap' ? `Flink ${reported!.text} sizes the JobManager heap with jobmanager.heap.size` : 'before Flink 1.11 the JobManager metaspace limit is a JVM option (env.java.opts.jobmanager: -XX:MaxMetaspaceSize)'],
    });
    if (spec === undefined || config === undefined || configured === undefined) continue;
    // The JobManager grows by exactly the difference: the process size moves with the component.
    const delta = wanted - configured;
    const change: Record<string, string> = { [c.key]: configSize(wanted) };
    if (spec.mode === 'total-process') change['jobmanager.memory.process.size'] = configSize(spec.memory.totalProcessMemory.bytes + delta);
    const after = deriveJobManagerMemory({ ...config, ...change }, version);
    if (after.ok && after.spec.memory[c.component].bytes >= wanted) {
      proposals.push({
        kind: `jobmanager-${c.label}`,
        process: 'jobmanager',
        taskManagers: [],
        reason: `JobManager ${c.label} ${formatSize(configured)} -> ${formatSize(after.spec.memory[c.component].bytes)}`,
        set: change,
        before: jmSizes(spec),
        after: jmSizes(after.spec),
        fitsProcess: after.spec.memory.totalProcessMemory.bytes <= spec.memory.totalProcessMemory.bytes,
        processNeeded: after.spec.memory.totalProcessMemory.bytes <= spec.memory.totalProcessMemory.bytes ? null : after.spec.memory.totalProcessMemory.bytes.toString(),
        steps: [],
      });
    }
  }
  return { json, findings, proposals };
}

/** Worst first: by the most severe finding, then by the number of failed calls. */
export function clusterRank(c: ClusterJson): number {
  const worst = c.findings.reduce((m, f) => Math.min(m, SEVERITY_ORDER.indexOf(f.severity)), SEVERITY_ORDER.length);
  return worst * 1000 - Math.min(c.errors.length, 999);
}
