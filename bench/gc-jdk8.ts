/**
 * JDK 8 GC log benchmark: real -XX:+PrintGCDetails logs from ../shared/gc-samples/jdk8 (a G1 log
 * with phase details, remark, cleanup and concurrent cycle; a CMS log with ParNew, initial mark,
 * remark and concurrent phases), each repeated with shifted stamps into a file of at least 300 MB
 * in the temp directory (made once), then analysed in this process the way `flink-memory gc` does.
 * Prints throughput in MB/s and peak RSS for each; `grep -c` on the same file gives the scale.
 *
 * Run: npx tsc -p tsconfig.json && node dist/bench/gc-jdk8.js
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeGcLogs } from '../src/gc/analyze.js';

const TARGET_BYTES = 300 * 1024 * 1024;
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const samples = join(repoRoot, '..', 'shared', 'gc-samples', 'jdk8');

interface Workload {
  readonly name: string;
  readonly sample: string;
  /** What grep counts for scale: one per pause in this log. */
  readonly grep: string;
}

const WORKLOADS: readonly Workload[] = [
  { name: 'G1 with details', sample: 'SampleSun1_8_0G1PrintGCID.txt', grep: 'Times:' },
  { name: 'CMS (ParNew)', sample: 'SampleSun1_8_0Series-Part1.txt', grep: 'Times:' },
];

/** The stamps JDK 8 writes before a record: "2016-04-14T22:30:09.108+0200: " and "1.053: ". */
const STAMP = /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})([+-]\d{4}): |(?<![\d.])(\d+)\.(\d{3}): /g;

type Piece = string | { readonly epochMs: number; readonly zone: string } | { readonly uptimeMs: number };

/** The sample's GC lines (headers left out, since a JVM writes them once) cut at its stamps. */
function template(text: string): { pieces: Piece[]; spanMs: number } {
  const body = text
    .split('\n')
    .filter((line) => !/^(Java HotSpot|OpenJDK|Memory: |CommandLine flags: |\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GC log file)/.test(line))
    .join('\n');
  const pieces: Piece[] = [];
  let at = 0;
  let lastUptimeMs = 0;
  for (const m of body.matchAll(STAMP)) {
    pieces.push(body.slice(at, m.index));
    if (m[1] !== undefined) {
      const zone = m[2]!;
      const sign = zone.startsWith('-') ? -1 : 1;
      const offsetMs = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
      pieces.push({ epochMs: Date.parse(`${m[1]}Z`) - offsetMs, zone });
    } else {
      lastUptimeMs = Number(m[3]) * 1000 + Number(m[4]);
      pieces.push({ uptimeMs: lastUptimeMs });
    }
    at = m.index + m[0].length;
  }
  pieces.push(body.slice(at));
  return { pieces, spanMs: lastUptimeMs + 1000 };
}

function render(pieces: readonly Piece[], shiftMs: number): string {
  let out = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') out += piece;
    else if ('uptimeMs' in piece) out += `${((piece.uptimeMs + shiftMs) / 1000).toFixed(3)}: `;
    else {
      const sign = piece.zone.startsWith('-') ? -1 : 1;
      const local = piece.epochMs + shiftMs + sign * (Number(piece.zone.slice(1, 3)) * 60 + Number(piece.zone.slice(3, 5))) * 60_000;
      out += `${new Date(local).toISOString().slice(0, 23)}${piece.zone}: `;
    }
  }
  return out.endsWith('\n') ? out : `${out}\n`;
}

async function generate(workload: Workload, file: string): Promise<void> {
  if (existsSync(file) && statSync(file).size >= TARGET_BYTES) return;
  const text = readFileSync(join(samples, workload.sample), 'latin1');
  const header = text.split('\n').slice(0, 3).join('\n');
  const { pieces, spanMs } = template(text);
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  let written = 0;
  for (let copy = 0; written < TARGET_BYTES; copy++) {
    const chunk = render(pieces, copy * spanMs);
    written += chunk.length;
    if (!out.write(chunk, 'latin1')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(resolve));
}

async function bench(workload: Workload): Promise<void> {
  const file = join(tmpdir(), `flink-memory-bench-gc-jdk8-${workload.sample.replace(/\.txt$/, '')}.log`);
  await generate(workload, file);
  const size = statSync(file).size;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const summary = await analyzeGcLogs([{ kind: 'file', path: file }]);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // CPU time as well as wall time: on a shared machine the wall clock also counts other processes.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const mb = size / 1048576;
  console.log(
    `gc jdk8 ${workload.name}: ${mb.toFixed(0)} MB, ${summary.collector}, ${summary.pauses.count} pauses, ${summary.lines} lines, ${summary.unrecognisedLines} unrecognised, ` +
      `in ${seconds.toFixed(2)} s = ${(mb / seconds).toFixed(0)} MB/s wall, ${cpuSeconds.toFixed(2)} s CPU = ${(mb / cpuSeconds).toFixed(0)} MB/s per CPU second (target >= 200 MB/s); ` +
      `peak RSS so far ${rssMb.toFixed(0)} MB (target <= 200 MB)`,
  );
  const grepStart = performance.now();
  let grepCount: string;
  try {
    grepCount = execFileSync('grep', ['-c', workload.grep, file]).toString().trim();
  } catch {
    grepCount = '(grep unavailable)';
  }
  const grepSeconds = (performance.now() - grepStart) / 1000;
  console.log(`  for scale: grep -c '${workload.grep}': ${grepSeconds.toFixed(2)} s (${(mb / grepSeconds).toFixed(0)} MB/s, ${grepCount} lines)`);
}

if (!existsSync(samples)) {
  console.log(`gc jdk8: skipped, no sample logs at ${samples}`);
} else {
  for (const workload of WORKLOADS) await bench(workload);
}
