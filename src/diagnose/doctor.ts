/**
 * `doctor`: every input through the detector of its kind, GC logs through the GC engine, NMT
 * against the budget, then rules, chains and a root cause. Inputs are streamed line by line;
 * only evidence (capped per kind) is kept.
 */
import { loadConfigFile } from '../config/load.js';
import { toFlatMap } from '../config/flat-map.js';
import { adviseFromGc } from '../gc/advice.js';
import { analyzeGcLogs, type GcSummary } from '../gc/analyze.js';
import { readLines } from '../gc/read.js';
import type { FlatConfig } from '../memory/configuration.js';
import type { TaskManagerSpec } from '../memory/spec.js';
import { deriveTaskManagerMemory } from '../memory/taskmanager.js';
import { DEFAULT_FLINK_VERSION, type FlinkVersionBehaviour } from '../memory/versions.js';
import { formatSize } from '../report/format.js';
import { configSize } from '../plan/sizes.js';
import { createFlinkLogDetector } from './detectors/flink-log.js';
import { createJvmStdoutDetector } from './detectors/jvm-stdout.js';
import { createKernelDetector } from './detectors/kernel.js';
import { createKubernetesDetector } from './detectors/kubernetes.js';
import { createYarnDetector } from './detectors/yarn.js';
import type { Detector, Evidence, EvidenceLocation, InputKind } from './evidence.js';
import { combineFixes, FixError, proposeFix, type CombinedFix, type FixRequest } from './fixes.js';
import { findingsFromEvidence, rankFindings, type Finding, type RuleContext } from './findings.js';
import { analyseNmt, type NmtAnalysis } from './nmt/analyse.js';
import { createNmtDetector, type NmtDetector } from './nmt/detector.js';
import { collectInputs } from './sniff.js';
import { buildTimeline, findChains, rootCause, type CausalChain, type RootCause, type TimelineEntry } from './timeline.js';

export interface DoctorOptions {
  /** The container or pod memory limit, when known: fixes stay inside it or say how much larger it must be. */
  readonly containerLimit?: bigint;
  readonly version?: FlinkVersionBehaviour;
}

export interface DoctorInput {
  readonly path: string;
  readonly kind: InputKind;
  /** Why it was read as this kind, or why it was skipped. */
  readonly note?: string;
}

export interface Diagnosis {
  readonly rootCause: RootCause | null;
  readonly findings: readonly Finding[];
  readonly timeline: readonly TimelineEntry[];
  readonly chains: readonly CausalChain[];
  readonly inputs: readonly DoctorInput[];
  readonly gc?: GcSummary;
  readonly nmt: readonly NmtAnalysis[];
  /** Where the TaskManager configuration used for fixes came from. */
  readonly configuration?: { readonly source: string; readonly config: FlatConfig };
  /** All fixes applied together, most severe finding first. */
  readonly combinedFix?: CombinedFix;
  readonly notes: readonly string[];
}

function detectorFor(kind: InputKind, file: string): Detector | undefined {
  switch (kind) {
    case 'flink-log':
      return createFlinkLogDetector(file);
    case 'stdout':
      // .out files hold what the JVM itself prints on an OutOfMemoryError (heap dump, exit, crash).
      return createJvmStdoutDetector(file);
    case 'kubectl':
      return createKubernetesDetector(file);
    case 'yarn':
      return createYarnDetector(file);
    case 'kernel':
      return createKernelDetector(file);
    case 'nmt':
      return createNmtDetector(file);
    default:
      return undefined;
  }
}

const TM_COMPONENT_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['totalProcessMemory', 'taskmanager.memory.process.size'],
  ['frameworkHeap', 'taskmanager.memory.framework.heap.size'],
  ['taskHeap', 'taskmanager.memory.task.heap.size'],
  ['frameworkOffHeap', 'taskmanager.memory.framework.off-heap.size'],
  ['taskOffHeap', 'taskmanager.memory.task.off-heap.size'],
  ['managed', 'taskmanager.memory.managed.size'],
  ['jvmMetaspace', 'taskmanager.memory.jvm-metaspace.size'],
];

/**
 * The configuration a TaskManager reported at startup, written as explicit options that derive
 * the same sizes (network and overhead pinned by min = max).
 */
