/**
 * From observations to the report: the exact model over what each TaskManager reports and over the
 * cluster configuration, REST observations as doctor evidence through the shared rules, and rules
 * over observed usage whose proposals come from src/diagnose/fixes (valid by construction).
 */
import { configFromStartup } from '../diagnose/doctor.js';
import { findOutOfMemoryError } from '../diagnose/detectors/flink-log-oom.js';
import { checkpointFailureReason, matchManagedMemory, matchNetworkBuffers, matchRocksDb, TASK_DECLINE_REASONS } from '../diagnose/detectors/flink-log-messages.js';
import type { Evidence, EvidenceKind } from '../diagnose/evidence.js';
import { combineFixes, FixError, type FixRequest } from '../diagnose/fixes.js';
import { findingsFromEvidence, rankFindings, SEVERITY_ORDER, type Finding, type RuleContext } from '../diagnose/findings.js';
import type { FlatConfig } from '../memory/configuration.js';
import { deriveJobManagerMemory } from '../memory/jobmanager.js';
import { JOB_MANAGER_COMPONENTS, TASK_MANAGER_COMPONENTS, type JobManagerSpec, type TaskManagerSpec } from '../memory/spec.js';
import { deriveTaskManagerMemory } from '../memory/taskmanager.js';
import { DEFAULT_FLINK_VERSION, FLINK_VERSIONS, resolveFlinkVersion, type FlinkVersionBehaviour } from '../memory/versions.js';
import { parseJobPlan, parseRuntimeMode, PlanError, tasksFromPlan } from '../plan/job-plan.js';
import { checkNetworkRequirement } from '../plan/network-requirement.js';
import { configSize, roundUpToMiB } from '../plan/sizes.js';
import { formatSize } from '../report/format.js';
import type { ClusterObservation, JobObservation, ReportedMemory, TaskManagerObservation } from './collect.js';
import { arr, bigOf, num, obj, str, type Json, type JsonObject } from './json.js';
import { METRIC } from './metrics.js';
import type { RestError } from './rest-client.js';
import type { BackpressureJson, CheckpointFailureJson, CheckpointsJson, ClusterJson, FindingJson, JobJson, ProposalJson, Sizes, TaskManagerJson } from './result.js';

export interface AnalyseOptions {
  /** Headroom over an observed peak, in percent (default 25). */
  readonly marginPercent?: number;
  /** --flink-version: the rules to apply whatever the cluster reports. */
  readonly version?: FlinkVersionBehaviour;
}

const MiB = 1024n * 1024n;
const DEFAULT_MARGIN = 25;

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

/** Memory options of the cluster configuration that the pinned sizes of a running TaskManager replace. */
const TM_MEMORY_KEY = /^taskmanager\.(memory\.(process|flink|task|managed\.(size|fraction)|network\.(min|max|fraction)|jvm-overhead|jvm-metaspace|framework)|heap\.|network\.numberOfBuffers)/;

/**
 * The configuration a TaskManager runs with: the cluster's options, with its memory pinned to the
 * sizes it reports (doctor's configFromStartup writes them as explicit options that derive the same).
 */
function runningConfig(cluster: FlatConfig, reported: ReportedMemory | undefined): FlatConfig | undefined {
  if (reported === undefined) return undefined;
  const facts: Record<string, string> = {};
  for (const [rest, model] of REPORTED_TO_MODEL) {
    const v = reported[rest];
    if (v !== undefined && model !== 'totalFlinkMemory') facts[model] = v.toString();
  }
  const pinned = configFromStartup(facts);
  if (pinned === undefined) return undefined;
  const kept = Object.fromEntries(Object.entries(cluster).filter(([k]) => !TM_MEMORY_KEY.test(k)));
  return { ...kept, ...pinned };
}

interface Group {
  readonly key: string;
  readonly tms: TaskManagerObservation[];
  readonly config: FlatConfig | undefined;
  readonly spec: TaskManagerSpec | undefined;
  readonly source: 'rest' | 'model' | null;
}

const peakOf = (tms: readonly TaskManagerObservation[], metric: string): bigint | undefined =>
  tms.reduce<bigint | undefined>((m, tm) => {
    const v = tm.usage.peak(metric);
    return v === undefined ? m : m === undefined || v > m ? v : m;
  }, undefined);

