/**
 * From evidence to findings: each rule groups the evidence of one kind of problem, rates it, and
 * asks src/diagnose/fixes for a configuration change the exact model accepts. Rules are small and
 * independent; the order of RULES is only the order they run in, ranking is by severity.
 */
import type { FlatConfig } from '../memory/configuration.js';
import type { TaskManagerSpec } from '../memory/spec.js';
import type { FlinkVersionBehaviour } from '../memory/versions.js';
import { formatSize } from '../report/format.js';
import type { Evidence, EvidenceKind, EvidenceLocation } from './evidence.js';
import { FixError, proposeFix, type FixRequest, type MemoryFix } from './fixes.js';

/** Finding kinds: a stable contract of `doctor --format json` (never rename; add as needed). */
export type FindingKind =
  | 'oom-heap'
  | 'oom-gc-overhead'
  | 'oom-direct'
  | 'oom-metaspace'
  | 'oom-native-thread'
  | 'oom-other'
  | 'managed-memory-allocation'
  | 'network-buffers-insufficient'
  | 'rocksdb-memory'
  | 'container-killed'
  | 'taskmanager-lost'
  | 'checkpoint-declined'
  | 'checkpoint-expired'
  | 'checkpoint-aborted'
  | 'gc-full'
  | 'gc-long-pauses'
  | 'native-memory-overuse'
  | 'config-mismatch'
  // From observed usage (`inspect`): peaks of running processes against their budgets.
  | 'heap-near-limit'
  | 'heap-underused'
  | 'metaspace-near-limit'
  | 'managed-idle'
  | 'rocksdb-managed-full'
  | 'network-short-for-job'
  | 'backpressure-high';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export interface Finding {
  readonly kind: FindingKind;
  readonly severity: Severity;
  readonly summary: string;
  /** Where it shows (at most MAX_CITED places; `count` says how many there were). */
  readonly evidence: readonly EvidenceLocation[];
  readonly count: number;
  /** The earliest wall-clock time it shows, when known. */
  readonly firstEpochMs?: number;
  readonly fix?: MemoryFix;
  /** What the fix asks for, so that several fixes can be combined into one configuration. */
  readonly need?: FixRequest;
  /** Advice that is not a memory option (JVM flags, things to check). */
  readonly advice: readonly string[];
}

/** What rules may know besides the evidence. */
export interface RuleContext {
  /** The TaskManager configuration in effect, when known (from a config file or the startup log). */
  readonly config?: FlatConfig;
  readonly spec?: TaskManagerSpec;
  readonly version: FlinkVersionBehaviour;
  readonly containerLimit?: bigint;
}

const MAX_CITED = 5;
const MiB = 1024n * 1024n;

function cite(items: readonly Evidence[]): Pick<Finding, 'evidence' | 'count' | 'firstEpochMs'> {
  const times = items.map((e) => e.epochMs).filter((t): t is number => t !== undefined);
  return {
    evidence: items.slice(0, MAX_CITED).map((e) => e.at),
    count: items.length,
    ...(times.length > 0 ? { firstEpochMs: Math.min(...times) } : {}),
  };
}

/** A fix for a need, or advice saying why none could be computed. */
function fixFor(context: RuleContext, need: (spec: TaskManagerSpec) => FixRequest | undefined): { fix?: MemoryFix; need?: FixRequest; advice: string[] } {
  if (context.config === undefined || context.spec === undefined) {
    return { advice: ['no TaskManager configuration among the inputs (a config file or the TaskManager startup log): the fix cannot be sized'] };
  }
  const request = need(context.spec);
  if (request === undefined) return { advice: [] };
  try {
    const fix = proposeFix(context.config, context.version, request, context.containerLimit);
    return fix === undefined ? { advice: [] } : { fix, need: request, advice: [] };
  } catch (e) {
    if (e instanceof FixError) return { advice: [`no fix computed: ${e.message}`] };
    throw e;
  }
}

/** Half again as much, and at least `minimum` more: a step an operator would take, then watch. */
function grown(current: bigint, minimum: bigint): bigint {
  const half = current / 2n;
  return current + (half > minimum ? half : minimum);
}

interface Rule {
  readonly kinds: readonly EvidenceKind[];
  /** Which of the evidence of those kinds the rule is about (default: all). */
  readonly select?: (items: readonly Evidence[]) => readonly Evidence[];
  readonly apply: (items: readonly Evidence[], context: RuleContext) => Finding;
}

