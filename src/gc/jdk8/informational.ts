/**
 * Output that JDK 7/8 write into GC logs besides the GC records, often in the middle of one:
 * tenuring distribution, G1 ergonomics, heap-at-GC blocks (-XX:+PrintHeapAtGC), CMS free-list
 * statistics (-XX:PrintFLSStatistics), CMS initiation statistics, adaptive size policy, safepoint
 * times (-XX:+PrintGCApplicationStoppedTime / ConcurrentTime) and the JVM's header lines.
 *
 * These are recognised and skipped by their first characters; nothing here allocates.
 */
import type { Collector } from '../events.js';
import { isDigit, skipSpaces } from './chars.js';
import { skipStamps } from './timestamps.js';

const starts = (text: string, p: number, prefix: string): boolean => text.startsWith(prefix, p);

/**
 * Lines that can stand in the middle of a record and are never part of it. `p` is where the line's
 * text begins after its stamps.
 */
export function isInterleavedOutput(text: string, p: number): boolean {
  switch (text.charCodeAt(p)) {
    case 32: // ' '
      return isIndentedInterleaved(text, p);
    case 68: // D
      return starts(text, p, 'Desired survivor size');
    case 45: // -
      return starts(text, p, '- age') || starts(text, p, '---');
    case 84: // T
      return starts(text, p, 'Total time for which application threads were stopped') || starts(text, p, 'Total Free Space:') || starts(text, p, 'Tree      Height:');
    case 65: // A
      return starts(text, p, 'Application time:') || starts(text, p, 'AdaptiveSize') || starts(text, p, 'Av.  Block  Size:') || starts(text, p, 'After GC:');
    case 83: // S
      return starts(text, p, 'Statistics for ');
    case 77: // M
      return starts(text, p, 'Max   Chunk Size:');
    case 78: // N
      return starts(text, p, 'Number of Blocks:') || starts(text, p, 'No shared spaces configured.');
    case 66: // B
      return starts(text, p, 'Before GC:');
    case 115: // s
      return starts(text, p, 'size[');
    case 100: // d
      return starts(text, p, 'demand:');
    case 67: // C
      return starts(text, p, 'CMS: Large block') || starts(text, p, 'CMSCollector shouldConcurrentCollect');
    case 116: // t
      return starts(text, p, 'time_until_cms_gen_full');
    case 102: // f
      return starts(text, p, 'free=');
    case 99: // c
      return starts(text, p, 'contiguous_available=') || starts(text, p, 'cms_allocation_rate=');
    case 112: // p
      return starts(text, p, 'promotion_rate=');
    case 111: // o
      return starts(text, p, 'occupancy=');
    case 105: // i
      return starts(text, p, 'initiatingOccupancy=') || starts(text, p, 'initiatingPermOccupancy=');
    case 80: // P
      return starts(text, p, 'PSAdaptiveSizePolicy::') || starts(text, p, 'PSYoungGen::') || starts(text, p, 'PSOldGen::');
    case 123: // {
      return starts(text, p, '{Heap before GC invocations=');
    case 72: // H
      return starts(text, p, 'Heap after GC invocations=');
    case 125: // }
      return skipSpaces(text, p + 1) === text.length;
    default:
      return false;
  }
}

function isIndentedInterleaved(text: string, p: number): boolean {
  const q = skipSpaces(text, p);
  const c = text.charCodeAt(q);
  if (isDigit(c)) {
    const r = skipStamps(text, q);
    return r > q && starts(text, r, '[G1Ergonomics');
  }
  // FLS statistics " free=469745664 frag=0.0000", adaptive size policy "  avg_survived_padded_avg: …"
  if ((c === 102 && starts(text, q, 'free=')) || (c === 97 && starts(text, q, 'avg_'))) return true;
  return heapBlockLine(text, q) !== undefined;
}

export interface HeapBlockLine {
  readonly prefix: string;
  /** The collector a heap of this shape proves. */
  readonly collector: Collector | undefined;
}

/** Lines of a heap-at-GC block (and of the heap printed at exit), indented, by their first words. */
const HEAP_BLOCK_LINES: readonly HeapBlockLine[] = [
  { prefix: 'garbage-first heap', collector: 'G1' },
  { prefix: 'region size', collector: 'G1' },
  { prefix: 'par new generation', collector: 'CMS' },
  { prefix: 'concurrent mark-sweep generation', collector: 'CMS' },
  { prefix: 'concurrent-mark-sweep perm gen', collector: 'CMS' },
  { prefix: 'PSYoungGen ', collector: 'Parallel' },
  { prefix: 'ParOldGen ', collector: 'Parallel' },
  { prefix: 'PSOldGen ', collector: 'Parallel' },
  { prefix: 'PSPermGen ', collector: 'Parallel' },
  { prefix: 'tenured generation', collector: 'Serial' },
  { prefix: 'def new generation', collector: undefined },
  { prefix: 'compacting perm gen', collector: undefined },
  { prefix: 'eden space', collector: undefined },
  { prefix: 'from space', collector: undefined },
  { prefix: 'to   space', collector: undefined },
  { prefix: 'object space', collector: undefined },
  { prefix: 'the space', collector: undefined },
  { prefix: 'Metaspace ', collector: undefined },
  { prefix: 'class space', collector: undefined },
  { prefix: 'data space', collector: undefined },
  { prefix: 'ro space', collector: undefined },
  { prefix: 'rw space', collector: undefined },
  { prefix: 'No shared spaces', collector: undefined },
];

const UNKNOWN_HEAP_SPACE: HeapBlockLine = { prefix: '', collector: undefined };

/** The heap-block line starting at `q` (its first non-space character), or undefined. */
export function heapBlockLine(text: string, q: number): HeapBlockLine | undefined {
  for (const line of HEAP_BLOCK_LINES) if (starts(text, q, line.prefix)) return line;
  // Any other space of a heap block: "<name> total 65536K, used 8192K [0x…, 0x…, 0x…)".
  return text.indexOf('[0x', q) >= 0 && text.charCodeAt(text.length - 1) === 41 ? UNKNOWN_HEAP_SPACE : undefined;
}

/** "  region size 1024K, …" of a G1 heap block. */
export const REGION_SIZE_PREFIX = 'region size ';

const ROTATION_LINE = / GC log file (?:created|has reached the maximum size)/;

/** The JVM's header lines, the heap printed at exit, log rotation notes. `p` is past any stamps. */
export function isHeaderLine(text: string, p: number): boolean {
  switch (text.charCodeAt(p)) {
    case 74: // J
      return starts(text, p, 'Java HotSpot(TM) ');
    case 79: // O
      return starts(text, p, 'OpenJDK ');
    case 77: // M
      return starts(text, p, 'Memory: ');
    case 47: // /
      return starts(text, p, '/proc/meminfo:');
    case 72: // H
      return starts(text, p, 'Heap') && skipSpaces(text, p + 4) === text.length;
    default:
      return isDigit(text.charCodeAt(p)) && text.charCodeAt(p + 4) === 45 && text.charCodeAt(p + 10) === 32 && ROTATION_LINE.test(text);
  }
}

export const COMMAND_LINE_FLAGS = 'CommandLine flags: ';
