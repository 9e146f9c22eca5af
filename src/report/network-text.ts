/**
 * The text report of `flink-memory network`: for one task, how each gate's and partition's buffers
 * follow from Flink's rules; for a TaskManager, what its tasks need against what it has, and the
 * configurations that close the gap.
 */
import type { GateBuffers, NetworkFailure, NetworkSettings, PartitionBuffers, TaskNetworkResult } from '../plan/network-buffers.js';
import { INT_MAX, partitionTypeTraits } from '../plan/network-buffers.js';
import type { JobPlan } from '../plan/job-plan.js';
import type { NetworkRequirement } from '../plan/network-requirement.js';
import { formatFraction, formatSize } from './format.js';

export function renderFailureText(error: NetworkFailure, flinkVersion: string): string {
  const out = [`Flink ${flinkVersion} would refuse this: ${error.error}: ${error.message}`];
  for (const c of error.causes) out.push(`  caused by ${c.error}: ${c.message}`);
  if (error.keys.length > 0) out.push(`Options involved: ${error.keys.join(', ')}`);
  return `${out.join('\n')}\n`;
}

const n = (v: number | bigint): string => v.toLocaleString('en-US');

function settingsLines(s: NetworkSettings): string[] {
  const from = (name: keyof NetworkSettings['sources']): string => {
    const src = s.sources[name];
    if (src.kind === 'fixed') return `fixed in Flink ${s.flinkVersion} (${src.key} was removed)`;
    return `${src.kind === 'set' ? 'set' : 'default'} (${src.key})`;
  };
  const cap = s.maxRequiredBuffersPerGate === null ? 'unset: no cap for streaming and hybrid inputs, 1000 for batch' : String(s.maxRequiredBuffersPerGate);
  return [
    'Settings',
    `  buffers per channel           ${pad(s.buffersPerChannel)} ${from('buffersPerChannel')}`,
    `  floating buffers per gate     ${pad(s.floatingBuffersPerGate)} ${from('floatingBuffersPerGate')}`,
    `  required buffers per gate     ${cap}${s.maxRequiredBuffersPerGate === null ? '' : ` ${from('maxRequiredBuffersPerGate')}`}`,
    `  sort-shuffle min parallelism  ${pad(s.sortShuffleMinParallelism)} ${from('sortShuffleMinParallelism')}`,
    `  sort-shuffle min buffers      ${pad(s.sortShuffleMinBuffers)} ${from('sortShuffleMinBuffers')}`,
    `  segment size (one buffer)     ${s.segmentSize} bytes (${formatSize(BigInt(s.segmentSize))}), ${from('segmentSize')}`,
  ];
}

const pad = (v: number): string => String(v).padEnd(6);

function gateLines(s: NetworkSettings, g: GateBuffers, index: number): string[] {
  const reuse = g.reuseCount === 1 ? 'consumed once' : `consumed ${g.reuseCount} times`;
  const cap = g.maxRequiredThreshold === INT_MAX ? 'no cap' : `cap ${g.maxRequiredThreshold}`;
  const exclusive = g.exclusivePerChannel * g.channels;
  return [
    `Input gate ${index + 1}: ${g.channels} channel${g.channels === 1 ? '' : 's'} reading ${g.partitionType}, ${reuse}`,
    `  target     ${g.channels} × ${s.buffersPerChannel} + ${s.floatingBuffersPerGate} floating = ${g.totalBuffers} buffers`,
    `  required   min(${g.channels} × ${s.buffersPerChannel} + 1, ${cap}) = ${g.requiredBuffers}: ${g.exclusivePerChannel} exclusive per channel (${exclusive}) + ${g.requiredFloatingBuffers} floating`,
    `  floating   pool of ${g.requiredFloatingBuffers} to ${g.totalFloatingBuffers} buffers`,
    `  announced  ${g.reuseCount === 1 ? g.announcedBuffers : `${g.totalBuffers} × ${g.reuseCount} = ${g.announcedBuffers}`}`,
  ];
}