const OOM_RULES: Record<'oom-heap' | 'oom-gc-overhead' | 'oom-direct' | 'oom-metaspace' | 'oom-native-thread', Rule> = {
  'oom-heap': {
    kinds: ['oom-heap'],
    apply: (items, context) => {
      const { fix, need, advice } = fixFor(context, (spec) => ({
        component: 'taskHeap',
        atLeast: grown(spec.memory.taskHeap.bytes, 256n * MiB),
        why: 'Java heap space OutOfMemoryError',
      }));
      return {
        kind: 'oom-heap',
        severity: 'critical',
        summary: `the JVM heap ran out (java.lang.OutOfMemoryError: Java heap space)${items.length > 1 ? `, ${items.length} times` : ''}: more task heap, or less heap state / fewer records held per slot`,
        ...cite(items),
        ...(fix ? { fix, need: need! } : {}),
        advice: [...advice, 'a heap dump (-XX:+HeapDumpOnOutOfMemoryError in env.java.opts.taskmanager) shows what filled it'],
      };
    },
  },
  'oom-gc-overhead': {
    kinds: ['oom-gc-overhead'],
    apply: (items, context) => {
      const { fix, need, advice } = fixFor(context, (spec) => ({
        component: 'taskHeap',
        atLeast: grown(spec.memory.taskHeap.bytes, 256n * MiB),
        why: 'GC overhead limit exceeded',
      }));
      return {
        kind: 'oom-gc-overhead',
        severity: 'critical',
        summary: 'the JVM spent over 98% of its time in GC and gave up (GC overhead limit exceeded): the live set does not fit the heap',
        ...cite(items),
        ...(fix ? { fix, need: need! } : {}),
        advice,
      };
    },
  },
  'oom-direct': {
    kinds: ['oom-direct'],
    apply: (items, context) => {
      const { fix, need, advice } = fixFor(context, (spec) => ({
        component: 'taskOffHeap',
        atLeast: grown(spec.memory.taskOffHeap.bytes, 256n * MiB),
        why: 'Direct buffer memory OutOfMemoryError',
      }));
      return {
        kind: 'oom-direct',
        severity: 'critical',
        summary: 'direct memory ran out (java.lang.OutOfMemoryError: Direct buffer memory): user code or a connector allocates more direct buffers than -XX:MaxDirectMemorySize allows (framework + task off-heap + network)',
        ...cite(items),
        ...(fix ? { fix, need: need! } : {}),
        advice,
      };
    },
  },
  'oom-metaspace': {
    kinds: ['oom-metaspace'],
    apply: (items, context) => {
      const { fix, need, advice } = fixFor(context, (spec) => ({
        component: 'jvmMetaspace',
        atLeast: spec.memory.jvmMetaspace.bytes * 2n,
        why: 'Metaspace OutOfMemoryError',
      }));
      return {
        kind: 'oom-metaspace',
        severity: 'critical',
        summary: 'metaspace ran out (java.lang.OutOfMemoryError: Metaspace): many classes, or a class-loader leak across job restarts',
        ...cite(items),
        ...(fix ? { fix, need: need! } : {}),
        advice: [
          ...advice,
          'if it recurs after each job restart, user code keeps class loaders alive (threads, static caches, JDBC drivers): see classloader.check-leaked-classloader',
        ],
      };
    },
  },
  'oom-native-thread': {
    kinds: ['oom-native-thread'],
    apply: (items, context) => {
      const { fix, need, advice } = fixFor(context, (spec) => ({
        component: 'jvmOverhead',
        atLeast: grown(spec.memory.jvmOverhead.bytes, 256n * MiB),
        why: 'unable to create native thread',
      }));
      return {
        kind: 'oom-native-thread',
        severity: 'critical',
        summary: 'the JVM could not start a thread (unable to create native thread): a thread leak, the process/ulimit thread limit, or no native memory left for stacks',
        ...cite(items),
        ...(fix ? { fix, need: need! } : {}),
        advice: [...advice, 'count threads (jcmd <pid> Thread.print | grep -c tid) and check `ulimit -u` / the pod pids limit before adding memory'],
      };
    },
  },
};

