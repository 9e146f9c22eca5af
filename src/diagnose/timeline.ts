/**
 * All evidence on one clock, and the causal chains through it: a memory failure, then the
 * TaskManager it took down, then what that cost (checkpoints, restarts) — the chain an operator
 * otherwise rebuilds by hand from several files.
 */
import type { Evidence, EvidenceKind } from './evidence.js';
import { rankFindings, type Finding, type FindingKind } from './findings.js';

export interface TimelineEntry {
  /** ISO-8601 UTC, when the input states a time. */
  readonly time?: string;
  readonly epochMs?: number;
  readonly kind: EvidenceKind;
  readonly summary: string;
  readonly file: string;
  readonly line: number;
}

/** Kinds worth a line on the timeline (startup blocks and completed checkpoints are context, kept too). */
const TIMELINE_KINDS: ReadonlySet<EvidenceKind> = new Set<EvidenceKind>([
  'oom-heap', 'oom-gc-overhead', 'oom-direct', 'oom-metaspace', 'oom-native-thread', 'oom-other',
  'managed-memory-allocation', 'network-buffers-insufficient', 'rocksdb-memory',
  'container-killed', 'taskmanager-lost', 'taskmanager-started', 'jobmanager-started', 'process-exit',
  'checkpoint-declined', 'checkpoint-expired', 'checkpoint-aborted', 'checkpoint-completed',
  'job-failed', 'job-restarting',
]);

const MAX_TIMELINE = 500;

/** Dated entries in time order, then undated ones in input order; capped, keeping the earliest. */
export function buildTimeline(evidence: readonly Evidence[]): TimelineEntry[] {
  const entries = evidence
    .filter((e) => TIMELINE_KINDS.has(e.kind))
    .map((e, index) => ({ e, index }));
  entries.sort((a, b) => {
    const ta = a.e.epochMs;
    const tb = b.e.epochMs;
    if (ta !== undefined && tb !== undefined) return ta - tb || a.index - b.index;
    if (ta !== undefined) return -1;
    if (tb !== undefined) return 1;
    return a.index - b.index;
  });
  return entries.slice(0, MAX_TIMELINE).map(({ e }) => ({
    ...(e.epochMs !== undefined ? { time: new Date(e.epochMs).toISOString(), epochMs: e.epochMs } : {}),
    kind: e.kind,
    summary: e.summary,
    file: e.at.file,
    line: e.at.line,
  }));
}

const CAUSES: readonly EvidenceKind[] = [
  'container-killed', 'oom-heap', 'oom-gc-overhead', 'oom-direct', 'oom-metaspace', 'oom-native-thread', 'oom-other',
  'managed-memory-allocation', 'network-buffers-insufficient',
];
const COSTS: readonly EvidenceKind[] = ['checkpoint-expired', 'checkpoint-declined', 'checkpoint-aborted', 'job-restarting', 'job-failed'];

/** A TaskManager is declared lost within the heartbeat timeout (50 s by default) of dying; allow slack. */
const CAUSE_TO_LOSS_MS = 5 * 60_000;
/** A checkpoint running when the TaskManager died expires within checkpoint timeout (10 min default). */
const LOSS_TO_COST_MS = 15 * 60_000;

export interface CausalChain {
  readonly steps: readonly Evidence[];
  /** "pod OOMKilled -> TaskManager lost -> checkpoint 42 expired" */
  readonly text: string;
}

function step(e: Evidence): string {
  const id = e.facts['checkpointId'];
  switch (e.kind) {
    case 'taskmanager-lost':
      return `TaskManager ${String(e.facts['resourceId'] ?? '').trim() || 'lost'}${e.facts['resourceId'] !== undefined ? ' lost' : ''}`;
    case 'checkpoint-expired':
      return `checkpoint ${id ?? ''} expired`.replace('  ', ' ');
    case 'checkpoint-declined':
      return `checkpoint ${id ?? ''} declined`.replace('  ', ' ');
    case 'checkpoint-aborted':
      return `checkpoint ${id ?? ''} aborted`.replace('  ', ' ');
    case 'job-restarting':
      return 'job restarting';
    case 'job-failed':
      return 'job failed';
    default:
      return e.summary;
  }
}

/**
 * Chains of cause -> TaskManager lost -> cost, matched by time windows (and by TaskManager id when
 * both sides name one). Each cause starts at most one chain; the earliest chains come first.
 */
export function findChains(evidence: readonly Evidence[]): CausalChain[] {
  const dated = evidence.filter((e) => e.epochMs !== undefined).sort((a, b) => a.epochMs! - b.epochMs!);
  const losses = dated.filter((e) => e.kind === 'taskmanager-lost');
  const used = new Set<Evidence>();
  const chains: CausalChain[] = [];
  for (const cause of dated.filter((e) => CAUSES.includes(e.kind))) {
    const loss = losses.find(
      (l) => !used.has(l) && l.epochMs! >= cause.epochMs! && l.epochMs! - cause.epochMs! <= CAUSE_TO_LOSS_MS && sameTaskManager(cause, l),
    );
    if (loss === undefined) continue;
    used.add(loss);
    const costs = dated.filter((c) => COSTS.includes(c.kind) && c.epochMs! >= loss.epochMs! && c.epochMs! - loss.epochMs! <= LOSS_TO_COST_MS);
    // One of each kind of cost is enough to tell the story; the timeline has the rest.
    const firstOfEach = [...new Map(costs.map((c) => [c.kind, c] as const)).values()].sort((a, b) => a.epochMs! - b.epochMs!);
    const steps = [cause, loss, ...firstOfEach];
    chains.push({ steps, text: steps.map(step).join(' -> ') });
  }
  return chains;
}

function sameTaskManager(a: Evidence, b: Evidence): boolean {
  const x = a.facts['resourceId'] ?? a.facts['pod'];
  const y = b.facts['resourceId'] ?? b.facts['pod'];
  if (x === undefined || y === undefined) return true;
  return String(x).includes(String(y)) || String(y).includes(String(x));
}

export interface RootCause {
  readonly kind: FindingKind;
  readonly summary: string;
  readonly chain?: string;
}

/** Kinds that are consequences, never a root cause by themselves when a memory cause is known. */
const CONSEQUENCES: ReadonlySet<FindingKind> = new Set(['taskmanager-lost', 'checkpoint-declined', 'checkpoint-expired', 'checkpoint-aborted']);

/** The first chain's cause; without a chain, the most severe finding that is not a consequence. */
export function rootCause(findings: readonly Finding[], chains: readonly CausalChain[]): RootCause | null {
  const ranked = rankFindings(findings);
  const first = chains[0];
  if (first !== undefined) {
    const kind = first.steps[0]!.kind as FindingKind;
    const finding = ranked.find((f) => f.kind === kind);
    return { kind, summary: finding?.summary ?? first.steps[0]!.summary, chain: first.text };
  }
  const cause = ranked.find((f) => !CONSEQUENCES.has(f.kind)) ?? ranked[0];
  return cause === undefined ? null : { kind: cause.kind, summary: cause.summary };
}
