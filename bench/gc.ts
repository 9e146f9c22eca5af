/**
 * GC engine benchmark: a generated unified-logging G1 `-Xlog:gc*` log of at least 300 MB (made
 * once in the temp directory), analysed in this process: throughput in MB/s, peak RSS, and the
 * time `grep -c` needs on the same file for scale.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeGcLogs } from '../src/gc/analyze.js';

const TARGET_BYTES = 320 * 1024 * 1024;
const file = join(tmpdir(), 'flink-memory-bench-gc.log');

/** One young collection as JDK 17 writes it with -Xlog:gc*:...:time,uptime,level,tags. */
function block(id: number, uptime: number): string {
  const u = uptime.toFixed(3);
  const d = new Date(Date.UTC(2026, 0, 1) + uptime * 1000).toISOString().replace('Z', '+0000');
  const pre = `[${d}][${u}s][info]`;
  const young = id % 50 === 49 ? 'Pause Young (Concurrent Start) (G1 Evacuation Pause)' : 'Pause Young (Normal) (G1 Evacuation Pause)';
  const before = 900 + (id % 97);
  const after = 300 + (id % 41);
  return [
    `${pre}[gc,start    ] GC(${id}) ${young}`,
    `${pre}[gc,task     ] GC(${id}) Using 2 workers of 2 for evacuation`,
    `${pre}[gc,phases   ] GC(${id})   Pre Evacuate Collection Set: 0.1ms`,
    `${pre}[gc,phases   ] GC(${id})   Merge Heap Roots: 0.1ms`,
    `${pre}[gc,phases   ] GC(${id})   Evacuate Collection Set: 4.2ms`,
    `${pre}[gc,phases   ] GC(${id})   Post Evacuate Collection Set: 0.3ms`,
    `${pre}[gc,phases   ] GC(${id})   Other: 0.2ms`,
    `${pre}[gc,heap     ] GC(${id}) Eden regions: 150->0(150)`,
    `${pre}[gc,heap     ] GC(${id}) Survivor regions: 10->12(20)`,
    `${pre}[gc,heap     ] GC(${id}) Old regions: 300->305`,
    `${pre}[gc,heap     ] GC(${id}) Archive regions: 2->2`,
    `${pre}[gc,heap     ] GC(${id}) Humongous regions: 4->4`,
    `${pre}[gc,metaspace] GC(${id}) Metaspace: 60000K(61000K)->60000K(61000K) NonClass: 52000K(52500K)->52000K(52500K) Class: 8000K(8500K)->8000K(8500K)`,
    `${pre}[gc          ] GC(${id}) ${young.replace(' (G1 Evacuation Pause)', ' (G1 Evacuation Pause)')} ${before}M->${after}M(2048M) ${(4 + (id % 13) / 10).toFixed(3)}ms`,
    `${pre}[gc,cpu      ] GC(${id}) User=0.01s Sys=0.00s Real=0.01s`,
    `${pre}[safepoint   ] Safepoint "G1CollectForAllocation", Time since last: 120000000 ns, Reaching safepoint: 10000 ns, At safepoint: 5000000 ns, Total: 5010000 ns`,
    '',
  ].join('\n');
}

async function generate(): Promise<void> {
  if (existsSync(file) && statSync(file).size >= TARGET_BYTES) return;
  const out = createWriteStream(file);
  out.write('[2026-01-01T00:00:00.000+0000][0.010s][info][gc,init] Using G1\n');
  let written = 0;
  let id = 0;
  let uptime = 1;
  while (written < TARGET_BYTES) {
    const parts: string[] = [];
    for (let i = 0; i < 200; i++) parts.push(block(id++, (uptime += 0.25)));
    const chunk = parts.join('');
    written += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(resolve));
}

async function benchGc(): Promise<void> {
  await generate();
  const size = statSync(file).size;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const summary = await analyzeGcLogs([{ kind: 'file', path: file }]);
  const seconds = (performance.now() - start) / 1000;
  // CPU time as well: on a loaded machine wall time says more about the neighbours than about us.
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const grepStart = performance.now();
  let grepCount = '';
  try {
    grepCount = execFileSync('grep', ['-c', 'Pause', file]).toString().trim();
  } catch {
    grepCount = '(grep unavailable)';
  }
  const grepSeconds = (performance.now() - grepStart) / 1000;
  console.log(
    `gc analysis: ${(size / 1048576).toFixed(0)} MB, ${summary.pauses.count} pauses, ${summary.lines} lines in ${seconds.toFixed(2)} s = ${(size / 1048576 / seconds).toFixed(0)} MB/s (target >= 200 MB/s; ${(size / 1048576 / cpuSeconds).toFixed(0)} MB per CPU second); peak RSS ${rssMb.toFixed(0)} MB (target <= 200 MB)`,
  );
  console.log(`for scale: grep -c Pause on the same file: ${grepSeconds.toFixed(2)} s (${(size / 1048576 / grepSeconds).toFixed(0)} MB/s, ${grepCount} lines)`);
}

await benchGc();