const RULES: readonly Rule[] = [
  ...Object.values(OOM_RULES),
  {
    kinds: ['oom-other'],
    apply: (items) => ({
      kind: 'oom-other',
      severity: 'high',
      summary: `OutOfMemoryError: ${items[0]!.summary}`,
      ...cite(items),
      advice: [],
    }),
  },
  {
    kinds: ['managed-memory-allocation'],
    apply: (items, context) => {
      const { fix, need, advice } = fixFor(context, (spec) => ({
        component: 'managed',
        atLeast: grown(spec.memory.managed.bytes, 256n * MiB),
        why: 'managed memory could not be allocated',
      }));
      return {
        kind: 'managed-memory-allocation',
        severity: 'high',
        summary: 'an operator could not reserve managed memory: the slot share of managed memory is too small for its consumers',
        ...cite(items),
        ...(fix ? { fix, need: need! } : {}),
        advice,
      };
    },
  },
  {
    kinds: ['network-buffers-insufficient'],
    apply: (items, context) => {
      const facts = items[0]!.facts;
      const required = Number(facts['required'] ?? NaN);
      const available = Number(facts['available'] ?? NaN);
      const total = Number(facts['totalBuffers'] ?? NaN);
      const segment = BigInt(String(facts['segmentSize'] ?? '32768'));
      const short = Number.isFinite(required) && Number.isFinite(available) && Number.isFinite(total) ? required - available : undefined;
      const { fix, need, advice } = fixFor(context, (spec) => ({
        component: 'network',
        atLeast: short !== undefined ? BigInt(total + short) * segment : grown(spec.memory.network.bytes, 64n * MiB),
        why: short !== undefined ? `${required} buffers required, ${available} available of ${total}` : 'insufficient network buffers',
      }));
      return {
        kind: 'network-buffers-insufficient',
        severity: 'high',
        summary:
          short !== undefined
            ? `a task needed ${required} network buffers but only ${available} of ${total} were free: network memory must hold at least ${total + short} buffers of ${formatSize(segment)}`
            : 'tasks could not get network buffers (Insufficient number of network buffers)',
        ...cite(items),
        ...(fix ? { fix, need: need! } : {}),
        advice,
      };
    },
  },
  {
    kinds: ['rocksdb-memory'],
    // Routine lines (a shared cache requested or obtained) are context for the timeline, not a problem.
    select: (items) => items.filter((e) => e.facts['problem'] === true),
    apply: (items) => ({
      kind: 'rocksdb-memory',
      severity: 'medium',
      summary: `RocksDB memory: ${items[0]!.summary}`,
      ...cite(items),
      advice: ['keep state.backend.rocksdb.memory.managed: true so that RocksDB stays inside managed memory'],
    }),
  },
  {
    kinds: ['container-killed'],
    apply: (items, context) => {
      const { fix, need, advice } = fixFor(context, (spec) => ({
        component: 'jvmOverhead',
        atLeast: grown(spec.memory.jvmOverhead.bytes, 256n * MiB),
        why: 'the container was killed for memory: native use beyond the budgets',
      }));
      return {
        kind: 'container-killed',
        severity: 'critical',
        summary: `the container was killed for exceeding its memory limit (${items[0]!.summary}): the process used more native memory than Flink budgets (RocksDB beyond managed memory, glibc arenas, thread stacks, a native library)`,
        ...cite(items),
        ...(fix ? { fix, need: need! } : {}),
        advice: [
          ...advice,
          'with RocksDB keep state.backend.rocksdb.memory.managed: true; containerized.taskmanager.env.MALLOC_ARENA_MAX: 2 limits glibc arena growth',
          'to find the consumer, run the TaskManager with -XX:NativeMemoryTracking=summary and compare jcmd VM.native_memory summary with its budgets',
        ],
      };
    },
  },
  {
    kinds: ['taskmanager-lost'],
    apply: (items) => ({
      kind: 'taskmanager-lost',
      severity: 'high',
      summary: `a TaskManager was lost (${items[0]!.summary})${items.length > 1 ? `, ${items.length} times` : ''}`,
      ...cite(items),
      advice: [],
    }),
  },
  ...(['checkpoint-declined', 'checkpoint-expired', 'checkpoint-aborted'] as const).map(
    (kind): Rule => ({
      kinds: [kind],
      apply: (items) => {
        const ids = [...new Set(items.map((e) => e.facts['checkpointId']).filter((id) => id !== undefined))];
        const reasons = [...new Set(items.map((e) => e.facts['reason']).filter((r): r is string => typeof r === 'string'))];
        const what = kind === 'checkpoint-expired' ? 'expired before completing' : kind === 'checkpoint-declined' ? 'were declined by a task' : 'were aborted';
        return {
          kind,
          severity: 'medium',
          summary: `${items.length} checkpoint(s) ${what}${ids.length > 0 ? ` (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', ...' : ''})` : ''}${reasons.length > 0 ? `: ${reasons[0]}` : ''}`,
          ...cite(items),
          advice: kind === 'checkpoint-expired' ? ['an expired checkpoint after a TaskManager loss is a consequence: fix what killed the TaskManager first'] : [],
        };
      },
    }),
  ),
];

/** Every rule over the evidence of its kinds; findings with no evidence are not produced. */
export function findingsFromEvidence(evidence: readonly Evidence[], context: RuleContext): Finding[] {
  const byKind = new Map<EvidenceKind, Evidence[]>();
  for (const e of evidence) {
    let list = byKind.get(e.kind);
    if (list === undefined) byKind.set(e.kind, (list = []));
    list.push(e);
  }
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const all = rule.kinds.flatMap((k) => byKind.get(k) ?? []);
    const items = rule.select === undefined ? all : rule.select(all);
    if (items.length > 0) findings.push(rule.apply(items, context));
  }
  return findings;
}

/** Most severe first; among equals, the earliest. */
export function rankFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      (a.firstEpochMs ?? Number.MAX_SAFE_INTEGER) - (b.firstEpochMs ?? Number.MAX_SAFE_INTEGER),
  );
}