function partitionLines(s: NetworkSettings, p: PartitionBuffers, index: number): string[] {
  const t = partitionTypeTraits(p.partitionType);
  const min = p.sortShuffle
    ? `${p.minBuffers} (sort-based shuffle: ${p.subpartitions} ≥ min parallelism ${s.sortShuffleMinParallelism}, sort-shuffle min buffers)`
    : `${p.subpartitions} + 1 = ${p.minBuffers} (one buffer per subpartition, plus one)`;
  const max =
    p.maxBuffers === INT_MAX
      ? 'unbounded'
      : t.bounded
        ? `${p.subpartitions} × ${s.buffersPerChannel} + ${s.floatingBuffersPerGate} = ${p.maxBuffers}`
        : p.sortShuffle
          ? `max(minimum, 4 × ${p.subpartitions}) = ${p.maxBuffers}`
          : String(p.maxBuffers);
  const announced =
    p.announcedBuffers === undefined
      ? 'none: Flink refuses to announce an unbounded pool'
      : t.pipelinedConsumable
        ? `${p.announcedBuffers} (the maximum: consumed while produced, back pressure can hold floating buffers)`
        : `${p.announcedBuffers} (the minimum: a blocking result recycles its buffers promptly)`;
  return [
    `Result partition ${index + 1}: ${p.subpartitions} subpartition${p.subpartitions === 1 ? '' : 's'}, ${p.partitionType}`,
    `  minimum    ${min}`,
    `  maximum    ${max}`,
    `  announced  ${announced}`,
  ];
}

export function renderTaskText(result: TaskNetworkResult, flinkVersion: string): string {
  if (!result.ok) return renderFailureText(result.error, flinkVersion);
  const s = result.settings;
  const out = [`Network buffers of one task (Flink ${flinkVersion}, as the JobMaster announces them)`, '', ...settingsLines(s)];
  result.gates.forEach((g, i) => out.push('', ...gateLines(s, g, i)));
  result.partitions.forEach((p, i) => out.push('', ...partitionLines(s, p, i)));
  out.push(
    '',
    `Total: ${n(result.networkBuffers)} buffers × ${s.segmentSize} bytes = ${result.networkMemoryBytes} bytes (${formatSize(result.networkMemoryBytes)})`,
  );
  return `${out.join('\n')}\n`;
}

export interface RequirementTextOptions {
  readonly flinkVersion: string;
  readonly plan?: JobPlan;
  readonly planSource?: string;
  readonly notes?: readonly string[];
}