const str0 = (v: bigint | undefined): string | null => (v === undefined ? null : v.toString());
const withMargin = (peak: bigint, percent: number): bigint => (peak * BigInt(100 + percent) + 99n) / 100n;
const percentOf = (part: bigint, whole: bigint): string => (whole === 0n ? '-' : `${(Number((part * 1000n) / whole) / 10).toFixed(1)}%`);

type StateBackend = 'heap' | 'rocksdb' | 'forst' | 'unknown';
function stateBackendOf(config: FlatConfig | undefined): StateBackend {
  const raw = (config?.['state.backend.type'] ?? config?.['state.backend'] ?? 'hashmap').toLowerCase();
  if (raw === 'hashmap' || raw === 'filesystem' || raw === 'jobmanager' || raw.includes('hashmapstatebackend') || raw.includes('fsstatebackend') || raw.includes('memorystatebackend')) return 'heap';
  if (raw.includes('rocksdb')) return 'rocksdb';
  if (raw.includes('forst')) return 'forst';
  return 'unknown';
}

export function analyseCluster(obs: ClusterObservation, errors: readonly RestError[], options: AnalyseOptions = {}): ClusterJson {
  const notes = [...obs.notes];
  const version = options.version ?? modelVersionFor(obs.flinkVersion, notes);
  const margin = options.marginPercent ?? DEFAULT_MARGIN;
  const clusterConfig = obs.config;
  if (clusterConfig === undefined) notes.push('no cluster configuration (/jobmanager/config did not answer): sizes cannot be re-derived');

  const derivedTm = clusterConfig === undefined ? undefined : deriveTaskManagerMemory(clusterConfig, version);
  if (derivedTm !== undefined && !derivedTm.ok) notes.push(`the cluster configuration does not derive a TaskManager: ${derivedTm.error.message}`);
  const derivedSpec = derivedTm?.ok === true ? derivedTm.spec : undefined;

  // TaskManagers that report the same memory share one configuration: rules and proposals per group.
  const groups = new Map<string, Group>();
  const tmJson: TaskManagerJson[] = [];
  for (const tm of obs.taskManagers) {
    const key = tm.reported === undefined ? 'model' : REPORTED_TO_MODEL.map(([r]) => tm.reported![r] ?? '-').join(',');
    let group = groups.get(key);
    if (group === undefined) {
      const config = tm.reported === undefined ? clusterConfig : runningConfig(clusterConfig ?? {}, tm.reported);
      const derived = config === undefined ? undefined : deriveTaskManagerMemory(config, version);
      if (derived !== undefined && !derived.ok) notes.push(`TaskManager ${tm.id}: its reported memory does not derive (${derived.error.message})`);
      group = { key, tms: [], config, spec: derived?.ok === true ? derived.spec : undefined, source: derived?.ok === true ? (tm.reported === undefined ? 'model' : 'rest') : null };
      groups.set(key, group);
    }
    group.tms.push(tm);
    const disagreements =
      tm.reported === undefined || derivedSpec === undefined
        ? []
        : REPORTED_TO_MODEL.flatMap(([rest, model]) => {
            const r = tm.reported![rest];
            const d = derivedSpec.memory[model].bytes;
            return r !== undefined && r !== d ? [{ component: model, reported: r.toString(), derived: d.toString() }] : [];
          });
    tmJson.push(taskManagerJson(tm, group, derivedSpec, disagreements, version));
  }

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
  for (const group of groups.values()) {
    const ids = group.tms.map((t) => t.id);
    const mismatch = configMismatch(group, derivedSpec, obs.url);
    if (mismatch !== undefined) scoped.push({ finding: mismatch, scope: 'taskmanager', taskManagers: ids });
    if (group.config === undefined || group.spec === undefined) continue;
    const usage = usageRules(group, obs, version, margin, stateBackendOf(clusterConfig), batch);
    for (const f of usage.findings) scoped.push({ finding: f, scope: 'taskmanager', taskManagers: ids });
    proposals.push(...usage.proposals.map((p) => ({ ...p, taskManagers: ids })));
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

  const jm = jobManagerPart(obs, clusterConfig, version, margin);
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
  };
}

