/**
 * The terminal diagram of `flink-memory explain`: the memory model as a tree (process → Flink
 * memory → heap / off-heap → components, plus metaspace and overhead), each node with its size,
 * share of the process and bar, and under it the option that controls it and how the value was
 * reached. Fits 80 columns; colour only when asked for.
 */
import pc from 'picocolors';
import type { ConfigEntry, LoadedConfig } from '../config/index.js';
import type { Provenance } from '../memory/provenance.js';
import type { DerivationResult, JobManagerSpec, MemoryComponent, TaskManagerSpec } from '../memory/spec.js';
import { javaDoubleToString } from '../memory/java/java-numbers.js';
import { LONG_MAX } from '../memory/memory-size.js';
import { formatFraction, formatSize } from './format.js';

export interface TextOptions {
  readonly color: boolean;
  readonly columns: number;
  /** The loaded configuration, to quote the value and file:line behind an explicit setting. */
  readonly source?: LoadedConfig;
  readonly warnings?: readonly string[];
}

interface Node {
  readonly label: string;
  readonly component: MemoryComponent;
  /** What the JVM sees of this node, e.g. "-Xmx/-Xms". */
  readonly jvm?: string;
  readonly children?: readonly Node[];
}

type Colors = ReturnType<typeof pc.createColors>;

export function renderExplainText(result: DerivationResult, options: TextOptions): string {
  const c = pc.createColors(options.color);
  const width = Math.max(60, options.columns);
  const out: string[] = [];
  const extraWarnings = options.warnings ?? [];
  if (!result.ok) {
    const who = result.process === 'taskmanager' ? 'TaskManager' : 'JobManager';
    out.push(c.bold(c.red(`Flink ${result.flinkVersion} would refuse to start this ${who}:`)));
    for (const line of wrap(result.error.message, width - 2)) out.push(`  ${line}`);
    const causes = result.error.causes().filter((cause) => !result.error.message.endsWith(cause.message));
    for (const cause of causes) {
      const lines = wrap(`caused by: ${cause.message}`, width - 4);
      for (const line of lines) out.push(c.dim(`    ${line}`));
    }
    const keys = [...new Set([result.error, ...result.error.causes()].flatMap((e) => e.keys))];
    if (keys.length > 0) {
      out.push('');
      out.push(`Options involved: ${keys.join(', ')}`);
      for (const key of keys) {
        const entry = options.source?.entries.get(key);
        if (entry !== undefined) out.push(c.dim(`  ${key} = ${entry.value}  (${sourceText(entry)})`));
      }
    }
    appendNotes(out, [...result.notes, ...extraWarnings], c, width);
    return `${out.join('\n')}\n`;
  }

  const spec = result.spec;
  const tree = spec.process === 'taskmanager' ? taskManagerTree(spec) : jobManagerTree(spec);
  const total = spec.memory.totalProcessMemory.bytes;
  const who = spec.process === 'taskmanager' ? 'TaskManager' : 'JobManager';
  out.push(c.bold(`Flink ${spec.flinkVersion} ${who} memory`) + c.dim(`  (configured by ${modeText(spec.mode)})`));
  out.push('');
  renderNode(tree, '', '', true, out, { c, total, width, source: options.source });
  out.push('');
  out.push(c.bold('JVM parameters'));
  for (const line of wrap(spec.jvmParams, width - 2)) out.push(`  ${line}`);
  out.push(c.bold('Dynamic configs passed to the process'));
  for (const entry of spec.dynamicConfigs.split(/ (?=-D )/)) out.push(`  ${entry}`);
  if (spec.process === 'taskmanager') {
    out.push('');
    out.push(`Slots: ${spec.numSlots}   CPU cores: ${javaDoubleToString(spec.cpuCores)}` + (spec.externalResources.length > 0 ? `   External resources: ${spec.externalResources.map((r) => `${r.name}=${r.amount}`).join(', ')}` : ''));
  }
  appendNotes(out, [...spec.notes, ...extraWarnings], c, width);
  return `${out.join('\n')}\n`;
}

