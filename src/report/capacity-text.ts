/** The text report of `flink-memory capacity`: containers, TaskManagers per node, slots, parallelism, memory left. */
import type { CapacityPlan, ContainerSize } from '../plan/capacity.js';
import { formatSize } from './format.js';
import { bulletSection, hanging } from './text.js';

export interface CapacityTextOptions {
  readonly columns: number;
  readonly flinkVersion: string;
  readonly configWarnings?: readonly string[];
}

const MiB = 1024n * 1024n;
const size = (b: bigint): string => `${formatSize(b)} (${b} bytes)`;
const mb = (b: bigint): string => (b % MiB === 0n ? `${b / MiB} MB` : `${b} bytes`);
const cores = (n: number): string => `${n} ${n === 1 ? 'core' : 'cores'}`;
const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - [...s].length));

function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) => (indent + row.map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i]! + 2))).join('')).trimEnd());
}

function containerText(c: ContainerSize, yarn: boolean): string {
  if (!yarn) return `${formatSize(c.processMemory)} (${c.processMemory} bytes), ${cores(c.cores)}`;
  const extra = c.unusedMemory > 0n ? `, ${formatSize(c.unusedMemory)} unused by Flink` : c.unusedMemory < 0n ? `, ${-c.unusedMemory} bytes short` : '';
  return `process ${formatSize(c.processMemory)} -> request ${mb(c.requestedMemory)} -> container ${mb(c.containerMemory)}${extra}, ${c.cores} vcore${c.cores === 1 ? '' : 's'}`;
}

export function renderCapacityText(plan: CapacityPlan, options: CapacityTextOptions): string {
  const width = Math.max(60, options.columns);
  const out: string[] = [];
  const para = (text: string, indent = '  '): void => {
    out.push(...hanging(text, width - indent.length - 2, indent, `${indent}  `));
  };
  out.push(
    `Capacity  (Flink ${options.flinkVersion}${plan.yarn ? ', YARN' : ''}: ${plan.nodes} node${plan.nodes === 1 ? '' : 's'} x ` +
      `${formatSize(plan.nodeMemory)}, ${cores(plan.nodeCores)})`,
  );
  para(
    `Per node: ${formatSize(plan.nodeMemory)} - ${formatSize(plan.reserved)} reserved for the OS and other services = ` +
      `${size(plan.nodeContainerMemory)} for ${plan.yarn ? `containers (yarn.nodemanager.resource.memory-mb: ${plan.nodeContainerMemory / MiB})` : 'Flink'}.`,
  );
  para(`TaskManager: ${containerText(plan.taskManager, plan.yarn)}, ${plan.slotsPerTaskManager} slot${plan.slotsPerTaskManager === 1 ? '' : 's'}.`);
  para(`JobManager: ${plan.jobManager === undefined ? 'not on these nodes' : `${containerText(plan.jobManager, plan.yarn)}`}.`);
  out.push('');

  const rows: string[][] = [['nodes', 'TaskManagers', 'by memory', 'by cores', 'free', 'for others']];
  for (const g of plan.groups) {
    rows.push([
      g.kind === 'jobmanager' ? '1 (JobManager)' : `${g.count}${plan.groups.length > 1 ? ' (others)' : ''}`,
      `${g.taskManagers} each`,
      String(g.byMemory),
      String(g.byCores),
      formatSize(g.memoryFree),
      formatSize(g.memoryForOthers),
    ]);
  }
  out.push(...table(rows));
  out.push('');
  out.push(
    ...table([
      ['TaskManagers', String(plan.taskManagers)],
      ['slots', `${plan.slots} = ${plan.taskManagers} x ${plan.slotsPerTaskManager}`],
      ['largest parallelism', `${plan.maxParallelism} (one slot sharing group)`],
      ['memory left for others', size(plan.memoryForOthers)],
    ]),
  );
  if (plan.fillingProcessSize !== undefined) {
    out.push('');
    para(
      `taskmanager.memory.process.size: ${plan.fillingProcessSize / MiB}m would keep the same TaskManagers per node and give ` +
        `Flink the memory now idle on the nodes or inside containers.`,
    );
  }
  out.push('');
  if (plan.findings.length > 0) {
    out.push('Findings');
    const order = { error: 0, warning: 1, info: 2 } as const;
    for (const f of [...plan.findings].sort((a, b) => order[a.severity] - order[b.severity])) {
      const label = `${f.severity}: `;
      out.push(...hanging(f.message, width - 2 - label.length, `  ${label}`, `  ${' '.repeat(label.length)}`));
    }
    out.push('');
  }
  out.push(...bulletSection('Configuration warnings', options.configWarnings, width));
  return out.join('\n');
}