function taskManagerJson(tm: TaskManagerObservation, group: Group, derived: TaskManagerSpec | undefined, disagreements: TaskManagerJson['disagreements'], version: FlinkVersionBehaviour): TaskManagerJson {
  const u = tm.usage;
  const segment = 32768n;
  // Flink before 1.12 reports buffers, not bytes: segments times the segment size.
  const fromSegments = (metric: string): bigint | undefined => {
    const s = u.peak(metric);
    return s === undefined ? undefined : s * segment;
  };
  void version;
  return {
    id: tm.id,
    slots: tm.slots ?? null,
    configured: group.spec === undefined ? null : tmSizes(group.spec),
    configuredSource: group.source,
    derived: derived === undefined ? null : tmSizes(derived),
    disagreements,
    used: {
      heapUsed: str0(u.peak(METRIC.heapUsed)),
      heapMax: str0(u.latest(METRIC.heapMax)),
      managedUsed: str0(u.peak(METRIC.managedUsed)),
      managedTotal: str0(u.latest(METRIC.managedTotal)),
      networkUsed: str0(u.peak(METRIC.networkUsed) ?? fromSegments(METRIC.networkSegmentsUsed)),
      networkTotal: str0(u.latest(METRIC.networkTotal) ?? (u.latest(METRIC.networkSegmentsTotal) === undefined ? undefined : u.latest(METRIC.networkSegmentsTotal)! * segment)),
      metaspaceUsed: str0(u.peak(METRIC.metaspaceUsed)),
      metaspaceMax: str0(u.latest(METRIC.metaspaceMax)),
    },
    buffers: {
      heapCommitted: str0(u.latest(METRIC.heapCommitted)),
      directUsed: str0(u.peak(METRIC.directUsed)),
      directMax: str0(u.latest(METRIC.directMax)),
      mappedUsed: str0(u.peak(METRIC.mappedUsed)),
      mappedMax: str0(u.latest(METRIC.mappedMax)),
    },
    gc: tm.gc.map((g) => ({ name: g.name, count: g.count.toString(), timeMs: g.timeMs.toString(), ...(g.timeMsPerSecond !== undefined ? { timeMsPerSecond: g.timeMsPerSecond.toString() } : {}) })),
  };
}