export function configFromStartup(facts: Evidence['facts']): FlatConfig | undefined {
  const config: Record<string, string> = {};
  for (const [fact, key] of TM_COMPONENT_KEYS) {
    const value = facts[fact];
    // On Kubernetes only the dynamic properties are logged, without the total: Flink derives it.
    if (value === undefined && fact === 'totalProcessMemory') continue;
    if (value === undefined) return undefined;
    config[key] = `${String(value)}b`;
  }
  for (const [fact, prefix] of [['network', 'taskmanager.memory.network'], ['jvmOverhead', 'taskmanager.memory.jvm-overhead']] as const) {
    const value = facts[fact];
    if (value === undefined) return undefined;
    config[`${prefix}.min`] = `${String(value)}b`;
    config[`${prefix}.max`] = `${String(value)}b`;
  }
  return config;
}

export async function runDoctor(paths: readonly string[], options: DoctorOptions = {}): Promise<Diagnosis> {
  const version = options.version ?? DEFAULT_FLINK_VERSION;
  const files = await collectInputs(paths);
  const inputs: DoctorInput[] = [];
  const evidence: Evidence[] = [];
  const notes: string[] = [];
  const gcFiles: string[] = [];
  const nmtDetectors: NmtDetector[] = [];
  let configuration: { source: string; config: FlatConfig } | undefined;

  for (const file of files) {
    if (file.kind === 'gc-log') {
      gcFiles.push(file.path);
      inputs.push({ path: file.path, kind: file.kind, note: file.reason });
      continue;
    }
    if (file.kind === 'flink-config') {
      try {
        const loaded = await loadConfigFile(file.path);
        if (configuration === undefined) configuration = { source: file.path, config: toFlatMap(loaded) };
        else notes.push(`${file.path}: a second configuration file; ${configuration.source} is used`);
        inputs.push({ path: file.path, kind: file.kind, note: file.reason });
      } catch (e) {
        inputs.push({ path: file.path, kind: file.kind, note: `not read: ${(e as Error).message}` });
      }
      continue;
    }
    const detector = detectorFor(file.kind, file.path);
    if (detector === undefined) {
      inputs.push({ path: file.path, kind: file.kind, note: `skipped: ${file.reason}` });
      continue;
    }
    try {
      await readLines({ kind: 'file', path: file.path }, { line: (text, n) => detector.onLine(text, n) });
    } catch (e) {
      notes.push(`${file.path}: read stopped early: ${(e as Error).message}`);
    }
    evidence.push(...detector.finish());
    if (file.kind === 'nmt') nmtDetectors.push(detector as NmtDetector);
    inputs.push({ path: file.path, kind: file.kind, note: file.reason });
  }

  // The TaskManager's own startup report beats a config file: it is what actually ran.
  const startup = evidence.find((e) => e.kind === 'memory-configuration' && e.facts['process'] === 'taskmanager');
  const fromStartup = startup === undefined ? undefined : configFromStartup(startup.facts);
  let spec: TaskManagerSpec | undefined;
  const fromFile = configuration;
  if (fromStartup !== undefined) {
    configuration = { source: `${startup!.at.file}:${startup!.at.line} (TaskManager startup)`, config: fromStartup };
  }
  if (configuration !== undefined) {
    const derived = deriveTaskManagerMemory(configuration.config, version);
    if (derived.ok) spec = derived.spec;
    else notes.push(`${configuration.source}: Flink would reject this configuration: ${derived.error.message}`);
  }
  const context: RuleContext = {
    ...(configuration !== undefined && spec !== undefined ? { config: configuration.config, spec } : {}),
    version,
    ...(options.containerLimit !== undefined ? { containerLimit: options.containerLimit } : containerLimitFrom(evidence)),
  };

  const findings = findingsFromEvidence(evidence, context);
  const mismatch = configMismatch(fromFile, startup, spec, version);
  if (mismatch !== undefined) findings.push(mismatch);
  const jvmOptions = evidence.find((e) => e.kind === 'jvm-options');
  const flags = jvmOptions === undefined || spec === undefined ? undefined : jvmFlagMismatch(jvmOptions, spec, configuration!.source);
  if (flags !== undefined) findings.push(flags);

  let gc: GcSummary | undefined;
  if (gcFiles.length > 0) {
    try {
      gc = await analyzeGcLogs(gcFiles.map((path) => ({ kind: 'file', path }) as const));
      findings.push(...gcFindings(gc, context, gcFiles));
    } catch (e) {
      notes.push(`GC logs not analysed: ${(e as Error).message}`);
    }
  }

  const nmt: NmtAnalysis[] = [];
  for (const detector of nmtDetectors) {
    const snapshots = detector.snapshots();
    const last = snapshots[snapshots.length - 1];
    if (last === undefined) continue;
    if (spec === undefined) {
      notes.push(`${last.file}: NMT output read, but no TaskManager configuration to compare it with`);
      continue;
    }
    const analysis = analyseNmt(last, spec, snapshots.length > 1 ? { baseline: snapshots[0]! } : {});
    nmt.push(analysis);
    const finding = nmtFinding(analysis, context);
    if (finding !== undefined) findings.push(finding);
  }

  const ranked = rankFindings(findings);
  const chains = findChains(evidence);
  let combinedFix: CombinedFix | undefined;
  const needs = ranked.flatMap((f) => (f.need === undefined ? [] : [f.need]));
  if (needs.length > 1 && context.config !== undefined) {
    try {
      combinedFix = combineFixes(context.config, version, needs, context.containerLimit);
    } catch (e) {
      if (!(e instanceof FixError)) throw e;
      notes.push(`the fixes could not be combined: ${e.message}`);
    }
  }
  return {
    rootCause: rootCause(ranked, chains),
    findings: ranked,
    timeline: buildTimeline(evidence),
    chains,
    inputs,
    ...(gc !== undefined ? { gc } : {}),
    nmt,
    ...(configuration !== undefined ? { configuration } : {}),
    ...(combinedFix !== undefined ? { combinedFix } : {}),
    notes,
  };
}