export function renderRequirementText(r: NetworkRequirement, o: RequirementTextOptions): string {
  const out: string[] = [`Network buffers of the worst-case TaskManager (${r.slots} slot${r.slots === 1 ? '' : 's'}, Flink ${o.flinkVersion})`, ''];
  if (o.plan !== undefined) {
    if (o.plan.shape === 'from-parallelism') {
      const shuffles = o.plan.vertices.length - 1;
      out.push(`Job: a source and ${shuffles} all-to-all exchange${shuffles === 1 ? '' : 's'} (keyBy, rebalance...), every vertex at parallelism ${o.plan.vertices[0]!.parallelism}`, '');
    } else {
      const shape = o.plan.shape === 'rest-plan' ? 'REST job plan' : 'execution plan (getExecutionPlan)';
      const name = o.plan.name === undefined || o.plan.name === '' ? '' : ` "${o.plan.name}"`;
      const chained = o.plan.chained > 0 ? `, ${o.plan.chained} forward edge${o.plan.chained === 1 ? '' : 's'} chained` : '';
      out.push(`Plan: ${shape}${name}${o.planSource === undefined ? '' : ` from ${o.planSource}`}: ${o.plan.vertices.length} vertices${chained}`, '');
    }
  }
  for (const t of r.tasks) {
    const announced = t.announcedBuffers === undefined ? 'none' : n(t.announcedBuffers);
    out.push(`${t.name}`);
    out.push(`  parallelism ${t.parallelism}, ${t.subtasksOnTaskManager} on this TaskManager; per subtask ${n(t.requiredBuffers)} required, ${announced} announced`);
    for (const g of t.gates) {
      out.push(`  in   ${g.channels} channel${g.channels === 1 ? '' : 's'} ${g.partitionType}: required ${n(g.requiredBuffers)}, target ${n(g.totalBuffers)}`);
    }
    for (const p of t.partitions) {
      const max = p.maxBuffers === INT_MAX ? 'unbounded' : n(p.maxBuffers);
      out.push(`  out  ${p.subpartitions} subpartition${p.subpartitions === 1 ? '' : 's'} ${p.partitionType}: minimum ${n(p.minBuffers)}, maximum ${max}`);
    }
  }
  out.push('');
  const seg = BigInt(r.segmentSize);
  out.push(`Needs    ${n(r.requiredBuffers)} buffers (${formatSize(r.requiredBytes)}) to start its tasks`);
  if (r.announcedBuffers !== undefined) {
    out.push(`         ${n(r.announcedBuffers)} buffers (${formatSize(r.announcedBytes!)}) for every pool at full size (Flink's announced figure)`);
  }
  const c = r.configured;
  if (!c.ok) {
    out.push(`Has      unknown: the TaskManager's memory cannot be derived: ${c.error.error}: ${c.error.message}`);
    out.push(`Minimum network memory: ${r.requiredBytes} bytes (${formatSize(r.requiredBytes)})`);
  } else {
    out.push(`Has      ${n(c.networkBuffers)} buffers: network memory ${formatSize(c.networkBytes)} (${c.networkBytes} bytes) / ${r.segmentSize} bytes${howNetwork(r)}`);
    out.push('');
    if (c.insufficient) {
      out.push(`Verdict: "Insufficient number of network buffers" at deployment: short by ${n(c.shortfallBuffers)} buffers.`);
      out.push(`Minimum network memory: ${r.requiredBytes} bytes (${formatSize(r.requiredBytes)} = ${n(r.requiredBuffers)} × ${seg})`);
      if (c.proposals.length > 0) {
        out.push('', 'Fixes (each re-derived with the exact memory model):');
        c.proposals.forEach((p, i) => {
          const change = Object.entries(p.configChange).map(([k, v]) => `${k}: ${v}`).join(', ');
          out.push(`  ${i + 1}. ${change}`);
          out.push(`     ${p.description}`);
          out.push(
            `     → network ${formatSize(p.network)} (${n(p.networkBuffers)} buffers), task heap ${formatSize(p.taskHeap)}, process ${exactMiB(p.totalProcessMemory)}`,
          );
        });
      } else {
        out.push('No configuration change within the exact model closes the gap; reduce parallelism or slots per TaskManager.');
      }
    } else {
      const spare = c.networkBuffers - r.requiredBuffers;
      out.push(`Verdict: enough: ${n(spare)} buffers to spare.`);
      if (r.announcedBuffers !== undefined && r.announcedBuffers > c.networkBuffers) {
        out.push(`  (Pools will not all reach their full size: ${n(r.announcedBuffers - c.networkBuffers)} buffers short of the announced figure; fewer floating buffers.)`);
      }
    }
  }
  const notes = [...(o.notes ?? []), ...r.notes];
  if (notes.length > 0) {
    out.push('', 'Notes:');
    for (const note of notes) out.push(`  - ${note}`);
  }
  return `${out.join('\n')}\n`;
}

/** A process size as users configure it: whole MiB when it is, else the rounded figure. */
const exactMiB = (bytes: bigint): string => (bytes % 1048576n === 0n ? `${bytes / 1048576n} MiB` : formatSize(bytes));

function howNetwork(r: NetworkRequirement): string {
  if (!r.configured.ok) return '';
  const p = r.configured.spec.memory.network.provenance;
  if (p.kind === 'fraction') {
    const capped = p.capped === 'min' ? `, raised to the minimum ${formatSize(p.min)}` : p.capped === 'max' ? `, capped to the maximum ${formatSize(p.max)}` : '';
    return ` (${p.fractionOption} ${formatFraction(p.fraction)} of ${formatSize(p.baseBytes)}${capped})`;
  }
  if (p.kind === 'buffers') return ` (${p.buffersKey} = ${p.buffers})`;
  if (p.kind === 'remainder') return ` (the rest of ${p.total})`;
  return '';
}
