/**
 * Inspecting clusters: collect (REST, optionally Prometheus), sample again in watch mode, analyse.
 * A fleet is many clusters with bounded concurrency; each cluster has its own client and errors.
 */
import { readFile } from 'node:fs/promises';
import { deriveJobManagerMemory } from '../memory/jobmanager.js';
import { deriveTaskManagerMemory } from '../memory/taskmanager.js';
import { DEFAULT_FLINK_VERSION, resolveFlinkVersion, type FlinkVersionBehaviour } from '../memory/versions.js';
import type { FlatConfig } from '../memory/configuration.js';
import { formatSize } from '../report/format.js';
import { analyseCluster, clusterRank } from './analyse.js';
import { collectCluster, sampleUsage, type CollectOptions } from './collect.js';
import { parsePrometheusText, type PrometheusScrape } from './prometheus.js';
import { mapBounded, RestClient, type RestClientOptions, type RestError } from './rest-client.js';
import type { ClusterJson, DeclaredJson, FindingJson, InspectJson } from './result.js';

/** What a FlinkDeployment declares, to compare with what the cluster runs. */
export interface DeclaredDeployment {
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  readonly config: FlatConfig;
  readonly flinkRelease: string | undefined;
  readonly taskManagerReplicas: number | undefined;
  readonly source: string;
}

export interface InspectTarget {
  readonly url: string;
  readonly name?: string;
  readonly declared?: DeclaredDeployment;
}

