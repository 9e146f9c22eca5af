/**
 * `npm run bench`: derivation throughput in-process and the wall time of `flink-memory explain`
 * as a whole process. Figures vary with the machine; quote ratios from one run.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deriveJobManagerMemory, deriveTaskManagerMemory, resolveFlinkVersion } from '../src/index.js';

const configs: ReadonlyArray<Record<string, string>> = [
  { 'taskmanager.memory.process.size': '1728m' },
  { 'taskmanager.memory.process.size': '8g', 'taskmanager.memory.managed.fraction': '0.6', 'taskmanager.numberOfTaskSlots': '4' },
  { 'taskmanager.memory.flink.size': '4g', 'taskmanager.memory.network.fraction': '0.15', 'taskmanager.memory.network.min': '256m' },
  { 'taskmanager.memory.task.heap.size': '2g', 'taskmanager.memory.managed.size': '3g' },
];
const v2 = resolveFlinkVersion('2.1');
const v120 = resolveFlinkVersion('1.20');

function derivationsPerSecond(seconds: number): { perSecond: number; count: number } {
  let count = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) {
      const result = deriveTaskManagerMemory(configs[i % configs.length]!, i % 2 === 0 ? v2 : v120);
      if (!result.ok) throw new Error('benchmark configuration rejected');
      count++;
    }
    deriveJobManagerMemory({ 'jobmanager.memory.process.size': '1600m' }, v2);
    count++;
  }
  return { perSecond: count / seconds, count };
}

function processWallTimes(runs: number): number[] {
  const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'flink-memory.js');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    execFileSync(process.execPath, [bin, 'explain'], { stdio: ['ignore', 'ignore', 'inherit'] });
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

derivationsPerSecond(0.5); // warm-up
const { perSecond, count } = derivationsPerSecond(3);
console.log(`in-process derivations: ${Math.round(perSecond).toLocaleString('en-US')}/s (${count} in 3 s, one core; target >= 100,000/s)`);
const times = processWallTimes(21);
const median = times[Math.floor(times.length / 2)]!;
console.log(`flink-memory explain as a process: median ${median.toFixed(1)} ms, min ${times[0]!.toFixed(1)} ms, max ${times[times.length - 1]!.toFixed(1)} ms over ${times.length} runs (target <= 150 ms)`);

// Separate processes, so that each peak RSS is that engine's alone.
for (const bench of ['gc.js', 'gc-jdk8.js', 'doctor-log.js', 'inspect.js']) {
  execFileSync(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), bench)], { stdio: 'inherit' });
}