function configMismatch(group: Group, derived: TaskManagerSpec | undefined, url: string): Finding | undefined {
  if (group.source !== 'rest' || group.spec === undefined || derived === undefined) return undefined;
  const differing = (['totalProcessMemory', 'taskHeap', 'managed', 'network', 'jvmMetaspace', 'jvmOverhead'] as const).filter((c) => group.spec!.memory[c].bytes !== derived.memory[c].bytes);
  if (differing.length === 0) return undefined;
  const list = differing.map((c) => `${c} ${formatSize(group.spec!.memory[c].bytes)} (${group.spec!.memory[c].bytes}) running but ${formatSize(derived.memory[c].bytes)} (${derived.memory[c].bytes}) from the cluster configuration`);
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

function usageRules(group: Group, obs: ClusterObservation, version: FlinkVersionBehaviour, margin: number, backend: StateBackend, batch: boolean): RuleOutput {
  const spec = group.spec!;
  const config = group.config!;
  const m = spec.memory;
  const out: RuleOutput = { findings: [], needs: [], proposals: [] };
  const where = { file: `${obs.url}/taskmanagers/<id>/metrics`, line: 0 };
  const samples = `${obs.samples} sample(s) of ${group.tms.length} TaskManager(s)`;

  const managedPeak = peakOf(group.tms, METRIC.managedUsed);
  const managedTotal = m.managed.bytes;
  // Idle managed memory and an idle heap are one proposal together: both shrink or move at once.
  const managedIdle = managedPeak !== undefined && managedTotal > 0n && managedPeak === 0n && backend === 'heap' && !batch;
  if (managedIdle) {
    out.findings.push({
      kind: 'managed-idle',
      severity: 'medium',
      summary: `managed memory ${formatSize(managedTotal)} (${managedTotal} bytes) was never used over ${samples}: the heap state backend keeps state on the heap, and no batch job runs`,
      evidence: [{ ...where, text: `${METRIC.managedUsed} peak 0, total ${managedTotal}` }],
      count: group.tms.length,
      advice: ['if a job later uses RocksDB, batch operators or Python UDFs, it needs managed memory again'],
    });
  } else if (managedPeak !== undefined && managedTotal > 0n && (backend === 'rocksdb' || backend === 'forst') && managedPeak * 100n >= managedTotal * 99n) {
    const need: FixRequest = { component: 'managed', atLeast: roundUpToMiB((managedTotal * 5n) / 4n), why: `RocksDB uses all ${formatSize(managedTotal)} of managed memory` };
    out.findings.push({
      kind: 'rocksdb-managed-full',
      severity: 'low',
      summary: `RocksDB holds all of managed memory (${formatSize(managedPeak)} of ${formatSize(managedTotal)}): its cache and write buffers are as large as Flink allows; slow state access or frequent flushes call for more`,
      evidence: [{ ...where, text: `${METRIC.managedUsed} peak ${managedPeak}, total ${managedTotal}` }],
      count: group.tms.length,
      need,
      advice: ['RocksDB reserves its whole share when it starts, so "full" is normal: grow it when the block cache hit rate (state.backend.rocksdb.metrics.block-cache-hit) is low'],
    });
  }

  const heapPeak = peakOf(group.tms, METRIC.heapUsed);
  const heapMax = m.jvmHeap.bytes;
  let heapIdle = false;
  if (heapPeak !== undefined) {
    const wanted = withMargin(heapPeak, margin);
    if (wanted > heapMax) {
      const need: FixRequest = { component: 'taskHeap', atLeast: wanted - m.frameworkHeap.bytes, why: `heap peak ${formatSize(heapPeak)} + ${margin}% exceeds the ${formatSize(heapMax)} heap` };
      out.needs.push(need);
      out.findings.push({
        kind: 'heap-near-limit',
        severity: 'high',
        summary: `heap used peaked at ${formatSize(heapPeak)} (${heapPeak} bytes, ${percentOf(heapPeak, heapMax)} of the ${formatSize(heapMax)} heap) over ${samples}: with a ${margin}% margin the heap should be ${formatSize(wanted)}`,
        evidence: [{ ...where, text: `${METRIC.heapUsed} peak ${heapPeak}, heap ${heapMax}` }],
        count: group.tms.length,
        need,
        advice: ['heap used includes garbage not yet collected: the heap after GC (flink-memory gc on the GC log) tells the live set'],
      });
    } else if (wanted * 2n < heapMax && heapMax - wanted >= 256n * MiB) {
      heapIdle = true;
      // Whole MiB freed keeps a whole-MiB process (the container request) whole.
      const floor = m.frameworkHeap.bytes + 64n * MiB > wanted ? m.frameworkHeap.bytes + 64n * MiB : wanted;
      const toManaged = backend === 'rocksdb' || backend === 'forst';
      const dropManaged = managedIdle ? managedTotal : 0n;
      const freed = ((heapMax - floor + dropManaged) / MiB) * MiB - dropManaged;
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
        summary: `heap used peaked at ${formatSize(heapPeak)} (${percentOf(heapPeak, heapMax)} of the ${formatSize(heapMax)} heap) over ${samples}: ${formatSize(freed)} of task heap is idle even with a ${margin}% margin`,
        evidence: [{ ...where, text: `${METRIC.heapUsed} peak ${heapPeak}, heap ${heapMax}` }],
        count: group.tms.length,
        advice: [obs.samples < 2 ? 'one sample: confirm the peak over a busy period with --watch before shrinking' : 'confirm over a busy period (window, checkpoint, restore) before shrinking'],
      });
      if (p !== undefined) {
        out.proposals.push({
          ...p,
          kind: toManaged ? 'heap-to-managed' : 'shrink',
          reason: toManaged
            ? `task heap ${formatSize(m.taskHeap.bytes)} -> ${formatSize(newTaskHeap)}: RocksDB gets the ${formatSize(freed)} as managed memory, the process keeps its size`
            : `task heap ${formatSize(m.taskHeap.bytes)} -> ${formatSize(newTaskHeap)}${managedIdle ? ` and idle managed memory ${formatSize(managedTotal)} -> 0 B` : ''}: the process can be ${formatSize(freed + dropManaged)} smaller`,
        });
      }
    }
  }
  if (managedIdle && !heapIdle) {
    const p = rebalance(config, version, spec, { managed: 0n, taskHeap: m.taskHeap.bytes + managedTotal }, 0n);
    if (p !== undefined) out.proposals.push({ ...p, kind: 'managed-to-heap', reason: `managed memory ${formatSize(managedTotal)} -> 0 B: the task heap, where heap state lives, gets it; the process keeps its size` });
  }

  const metaPeak = peakOf(group.tms, METRIC.metaspaceUsed);
  if (metaPeak !== undefined) {
    const wanted = withMargin(metaPeak, margin);
    if (wanted > m.jvmMetaspace.bytes) {
      const need: FixRequest = { component: 'jvmMetaspace', atLeast: wanted, why: `metaspace peak ${formatSize(metaPeak)} + ${margin}% exceeds ${formatSize(m.jvmMetaspace.bytes)}` };
      out.needs.push(need);
      out.findings.push({
        kind: 'metaspace-near-limit',
        severity: wanted - m.jvmMetaspace.bytes > m.jvmMetaspace.bytes / 10n ? 'high' : 'medium',
        summary: `metaspace used peaked at ${formatSize(metaPeak)} (${percentOf(metaPeak, m.jvmMetaspace.bytes)} of ${formatSize(m.jvmMetaspace.bytes)}) over ${samples}: a job restart that loads its classes again can hit OutOfMemoryError: Metaspace`,
        evidence: [{ ...where, text: `${METRIC.metaspaceUsed} peak ${metaPeak}, max ${m.jvmMetaspace.bytes}` }],
        count: group.tms.length,
        need,
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

/** The JobManager: derived from the cluster configuration, compared with its heap and metaspace use. */
function jobManagerPart(obs: ClusterObservation, config: FlatConfig | undefined, version: FlinkVersionBehaviour, margin: number): { json: ClusterJson['jobManager']; findings: Finding[]; proposals: ProposalJson[] } {
  const u = obs.jobManagerUsage;
  const derived = config === undefined ? undefined : deriveJobManagerMemory(config, version);
  const spec = derived?.ok === true ? derived.spec : undefined;
  const json: ClusterJson['jobManager'] = {
    configured: spec === undefined ? null : jmSizes(spec),
    used: { heapUsed: str0(u.peak(METRIC.heapUsed)), heapMax: str0(u.latest(METRIC.heapMax)), metaspaceUsed: str0(u.peak(METRIC.metaspaceUsed)), metaspaceMax: str0(u.latest(METRIC.metaspaceMax)) },
    jvmOptions: obs.jobManagerJvmOptions,
    configurationKeys: config === undefined ? 0 : Object.keys(config).length,
  };
  const findings: Finding[] = [];
  const proposals: ProposalJson[] = [];
  if (spec === undefined || config === undefined) return { json, findings, proposals };
  const checks = [
    { metric: METRIC.heapUsed, component: 'jvmHeap', key: 'jobmanager.memory.heap.size', kind: 'heap-near-limit', label: 'heap' },
    { metric: METRIC.metaspaceUsed, component: 'jvmMetaspace', key: 'jobmanager.memory.jvm-metaspace.size', kind: 'metaspace-near-limit', label: 'metaspace' },
  ] as const;
  for (const c of checks) {
    const peak = u.peak(c.metric);
    const budget = spec.memory[c.component].bytes;
    if (peak === undefined) continue;
    const wanted = roundUpToMiB(withMargin(peak, margin));
    if (wanted <= budget) continue;
    findings.push({
      kind: c.kind,
      severity: 'high',
      summary: `JobManager ${c.label} used peaked at ${formatSize(peak)} (${percentOf(peak, budget)} of ${formatSize(budget)}): with a ${margin}% margin it should be ${formatSize(wanted)}`,
      evidence: [{ file: `${obs.url}/jobmanager/metrics`, line: 0, text: `${c.metric} peak ${peak}` }],
      count: 1,
      advice: [],
    });
    // The JobManager grows by exactly the difference: the process size moves with the component.
    const delta = wanted - budget;
    const change: Record<string, string> = { [c.key]: configSize(wanted) };
    if (spec.mode === 'total-process') change['jobmanager.memory.process.size'] = configSize(spec.memory.totalProcessMemory.bytes + delta);
    const after = deriveJobManagerMemory({ ...config, ...change }, version);
    if (after.ok && after.spec.memory[c.component].bytes >= wanted) {
      proposals.push({
        kind: `jobmanager-${c.label}`,
        process: 'jobmanager',
        taskManagers: [],
        reason: `JobManager ${c.label} ${formatSize(budget)} -> ${formatSize(after.spec.memory[c.component].bytes)}`,
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