/** A pod or container limit stated by the inputs (kubectl describe, YARN diagnostics). */
function containerLimitFrom(evidence: readonly Evidence[]): { containerLimit?: bigint } {
  for (const e of evidence) {
    const limit = e.facts['limitBytes'];
    if (e.kind === 'container-killed' && limit !== undefined && /^\d+$/.test(String(limit))) return { containerLimit: BigInt(String(limit)) };
  }
  return {};
}

function where(file: string, line: number, text: string): EvidenceLocation {
  return { file, line, text };
}

function gcFindings(gc: GcSummary, context: RuleContext, files: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const file = files[0]!;
  const fixForHeap = (why: string) => {
    if (context.config === undefined || context.spec === undefined) return {};
    const advice = adviseFromGc(gc, context.config, context.version).heap;
    if (advice === undefined || advice.action !== 'grow') return {};
    try {
      const need = { component: 'taskHeap', atLeast: advice.recommendedTaskHeapBytes, why } as const;
      const fix = proposeFix(context.config, context.version, need, context.containerLimit);
      return fix === undefined ? {} : { fix, need };
    } catch (e) {
      if (e instanceof FixError) return {};
      throw e;
    }
  };
  // Full GCs someone asked for (System.gc(), jcmd, jmap) say nothing about the old generation.
  const unrequested = gc.fullGc.count - gc.fullGc.requested;
  if (unrequested > 0) {
    const causes = Object.entries(gc.fullGc.causes).map(([cause, n]) => `${cause}: ${n}`).join(', ');
    const requested = gc.fullGc.requested > 0 ? `; ${gc.fullGc.requested} more were requested (System.gc(), jcmd, jmap) and are not counted here` : '';
    const first = gc.badEvents.first.find((b) => b.kind === 'full-gc');
    findings.push({
      kind: 'gc-full',
      severity: unrequested >= 3 ? 'high' : 'medium',
      summary: `${unrequested} Full GC(s) (${causes}): the old generation fills faster than the collector frees it${requested}`,
      evidence: first !== undefined ? [where(first.file, first.line, first.detail)] : [where(file, 0, `${gc.fullGc.count} Full GC(s)`)],
      count: unrequested,
      ...fixForHeap('Full GCs in the GC log'),
      advice: adviseFromGc(gc, context.config, context.version).flags.map((f) => `${f.flag}: ${f.reason}`),
    });
  }
  const LONG_PAUSE_MS = 1000;
  if (gc.pauses.count > 0 && gc.pauses.maxMs >= LONG_PAUSE_MS) {
    findings.push({
      kind: 'gc-long-pauses',
      severity: gc.pauses.maxMs >= 10_000 ? 'high' : 'medium',
      summary: `GC pauses up to ${gc.pauses.maxMs} ms (p99 ${gc.pauses.p99Ms} ms over ${gc.pauses.count} pauses): long pauses delay checkpoints and can miss heartbeats`,
      evidence: [where(file, 0, `max pause ${gc.pauses.maxMs} ms`)],
      count: gc.pauses.count,
      ...fixForHeap('long GC pauses'),
      advice: [],
    });
  }
  return findings;
}

