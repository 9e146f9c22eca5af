/** The text report of `flink-memory rocksdb`: managed memory per slot, the consumer split, RocksDB's breakdown, findings. */
import type { TaskManagerSpec } from '../memory/spec.js';
import type { RocksDbFinding, RocksDbMemoryPlan, SharedResources } from '../plan/rocksdb-memory.js';
import { formatSize } from './format.js';
import { bulletSection, hanging } from './text.js';

export interface RocksDbTextOptions {
  readonly columns: number;
  /** `file:line: message` lines from loading the configuration. */
  readonly configWarnings?: readonly string[];
}

const size = (b: bigint): string => `${formatSize(b)} (${b} bytes)`;
const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - [...s].length));

function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) => (indent + row.map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i]! + 2))).join('')).trimEnd());
}

export function renderRocksDbText(spec: TaskManagerSpec, plan: RocksDbMemoryPlan, options: RocksDbTextOptions): string {
  const width = Math.max(60, options.columns);
  const out: string[] = [];
  const s = plan.settings;
  const name = plan.backend === 'rocksdb' ? 'RocksDB' : 'ForSt';
  out.push(`${name} memory per slot  (Flink ${plan.flinkVersion} TaskManager: ${formatSize(spec.memory.totalProcessMemory.bytes)} process, ${spec.numSlots} slot${spec.numSlots === 1 ? '' : 's'})`);
  const cb = plan.configuredBackend;
  out.push(`  state backend: ${cb.name}${cb.key === undefined ? ' (default)' : ` (${cb.key})`}`);
  out.push('');

  const split = plan.split;
  out.push('Managed memory');
  const weights = Object.entries(split.weights.configured).map(([k, v]) => `${k}:${v}`).join(', ');
  const source = { default: "Flink's default", value: 'taskmanager.memory.managed.consumer-weights', 'prefixed-keys': 'taskmanager.memory.managed.consumer-weights.*' }[split.weights.source];
  out.push(
    ...table([
      ['per TaskManager', size(split.managed)],
      ['per slot', `${size(split.perSlot)} = ${split.managed} / ${split.numSlots}`],
      ...(split.unassigned > 0n ? [['in no slot', `${split.unassigned} byte${split.unassigned === 1n ? '' : 's'} (the remainder of the division)`]] : []),
      ['consumer weights', `${weights === '' ? '(none)' : weights}  (${source})`],
    ]),
  );
  out.push('');
  const rows: string[][] = [['consumer', 'weight', 'in slot', 'share of slot', 'per slot']];
  for (const c of split.shares) {
    rows.push([
      c.consumer,
      c.weight === undefined ? '-' : String(c.weight),
      c.present ? (c.counted ? 'yes' : 'yes, not counted') : 'no',
      c.counted ? `${c.weight ?? 0}/${split.totalWeight} = ${c.fraction}` : '-',
      c.counted ? size(c.bytesPerSlot) : '-',
    ]);
  }
  out.push(...table(rows));
  out.push('');

  out.push(name);
  out.push(...hanging(modeText(plan), width - 4, '  ', '    '));
  if (plan.shared !== undefined) {
    out.push(...sharedLines(plan.shared, plan, width));
  } else if (plan.perColumnFamily !== undefined) {
    const cf = plan.perColumnFamily;
    out.push(
      ...table([
        ['write buffers / state', `${size(cf.writeBuffers)} = ${s.writeBufferCount} x ${formatSize(s.writeBufferSize)}`],
        ['block cache / state', size(cf.blockCache)],
        ['sum / state', `${size(cf.total)} + index/filter blocks`],
        ['per TaskManager', `unbounded: ${formatSize(cf.total)} x states x ${spec.numSlots} slot(s)`],
      ]),
    );
  }
  out.push('');

  const findings = [...plan.findings].sort((a, b) => rank(a) - rank(b));
  if (findings.length > 0) {
    out.push('Findings');
    for (const f of findings) {
      const label = `${f.severity}: `;
      out.push(...hanging(f.message, width - 2 - label.length, `  ${label}`, `  ${' '.repeat(label.length)}`));
    }
    out.push('');
  }
  out.push(...bulletSection('Configuration warnings', options.configWarnings, width));
  return out.join('\n');
}

const rank = (f: RocksDbFinding): number => ({ error: 0, warning: 1, info: 2 })[f.severity];

function modeText(plan: RocksDbMemoryPlan): string {
  const k = plan.settings.keys;
  switch (plan.mode) {
    case 'managed':
      return `${k.managed}: true -> the slot's STATE_BACKEND share of managed memory, shared by all its ${plan.backend === 'rocksdb' ? 'RocksDB' : 'ForSt'} instances`;
    case 'fixed-per-slot':
      return `${k.fixedPerSlot} -> a fixed budget per slot, outside managed memory`;
    case 'fixed-per-tm':
      return `${k.fixedPerTm} -> one fixed budget for the whole TaskManager, outside managed memory`;
    case 'per-column-family':
      return `${k.managed}: false, no fixed size -> every state has its own write buffers and cache`;
  }
}

function sharedLines(r: SharedResources, plan: RocksDbMemoryPlan, width: number): string[] {
  const s = plan.settings;
  const ratio = String(s.writeBufferRatio);
  const scope = plan.sharedScope === 'taskmanager' ? 'per TaskManager' : 'per slot';
  const rows: string[][] = [
    [`budget T ${scope}`, size(r.budget)],
    [`├─ block cache C = (3 - ${ratio}) x T / 3`, size(r.blockCache)],
    [`│  ├─ memtables W = 2 x T x ${ratio} / 3`, size(r.writeBufferManager)],
    [`│  ├─ index & filter (high priority)`, size(r.highPriorityPool)],
    ['│  └─ data blocks = C - W - high prio.', size(r.dataBlocks)],
    ['└─ outside the cache = T - C', size(r.overshootRoom)],
  ];
  if (plan.perTaskManager !== undefined) {
    rows.push([
      'per TaskManager',
      plan.sharedScope === 'slot' ? `${size(plan.perTaskManager)} = ${plan.split.numSlots} x T` : size(plan.perTaskManager),
    ]);
  }
  const lines = table(rows);
  const notes = [
    `Cache: ${r.cache.shards} shard${r.cache.shards === 1 ? '' : 's'} of ${r.cache.perShardCapacity} bytes, each keeping ` +
      `${r.cache.highPriorityPerShard} bytes (${s.keys.highPriorityPoolRatio} ${s.highPriorityPoolRatio}) for index and filter blocks` +
      `${s.partitionedIndexFilters ? ' (partitioned: only top-level indexes stay pinned)' : ''}.`,
    `Arena block ${formatSize(r.arenaBlockSize)} (${s.keys.writeBufferSize} ${formatSize(r.writeBufferSize)} / 8) ` +
      `${r.arenaBlockFits ? '<=' : '>'} mutable limit ${formatSize(r.mutableLimit)} (7/8 of W): ${r.arenaBlockFits ? 'ok' : 'RocksDB flushes constantly'}.`,
  ];
  for (const note of notes) lines.push(...hanging(note, width - 4, '  ', '    '));
  return lines;
}
