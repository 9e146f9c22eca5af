/**
 * A job's execution plan as Flink prints or serves it, turned into what each task's network stack
 * sees: its input gates (channels, partition type) and result partitions (subpartitions, type).
 *
 * Two shapes are read:
 * - `StreamExecutionEnvironment#getExecutionPlan()` (also the "Physical Execution Plan" of a SQL
 *   EXPLAIN): `{"nodes": [{"id", "parallelism", "predecessors": [{"id", "ship_strategy"}]}]}`.
 *   Its nodes are operators, before chaining; a FORWARD edge between operators of equal parallelism
 *   whose consumer has no other input is chained (no network), as Flink's job graph generator does
 *   by default.
 * - The REST API's job plan (`/jobs/:id/plan` → `{"plan": {...}}`, the `plan` member of
 *   `/jobs/:id`, or the plan object itself): `{"nodes": [{"id", "parallelism", "inputs": [{"id",
 *   "ship_strategy", "exchange"}]}]}`. Its nodes are job vertices (already chained) and `exchange`
 *   names the result partition type. `/jobs/:id` also gives each vertex's slot sharing group.
 */
import {
  RESULT_PARTITION_TYPES,
  type BatchShuffleMode,
  type GateInput,
  type PartitionOutput,
  type ResultPartitionType,
} from './network-buffers.js';
import type { TaskSpec } from './network-requirement.js';

/** A plan that cannot be read: a one-line message naming what is wrong. */
export class PlanError extends Error {}

/** Where the plan came from: getExecutionPlan(), the REST API, or a job built from --parallelism. */
export type PlanShape = 'execution-plan' | 'rest-plan' | 'from-parallelism';

export interface PlanEdge {
  /** Id of the upstream vertex. */
  readonly source: string;
  readonly shipStrategy: string;
  /** The REST plan's `exchange` (result partition type in lower case); absent in getExecutionPlan(). */
  readonly exchange: string | undefined;
}

export interface PlanVertex {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  readonly slotSharingGroup: string;
  readonly inputs: readonly PlanEdge[];
}

export interface JobPlan {
  readonly shape: PlanShape;
  readonly name: string | undefined;
  /** Job vertices (for getExecutionPlan(): operators already merged into chains). */
  readonly vertices: readonly PlanVertex[];
  /** Operators merged into chains (getExecutionPlan() only), for people. */
  readonly chained: number;
}

export type RuntimeMode = 'STREAMING' | 'BATCH' | 'AUTOMATIC';