function appendNotes(out: string[], notes: readonly string[], c: Colors, width: number): void {
  if (notes.length === 0) return;
  out.push('');
  out.push(c.bold(c.yellow('Notes')));
  for (const note of notes) out.push(...hanging(note, width - 4, '  - ', '    '));
}

function modeText(mode: string): string {
  switch (mode) {
    case 'fine-grained':
      return 'fine-grained sizes';
    case 'total-flink':
      return 'Total Flink Memory';
    default:
      return 'Total Process Memory';
  }
}

function taskManagerTree(spec: TaskManagerSpec): Node {
  const m = spec.memory;
  const offHeapBytes = m.jvmDirect.bytes + m.managed.bytes;
  return {
    label: 'Total Process Memory',
    component: m.totalProcessMemory,
    children: [
      {
        label: 'Total Flink Memory',
        component: m.totalFlinkMemory,
        children: [
          {
            label: 'JVM Heap',
            component: m.jvmHeap,
            jvm: '-Xmx -Xms',
            children: [
              { label: 'Framework Heap', component: m.frameworkHeap },
              { label: 'Task Heap', component: m.taskHeap },
            ],
          },
          {
            label: 'Off-Heap Memory',
            component: { bytes: offHeapBytes, option: undefined, provenance: { kind: 'sum', parts: ['JVM Direct Memory', 'Managed Memory'] } },
            children: [
              {
                label: 'JVM Direct Memory',
                component: m.jvmDirect,
                jvm: '-XX:MaxDirectMemorySize',
                children: [
                  { label: 'Framework Off-Heap', component: m.frameworkOffHeap },
                  { label: 'Task Off-Heap', component: m.taskOffHeap },
                  { label: 'Network', component: m.network },
                ],
              },
              { label: 'Managed Memory', component: m.managed, jvm: 'native' },
            ],
          },
        ],
      },
      { label: 'JVM Metaspace', component: m.jvmMetaspace, jvm: '-XX:MaxMetaspaceSize' },
      { label: 'JVM Overhead', component: m.jvmOverhead, jvm: 'native' },
    ],
  };
}

function jobManagerTree(spec: JobManagerSpec): Node {
  const m = spec.memory;
  return {
    label: 'Total Process Memory',
    component: m.totalProcessMemory,
    children: [
      {
        label: 'Total Flink Memory',
        component: m.totalFlinkMemory,
        children: [
          { label: 'JVM Heap', component: m.jvmHeap, jvm: '-Xmx -Xms' },
          { label: 'Off-Heap Memory', component: m.offHeap, jvm: spec.jvmDirectMemoryLimit ? '-XX:MaxDirectMemorySize' : 'no direct limit' },
        ],
      },
      { label: 'JVM Metaspace', component: m.jvmMetaspace, jvm: '-XX:MaxMetaspaceSize' },
      { label: 'JVM Overhead', component: m.jvmOverhead, jvm: 'native' },
    ],
  };
}

interface RenderContext {
  readonly c: Colors;
  readonly total: bigint;
  readonly width: number;
  readonly source: LoadedConfig | undefined;
}

const LABEL_WIDTH = 34;

function renderNode(node: Node, prefix: string, childPrefix: string, isRoot: boolean, out: string[], ctx: RenderContext): void {
  const { c } = ctx;
  const head = `${prefix}${node.label}`;
  const size = formatSize(node.component.bytes);
  const share = ctx.total === 0n ? 0 : Number((node.component.bytes * 10000n) / ctx.total) / 100;
  const shareText = `${share.toFixed(1)}%`;
  const barWidth = Math.max(0, ctx.width - LABEL_WIDTH - 11 - 8 - 2);
  const filled = Math.round((share / 100) * barWidth);
  const bar = '█'.repeat(filled) + '·'.repeat(Math.max(0, barWidth - filled));
  const label = head.length > LABEL_WIDTH - 1 ? head.slice(0, LABEL_WIDTH - 1) : head;
  const name = isRoot || node.children !== undefined ? c.bold(label) : label;
  out.push(`${name}${' '.repeat(LABEL_WIDTH - label.length)}${size.padStart(11)}${shareText.padStart(8)}  ${c.cyan(bar)}`);
  const detailPrefix = childPrefix + (node.children !== undefined ? '│  ' : '   ');
  for (const line of wrap(describe(node, ctx), ctx.width - detailPrefix.length)) out.push(c.dim(`${detailPrefix}${line}`));
  const children = node.children ?? [];
  children.forEach((child, i) => {
    const last = i === children.length - 1;
    renderNode(child, childPrefix + (last ? '└─ ' : '├─ '), childPrefix + (last ? '   ' : '│  '), false, out, ctx);
  });
}

