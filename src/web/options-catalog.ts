/**
 * The options the calculator offers, per process and Flink line, straight from the model's own
 * option table (so keys, defaults and descriptions cannot drift), grouped the way Flink's
 * documentation explains them. Legacy keys appear only for lines that still honour them.
 */
import type { ConfigOption } from '../memory/options.js';
import type { ProcessKind } from '../memory/spec.js';
import type { FlinkVersionBehaviour } from '../memory/versions.js';

export interface OptionField {
  readonly key: string;
  readonly type: ConfigOption['type'];
  readonly description: string;
  /** What Flink uses when the field is empty ("128 mb", "0.4", "none"). */
  readonly defaultText: string;
  /** Deprecated keys Flink still reads for this option. */
  readonly fallbackKeys: readonly string[];
  readonly legacy: boolean;
}

export interface OptionGroup {
  readonly title: string;
  readonly fields: readonly OptionField[];
}

const field = (o: ConfigOption, legacy = false): OptionField => ({
  key: o.key,
  type: o.type,
  description: o.description,
  defaultText: o.defaultText === 'null' ? 'not set' : o.defaultText,
  fallbackKeys: o.fallbackKeys.map((f) => f.key),
  legacy,
});

export function optionGroups(process: ProcessKind, version: FlinkVersionBehaviour): OptionGroup[] {
  if (process === 'jobmanager') {
    const o = version.jm;
    const groups: OptionGroup[] = [
      { title: 'Totals', fields: [field(o.totalProcess), field(o.totalFlink)] },
      { title: 'Heap and off-heap', fields: [field(o.jvmHeap), field(o.offHeap), field(o.directMemoryLimit)] },
      { title: 'JVM', fields: [field(o.jvmMetaspace), field(o.jvmOverheadMin), field(o.jvmOverheadMax), field(o.jvmOverheadFraction)] },
    ];
    if (version.legacyHeapKeys) groups.push({ title: 'Legacy (read by Flink 1.x only)', fields: [field(o.legacyHeapSize, true), field(o.legacyHeapMb, true)] });
    return groups;
  }
  const o = version.tm;
  const groups: OptionGroup[] = [
    { title: 'Totals', fields: [field(o.totalProcess), field(o.totalFlink)] },
    { title: 'Heap', fields: [field(o.frameworkHeap), field(o.taskHeap)] },
    { title: 'Off-heap', fields: [field(o.frameworkOffHeap), field(o.taskOffHeap)] },
    { title: 'Managed memory', fields: [field(o.managedSize), field(o.managedFraction)] },
    { title: 'Network', fields: [field(o.networkMin), field(o.networkMax), field(o.networkFraction), field(o.segmentSize)] },
    { title: 'JVM', fields: [field(o.jvmMetaspace), field(o.jvmOverheadMin), field(o.jvmOverheadMax), field(o.jvmOverheadFraction)] },
    { title: 'Slots and resources', fields: [field(o.numSlots), field(o.cpuCores), field(o.externalResources)] },
  ];
  const legacy: OptionField[] = [];
  if (version.legacyHeapKeys) legacy.push(field(o.legacyHeapSize, true), field(o.legacyHeapMb, true));
  if (version.legacyNetworkBuffers) legacy.push(field(o.legacyNetworkBuffers, true));
  if (legacy.length > 0) groups.push({ title: 'Legacy (read by Flink 1.x only)', fields: legacy });
  return groups;
}

/** Every key a form field edits (fallback keys included), to tell the "other options" apart. */
export function catalogKeys(groups: readonly OptionGroup[]): Set<string> {
  return new Set(groups.flatMap((g) => g.fields.map((f) => f.key)));
}

/** "key: value" or "key=value" per line, `#` comments; the first separator splits. */
export function parseOtherOptions(text: string): { config: Record<string, string>; errors: string[] } {
  const config: Record<string, string> = {};
  const errors: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^([^:=\s]+)\s*[:=]\s?(.*)$/.exec(line);
    if (m === null) errors.push(`line ${i + 1}: expected key: value`);
    else config[m[1]!] = m[2]!.trim();
  });
  return { config, errors };
}

export function renderOtherOptions(config: Readonly<Record<string, string>>, catalog: ReadonlySet<string>): string {
  return Object.entries(config)
    .filter(([key]) => !catalog.has(key))
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');
}