/** How exchanges that the plan does not label are typed: from the job's runtime and shuffle modes. */
export interface ExchangeDefaults {
  readonly runtimeMode: RuntimeMode;
  readonly batchShuffleMode: BatchShuffleMode;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const SHAPES_TEXT =
  'expected the JSON of getExecutionPlan() ({"nodes": [...]}) or of the REST API\'s job plan ({"plan": {"nodes": [...]}})';

/** Parses the text of a plan file. `source` names it in messages. */
export function parseJobPlan(text: string, source: string): JobPlan {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch (e) {
    throw new PlanError(`${source}: not valid JSON (${(e as Error).message.split('\n')[0]}); ${SHAPES_TEXT}`);
  }
  if (!isObject(root)) throw new PlanError(`${source}: not a Flink execution plan: ${SHAPES_TEXT}`);
  // `/jobs/:id` wraps the plan and lists vertices with their slot sharing groups.
  const groups = slotSharingGroups(root);
  const plan = isObject(root['plan']) ? root['plan'] : root;
  const nodes = plan['nodes'];
  if (!Array.isArray(nodes)) throw new PlanError(`${source}: not a Flink execution plan (no "nodes" array): ${SHAPES_TEXT}`);
  if (nodes.length === 0) throw new PlanError(`${source}: the plan has no nodes (a job whose plan is not ready yet?)`);
  const name = typeof plan['name'] === 'string' ? plan['name'] : undefined;
  const isRest = nodes.some((n) => isObject(n) && Array.isArray(n['inputs'])) || !nodes.some((n) => isObject(n) && Array.isArray(n['predecessors']));
  const raw = nodes.map((n, i) => readNode(n, i, source, isRest ? 'inputs' : 'predecessors', groups));
  const ids = new Set<string>();
  for (const v of raw) {
    if (ids.has(v.id)) throw new PlanError(`${source}: node id ${v.id} appears twice`);
    ids.add(v.id);
  }
  for (const v of raw) {
    for (const e of v.inputs) {
      if (!ids.has(e.source)) throw new PlanError(`${source}: node ${v.id} reads from node ${e.source}, which is not in the plan`);
    }
  }
  if (isRest) return { shape: 'rest-plan', name, vertices: raw, chained: 0 };
  return chainOperators(name, raw);
}

function readNode(node: Json, index: number, source: string, inputsKey: 'inputs' | 'predecessors', groups: ReadonlyMap<string, string>): PlanVertex {
  const where = `${source}: nodes[${index}]`;
  if (!isObject(node)) throw new PlanError(`${where} is not an object`);
  const id = idOf(node['id']);
  if (id === undefined) throw new PlanError(`${where} has no "id"`);
  const p = node['parallelism'];
  if (typeof p !== 'number' || !Number.isInteger(p)) throw new PlanError(`${where} (id ${id}) has no integer "parallelism"`);
  if (p < 1) {
    throw new PlanError(`${where} (id ${id}) has parallelism ${p}: the plan does not fix it yet (adaptive batch?); set the parallelism and retry`);
  }
  const edgesRaw = node[inputsKey] ?? [];
  if (!Array.isArray(edgesRaw)) throw new PlanError(`${where} (id ${id}): "${inputsKey}" is not an array`);
  const inputs = edgesRaw.map((e, j): PlanEdge => {
    if (!isObject(e)) throw new PlanError(`${where} (id ${id}): ${inputsKey}[${j}] is not an object`);
    const from = idOf(e['id']);
    if (from === undefined) throw new PlanError(`${where} (id ${id}): ${inputsKey}[${j}] has no "id"`);
    const ship = e['ship_strategy'];
    const exchange = e['exchange'];
    return {
      source: from,
      shipStrategy: typeof ship === 'string' ? ship : 'UNKNOWN',
      exchange: typeof exchange === 'string' ? exchange : undefined,
    };
  });
  const label = [node['description'], node['contents'], node['type']].find((v) => typeof v === 'string' && v.trim() !== '');
  return { id, name: cleanName(typeof label === 'string' ? label : id), parallelism: p, slotSharingGroup: groups.get(id) ?? 'default', inputs };
}

const idOf = (v: Json | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** The web UI's HTML in descriptions ("<br/>", "-&gt;") made readable on one line. */
function cleanName(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

function slotSharingGroups(root: JsonObject): Map<string, string> {
  const groups = new Map<string, string>();
  const vertices = root['vertices'];
  if (!Array.isArray(vertices)) return groups;
  for (const v of vertices) {
    if (!isObject(v)) continue;
    const id = idOf(v['id']);
    const group = v['slotSharingGroupId'];
    if (id !== undefined && typeof group === 'string') groups.set(id, group);
  }
  return groups;
}

const POINTWISE = new Set(['FORWARD', 'RESCALE']);

/** FORWARD and RESCALE connect subtasks pointwise; every other strategy connects all to all. */
export const isPointwise = (shipStrategy: string): boolean => POINTWISE.has(shipStrategy.trim().toUpperCase());

/**
 * Merges operators into chains the way Flink's default chaining does for network purposes: a
 * FORWARD edge between equal parallelisms into an operator with a single input carries no data
 * over the network.
 */
function chainOperators(name: string | undefined, operators: readonly PlanVertex[]): JobPlan {
  const byId = new Map(operators.map((o) => [o.id, o]));
  const parent = new Map(operators.map((o) => [o.id, o.id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(id, root);
    return root;
  };
  const chainedEdge = (target: PlanVertex, edge: PlanEdge): boolean =>
    target.inputs.length === 1 && edge.shipStrategy.trim().toUpperCase() === 'FORWARD' && byId.get(edge.source)!.parallelism === target.parallelism;
  let chained = 0;
  for (const o of operators) {
    for (const e of o.inputs) {
      if (chainedEdge(o, e)) {
        const a = find(e.source);
        const b = find(o.id);
        if (a !== b) {
          parent.set(b, a);
          chained++;
        }
      }
    }
  }
  const members = new Map<string, PlanVertex[]>();
  for (const o of operators) {
    const root = find(o.id);
    members.set(root, [...(members.get(root) ?? []), o]);
  }
  const vertices: PlanVertex[] = [];
  for (const [root, ops] of members) {
    const inputs: PlanEdge[] = [];
    for (const o of ops) for (const e of o.inputs) if (!chainedEdge(o, e)) inputs.push({ ...e, source: find(e.source) });
    vertices.push({ id: root, name: ops.map((o) => o.name).join(' -> '), parallelism: ops[0]!.parallelism, slotSharingGroup: ops[0]!.slotSharingGroup, inputs });
  }
  return { shape: 'execution-plan', name, vertices, chained };
}

/** The partition type an exchange gets when the plan does not say (getExecutionPlan(), --parallelism). */
export function defaultPartitionType(d: ExchangeDefaults): ResultPartitionType {
  if (d.runtimeMode !== 'BATCH') return 'PIPELINED_BOUNDED';
  switch (d.batchShuffleMode) {
    case 'ALL_EXCHANGES_BLOCKING':
      return 'BLOCKING';
    case 'ALL_EXCHANGES_PIPELINED':
      return 'PIPELINED_BOUNDED';
    case 'ALL_EXCHANGES_HYBRID_FULL':
      return 'HYBRID_FULL';
    case 'ALL_EXCHANGES_HYBRID_SELECTIVE':
      return 'HYBRID_SELECTIVE';
  }
}

/** The REST plan's `exchange` ("pipelined_bounded", or the DataSet API's "batch") as a partition type. */
function exchangeType(exchange: string | undefined, defaults: ExchangeDefaults): ResultPartitionType {
  if (exchange === undefined) return defaultPartitionType(defaults);
  const upper = exchange.trim().toUpperCase();
  if (upper === 'BATCH') return 'BLOCKING';
  if (upper === 'PIPELINE_FORCED') return 'PIPELINED';
  const found = RESULT_PARTITION_TYPES.find((t) => t === upper);
  if (found === undefined) throw new PlanError(`unknown exchange '${exchange}' (expected one of ${RESULT_PARTITION_TYPES.map((t) => t.toLowerCase()).join(', ')})`);
  return found;
}

const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

/**
 * The gates and partitions of one subtask of each vertex. Pointwise edges give a consumer
 * ceil(upstream / downstream) channels and a producer ceil(downstream / upstream) subpartitions
 * (the worst-placed subtask); all-to-all edges give every consumer one channel per upstream subtask
 * and every producer one subpartition per downstream subtask. Each edge is its own data set.
 */
export function tasksFromPlan(plan: JobPlan, defaults: ExchangeDefaults): TaskSpec[] {
  const byId = new Map(plan.vertices.map((v) => [v.id, v]));
  const outputs = new Map<string, PartitionOutput[]>(plan.vertices.map((v) => [v.id, []]));
  const inputs = new Map<string, GateInput[]>(plan.vertices.map((v) => [v.id, []]));
  for (const v of plan.vertices) {
    for (const e of v.inputs) {
      const up = byId.get(e.source)!;
      const partitionType = exchangeType(e.exchange, defaults);
      const pointwise = isPointwise(e.shipStrategy);
      const channels = pointwise ? (up.parallelism >= v.parallelism ? ceilDiv(up.parallelism, v.parallelism) : 1) : up.parallelism;
      const subpartitions = pointwise ? (v.parallelism >= up.parallelism ? ceilDiv(v.parallelism, up.parallelism) : 1) : v.parallelism;
      inputs.get(v.id)!.push({ channels, partitionType });
      outputs.get(up.id)!.push({ subpartitions, partitionType });
    }
  }
  return plan.vertices.map((v) => ({
    vertex: v.id,
    name: v.name,
    parallelism: v.parallelism,
    slotSharingGroup: v.slotSharingGroup,
    inputs: inputs.get(v.id)!,
    outputs: outputs.get(v.id)!,
  }));
}

/**
 * The plan of a simple job from its parallelism alone: a source, `shuffles` all-to-all exchanges
 * (keyBy, rebalance...) and the vertices between them, all at parallelism `parallelism`.
 */
export function linearJobPlan(parallelism: number, shuffles: number): JobPlan {
  const vertices: PlanVertex[] = [];
  for (let i = 0; i <= shuffles; i++) {
    vertices.push({
      id: `v${i}`,
      name: i === 0 ? 'source' : i === shuffles ? 'sink (after the last shuffle)' : `stage ${i}`,
      parallelism,
      slotSharingGroup: 'default',
      inputs: i === 0 ? [] : [{ source: `v${i - 1}`, shipStrategy: 'HASH', exchange: undefined }],
    });
  }
  return { shape: 'from-parallelism', name: undefined, vertices, chained: 0 };
}

/** `execution.runtime-mode` as Flink's enum reads it (case-insensitive); undefined when unset. */
export function parseRuntimeMode(raw: string | undefined): RuntimeMode | undefined {
  if (raw === undefined) return undefined;
  const upper = raw.toUpperCase();
  if (upper === 'STREAMING' || upper === 'BATCH' || upper === 'AUTOMATIC') return upper;
  throw new PlanError(`execution.runtime-mode: '${raw}' is not one of STREAMING, BATCH, AUTOMATIC`);
}