function nmtFinding(analysis: NmtAnalysis, context: RuleContext): Finding | undefined {
  const critical = analysis.findings.filter((f) => f.severity === 'critical');
  if (critical.length === 0) return undefined;
  const over = analysis.budgets.filter((b) => b.over && b.budgetName !== 'jvmHeap');
  const worst = over.sort((a, b) => (a.excessBytes > b.excessBytes ? -1 : 1))[0];
  const component = worst?.budgetName === 'jvmDirect' ? 'taskOffHeap' : worst?.budgetName === 'jvmMetaspace' ? 'jvmMetaspace' : 'jvmOverhead';
  let fix;
  let need: FixRequest | undefined;
  const advice: string[] = [];
  if (worst !== undefined && context.config !== undefined && context.spec !== undefined) {
    const current = context.spec.memory[component].bytes;
    need = { component, atLeast: current + worst.excessBytes, why: `NMT: ${worst.label} over by ${formatSize(worst.excessBytes)}` };
    try {
      fix = proposeFix(context.config, context.version, need, context.containerLimit);
    } catch (e) {
      if (!(e instanceof FixError)) throw e;
      advice.push(`no fix computed: ${e.message}`);
    }
  }
  advice.push('growth that no Flink budget explains comes from native code (a connector, compression, JNI): compare NMT summaries over time, and `jcmd <pid> VM.native_memory detail.diff` to find the call site');
  return {
    kind: 'native-memory-overuse',
    severity: 'high',
    summary: critical.map((f) => f.summary).join('; '),
    evidence: [where(analysis.file, analysis.line, `NMT total committed ${formatSize(analysis.totalCommittedBytes)}`)],
    count: critical.length,
    ...(fix !== undefined ? { fix, need: need! } : {}),
    advice,
  };
}

/** The sizes a TaskManager started with differ from what the configuration file derives. */
function configMismatch(
  fromFile: { source: string; config: FlatConfig } | undefined,
  startup: Evidence | undefined,
  started: TaskManagerSpec | undefined,
  version: FlinkVersionBehaviour,
): Finding | undefined {
  if (fromFile === undefined || startup === undefined || started === undefined) return undefined;
  const expected = deriveTaskManagerMemory(fromFile.config, version);
  if (!expected.ok) return undefined;
  const differing = (['totalProcessMemory', 'taskHeap', 'managed', 'network', 'jvmMetaspace', 'jvmOverhead'] as const).filter(
    (c) => expected.spec.memory[c].bytes !== started.memory[c].bytes,
  );
  if (differing.length === 0) return undefined;
  const list = differing.map((c) => `${c} ${configSize(expected.spec.memory[c].bytes)} in ${fromFile.source} but ${configSize(started.memory[c].bytes)} at startup`);
  return {
    kind: 'config-mismatch',
    severity: 'low',
    summary: `the TaskManager did not run with the configuration file: ${list.join('; ')} (overridden by -D, the deployment, or a different file)`,
    evidence: [startup.at],
    count: differing.length,
    advice: [],
  };
}

/**
 * The JVM flags a process started with against the ones Flink computes from its configuration: a
 * difference means an -Xmx (or other memory flag) in env.java.opts, which the JVM takes because
 * it comes later on the command line, and Flink's budgets no longer hold.
 */
function jvmFlagMismatch(jvmOptions: Evidence, spec: TaskManagerSpec, source: string): Finding | undefined {
  const expected: ReadonlyArray<readonly [string, string, bigint]> = [
    ['Xmx', '-Xmx (framework + task heap)', spec.memory.jvmHeap.bytes],
    ['Xms', '-Xms (framework + task heap)', spec.memory.jvmHeap.bytes],
    ['MaxDirectMemorySize', '-XX:MaxDirectMemorySize (framework + task off-heap + network)', spec.memory.jvmDirect.bytes],
    ['MaxMetaspaceSize', '-XX:MaxMetaspaceSize (JVM metaspace)', spec.memory.jvmMetaspace.bytes],
  ];
  const differing: string[] = [];
  for (const [fact, label, bytes] of expected) {
    const actual = jvmOptions.facts[fact];
    if (actual === undefined || !/^\d+$/.test(String(actual))) continue;
    if (BigInt(String(actual)) !== bytes) differing.push(`${label}: ${formatSize(BigInt(String(actual)))} in force, Flink computes ${formatSize(bytes)}`);
  }
  if (differing.length === 0) return undefined;
  return {
    kind: 'config-mismatch',
    severity: 'medium',
    summary: `the JVM ran with memory flags other than Flink's (from ${source}): ${differing.join('; ')}. A flag in env.java.opts.* overrides Flink's own, which come first on the command line`,
    evidence: [jvmOptions.at],
    count: differing.length,
    advice: ['remove -Xmx/-Xms/-XX:MaxDirectMemorySize/-XX:MaxMetaspaceSize from env.java.opts.*; size the heap with taskmanager.memory.task.heap.size (or the process size) instead'],
  };
}