function describe(node: Node, ctx: RenderContext): string {
  const how = provenanceText(node.component.provenance, ctx.source);
  const bytes = `${node.component.bytes} bytes`;
  const jvm = node.jvm !== undefined ? `; JVM: ${node.jvm}` : '';
  return `${how} (${bytes}${jvm})`;
}

function sourceText(entry: ConfigEntry): string {
  switch (entry.source.kind) {
    case 'file':
      return `${entry.source.file}:${entry.source.line}`;
    case 'dynamic':
      return `-D #${entry.source.index + 1}`;
    default:
      return "Flink's shipped default config";
  }
}

/** How a value was reached, in one sentence a Flink user can check. */
export function provenanceText(p: Provenance, source?: LoadedConfig): string {
  switch (p.kind) {
    case 'explicit': {
      const entry = source?.entries.get(p.key);
      const where = entry !== undefined ? ` [${sourceText(entry)}]` : '';
      const value = entry !== undefined ? ` = ${entry.value}` : '';
      const via = p.key !== p.option ? ` (deprecated key for ${p.option})` : '';
      return `set: ${p.key}${value}${via}${where}`;
    }
    case 'default':
      return `default of ${p.option}`;
    case 'legacy': {
      const entry = source?.entries.get(p.key);
      return `legacy ${p.key}${entry !== undefined ? ` = ${entry.value}` : ''}, read as ${p.option}`;
    }
    case 'fraction': {
      const op = p.inverse ? `${formatFraction(p.fraction)}/(1-${formatFraction(p.fraction)})` : formatFraction(p.fraction);
      const fractionSource = p.fractionExplicit ? p.fractionOption : `${p.fractionOption} (default)`;
      let text = `${op} x ${p.base} (${formatSize(p.baseBytes)}) = ${formatSize(p.uncapped)}, ${fractionSource}`;
      if (p.capped === 'min') text += `; raised to its min ${formatSize(p.min)}`;
      else if (p.capped === 'max') text += `; capped to its max ${formatSize(p.max)}`;
      else text += `; within [${formatSize(p.min)}, ${p.max === LONG_MAX ? 'unbounded' : formatSize(p.max)}]`;
      return text;
    }
    case 'remainder':
      return `remainder: ${p.total} (${formatSize(p.totalBytes)}) - ${p.minus.join(' - ')}`;
    case 'sum':
      return `sum: ${p.parts.join(' + ')}`;
    case 'buffers':
      return `legacy ${p.buffersKey}: ${p.buffers} buffers x ${formatSize(p.segmentSize)} segments`;
  }
}

/**
 * A paragraph with a hanging indent: `text` wrapped to `wrapWidth`, its first line behind `first`,
 * the others behind `rest` (`  - ` / `    ` for a bullet, `  high: ` / spaces for a labelled line).
 */
export function hanging(text: string, wrapWidth: number, first: string, rest: string): string[] {
  return wrap(text, wrapWidth).map((line, i) => `${i === 0 ? first : rest}${line}`);
}

/** A titled list of bullets, then a blank line; nothing when the list is empty. */
export function bulletSection(title: string, items: readonly string[] | undefined, width: number): string[] {
  if (items === undefined || items.length === 0) return [];
  return [title, ...items.flatMap((item) => hanging(item, width - 4, '  - ', '    ')), ''];
}

/** Greedy word wrap; words longer than the width are left whole. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length === 0) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines;
}
