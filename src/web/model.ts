/**
 * What the calculator draws, computed from the exact model's spec: the nested boxes (the same
 * tree `explain` prints), the stacked bar of leaf components, shares, and for each component the
 * controlling option and a one-sentence provenance. Pure, so Node tests and the bench run it too.
 */
import type { FlatConfig } from '../memory/configuration.js';
import type { FlinkError } from '../memory/errors.js';
import type { Provenance } from '../memory/provenance.js';
import type { JobManagerSpec, MemoryComponent, ProcessSpec, TaskManagerSpec } from '../memory/spec.js';
import { FLINK_VERSIONS, type FlinkVersionBehaviour } from '../memory/versions.js';
import { COMPONENT_LABELS } from '../plan/diff.js';
import { formatSize } from '../report/format.js';

export { deriveProcessMemory as derive } from '../memory/derive.js';
import { provenanceText } from '../report/text.js';

export interface Box {
  /** The JSON name of the component (`taskHeap`), or a name of a grouping (`offHeapMemory`). */
  readonly id: string;
  readonly label: string;
  readonly bytes: bigint;
  readonly option: string | undefined;
  readonly provenance: string;
  /** What the JVM sees of it ("-Xmx -Xms", "native"). */
  readonly jvm: string | undefined;
  readonly children: readonly Box[];
}

export interface Segment {
  readonly id: string;
  readonly label: string;
  readonly bytes: bigint;
  /** Share of the Total Process Memory, in percent with one decimal, as `explain` prints it. */
  readonly share: string;
}

export function versionByLine(line: string): FlinkVersionBehaviour {
  return FLINK_VERSIONS.find((v) => v.line === line) ?? FLINK_VERSIONS[0]!;
}


/** Percent of `total` with one decimal, truncated like `explain`'s diagram (bytes×10000/total, /100). */
export function shareText(bytes: bigint, total: bigint): string {
  const share = total === 0n ? 0 : Number((bytes * 10000n) / total) / 100;
  return `${share.toFixed(1)}%`;
}

/** provenanceText, with the value the user typed next to the key it was read from. */
export function describeProvenance(p: Provenance, config: FlatConfig): string {
  const text = provenanceText(p);
  if ((p.kind === 'explicit' || p.kind === 'legacy') && Object.hasOwn(config, p.key)) {
    return text.replace(p.key, `${p.key} = ${config[p.key]}`);
  }
  return text;
}

function box(id: string, c: MemoryComponent, config: FlatConfig, jvm?: string, children: readonly Box[] = []): Box {
  return { id, label: COMPONENT_LABELS[id] ?? id, bytes: c.bytes, option: c.option, provenance: describeProvenance(c.provenance, config), jvm, children };
}

export function boxTree(spec: ProcessSpec, config: FlatConfig): Box {
  return spec.process === 'taskmanager' ? taskManagerTree(spec, config) : jobManagerTree(spec, config);
}

function taskManagerTree(spec: TaskManagerSpec, config: FlatConfig): Box {
  const m = spec.memory;
  const offHeap: MemoryComponent = {
    bytes: m.jvmDirect.bytes + m.managed.bytes,
    option: undefined,
    provenance: { kind: 'sum', parts: ['JVM Direct Memory', 'Managed Memory'] },
  };
  return box('totalProcessMemory', m.totalProcessMemory, config, undefined, [
    box('totalFlinkMemory', m.totalFlinkMemory, config, undefined, [
      box('jvmHeap', m.jvmHeap, config, '-Xmx -Xms', [box('frameworkHeap', m.frameworkHeap, config), box('taskHeap', m.taskHeap, config)]),
      {
        ...box('offHeapMemory', offHeap, config),
        label: 'Off-Heap Memory',
        children: [
          box('jvmDirect', m.jvmDirect, config, '-XX:MaxDirectMemorySize', [
            box('frameworkOffHeap', m.frameworkOffHeap, config),
            box('taskOffHeap', m.taskOffHeap, config),
            box('network', m.network, config),
          ]),
          box('managed', m.managed, config, 'native'),
        ],
      },
    ]),
    box('jvmMetaspace', m.jvmMetaspace, config, '-XX:MaxMetaspaceSize'),
    box('jvmOverhead', m.jvmOverhead, config, 'native'),
  ]);
}

function jobManagerTree(spec: JobManagerSpec, config: FlatConfig): Box {
  const m = spec.memory;
  return box('totalProcessMemory', m.totalProcessMemory, config, undefined, [
    box('totalFlinkMemory', m.totalFlinkMemory, config, undefined, [
      box('jvmHeap', m.jvmHeap, config, '-Xmx -Xms'),
      box('offHeap', m.offHeap, config, spec.jvmDirectMemoryLimit ? '-XX:MaxDirectMemorySize' : 'no direct limit'),
    ]),
    box('jvmMetaspace', m.jvmMetaspace, config, '-XX:MaxMetaspaceSize'),
    box('jvmOverhead', m.jvmOverhead, config, 'native'),
  ]);
}

/** The leaves of the tree, left to right: they add up to the Total Process Memory. */
export function segments(spec: ProcessSpec): Segment[] {
  const total = spec.memory.totalProcessMemory.bytes;
  const names =
    spec.process === 'taskmanager'
      ? (['frameworkHeap', 'taskHeap', 'frameworkOffHeap', 'taskOffHeap', 'network', 'managed', 'jvmMetaspace', 'jvmOverhead'] as const)
      : (['jvmHeap', 'offHeap', 'jvmMetaspace', 'jvmOverhead'] as const);
  const memory = spec.memory as Readonly<Record<string, MemoryComponent>>;
  return names.map((id) => {
    const bytes = memory[id]!.bytes;
    return { id, label: COMPONENT_LABELS[id] ?? id, bytes, share: shareText(bytes, total) };
  });
}

/** Every option a rejection involves, from the error and its causes. */
export function errorKeys(error: FlinkError): Set<string> {
  return new Set([error, ...error.causes()].flatMap((e) => e.keys));
}

/** "384 MiB" for people; the exact bytes are always shown beside it. */
export const human = (bytes: bigint): string => formatSize(bytes);