export interface InspectOptions {
  readonly client?: Partial<RestClientOptions>;
  /** Clusters inspected at once. */
  readonly concurrency?: number;
  /** Seconds between samples and the number of samples (1: no watch). */
  readonly watchSeconds?: number;
  readonly samples?: number;
  /** A Prometheus exposition file or URL, read at every sample instead of the REST metrics endpoints. */
  readonly prometheus?: string;
  readonly marginPercent?: number;
  readonly version?: FlinkVersionBehaviour;
  /** Called after each sample (watch progress). */
  readonly onSample?: (url: string, sample: number) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function inspectCluster(target: InspectTarget, options: InspectOptions = {}): Promise<ClusterJson> {
  const client = new RestClient(target.url, options.client ?? {});
  const source = options.prometheus;
  const collect: CollectOptions = {
    ...(source !== undefined ? { prometheus: () => loadPrometheus(source, client) } : {}),
  };
  const observation = await collectCluster(client, collect);
  const samples = Math.max(1, options.samples ?? 1);
  options.onSample?.(target.url, 1);
  let taken = 1;
  for (let i = 1; i < samples; i++) {
    await sleep((options.watchSeconds ?? 0) * 1000);
    await sampleUsage(client, observation, collect, false);
    taken++;
    options.onSample?.(target.url, taken);
  }
  const analysed = analyseCluster({ ...observation, samples: taken, calls: { answered: client.answered, htmlPages: client.htmlPages } }, dedupeErrors(client.errors), {
    ...(options.marginPercent !== undefined ? { marginPercent: options.marginPercent } : {}),
    ...(options.version !== undefined ? { version: options.version } : {}),
  });
  const named = { ...analysed, name: target.name ?? null };
  return target.declared === undefined ? named : withDeclared(named, target.declared);
}

export async function inspectFleet(targets: readonly InspectTarget[], options: InspectOptions = {}): Promise<InspectJson> {
  const clusters = await mapBounded(targets, options.concurrency ?? 8, (t) => inspectCluster(t, options));
  return { clusters };
}

/** Clusters worst first (stable for equals). */
export function worstFirst(clusters: readonly ClusterJson[]): ClusterJson[] {
  return clusters.map((c, i) => ({ c, i })).sort((a, b) => clusterRank(a.c) - clusterRank(b.c) || a.i - b.i).map((x) => x.c);
}

/** Watch mode repeats failures: one entry per URL and message, the repeats counted. */
function dedupeErrors(errors: readonly RestError[]): RestError[] {
  const seen = new Map<string, RestError>();
  for (const e of errors) {
    const key = `${e.url}\u0000${e.message}`;
    if (!seen.has(key)) seen.set(key, e);
  }
  return [...seen.values()];
}

async function loadPrometheus(source: string, client: RestClient): Promise<PrometheusScrape | undefined> {
  let text: string | undefined;
  if (/^https?:\/\//i.test(source)) text = await client.getText(source);
  else {
    try {
      text = await readFile(source, 'utf8');
    } catch (e) {
      client.errors.push({ url: source, status: null, message: `cannot read the Prometheus file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return undefined;
    }
  }
  if (text === undefined) return undefined;
  const scrape = parsePrometheusText(text);
  if (scrape.samples === 0) client.errors.push({ url: source, status: null, message: 'no Flink memory metrics in the Prometheus exposition (expected flink_taskmanager_Status_JVM_Memory_Heap_Used and the like)' });
  return scrape;
}

/** The manifest's declared sizes next to what the cluster reports, and a finding where they differ. */
function withDeclared(cluster: ClusterJson, declared: DeclaredDeployment): ClusterJson {
  let version = DEFAULT_FLINK_VERSION;
  if (declared.flinkRelease !== undefined) {
    try {
      version = resolveFlinkVersion(declared.flinkRelease);
    } catch {
      // an older line: the default rules still size the process the manifest names
    }
  }
  const tm = deriveTaskManagerMemory(declared.config, version);
  const jm = deriveJobManagerMemory(declared.config, version);
  const tmProcess = tm.ok ? tm.spec.memory.totalProcessMemory.bytes : undefined;
  const json: DeclaredJson = {
    name: declared.name ?? null,
    namespace: declared.namespace ?? null,
    taskManagerProcess: tmProcess === undefined ? null : tmProcess.toString(),
    jobManagerProcess: jm.ok ? jm.spec.memory.totalProcessMemory.bytes.toString() : null,
    taskManagerReplicas: declared.taskManagerReplicas ?? null,
  };
  const findings: FindingJson[] = [...cluster.findings];
  const running = cluster.taskManagers.filter((t) => t.configuredSource === 'rest' && t.configured !== null);
  const differing = tmProcess === undefined ? [] : running.filter((t) => t.configured!['totalProcessMemory'] !== tmProcess.toString());
  if (differing.length > 0) {
    const actual = BigInt(differing[0]!.configured!['totalProcessMemory']!);
    findings.push({
      kind: 'config-mismatch',
      severity: 'low',
      scope: 'deployment',
      summary: `${differing.length} TaskManager(s) run ${formatSize(actual)} (${actual} bytes) but the FlinkDeployment declares ${formatSize(tmProcess!)} (${tmProcess} bytes): the change is not deployed yet, or the pods were started otherwise`,
      count: differing.length,
      taskManagers: differing.slice(0, 20).map((t) => t.id),
      evidence: [{ source: declared.source, line: 0, text: 'spec.taskManager.resource.memory' }],
      advice: [],
    });
  }
  if (declared.taskManagerReplicas !== undefined && cluster.overview?.taskManagers !== undefined && cluster.overview.taskManagers !== null && cluster.overview.taskManagers < declared.taskManagerReplicas) {
    findings.push({
      kind: 'taskmanager-lost',
      severity: 'high',
      scope: 'deployment',
      summary: `${cluster.overview.taskManagers} TaskManager(s) registered, the FlinkDeployment declares ${declared.taskManagerReplicas}`,
      count: declared.taskManagerReplicas - cluster.overview.taskManagers,
      taskManagers: [],
      evidence: [{ source: declared.source, line: 0, text: 'spec.taskManager.replicas' }],
      advice: ['kubectl get pods shows whether the missing ones are pending (no room) or crash-looping (OOMKilled?)'],
    });
  }
  return { ...cluster, declared: json, findings };
}
