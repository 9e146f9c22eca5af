/**
 * `node dist/bench/inspect.js [TASKMANAGERS]`: the wall time of inspecting one cluster of 500
 * TaskManagers (2 calls each, plus the cluster and job endpoints) on loopback, analysis included.
 * The replay server runs in the same process, so the figure includes serving the bodies too.
 */
import { inspectCluster } from '../src/inspect/inspect.js';
import { largeClusterRoutes, startReplay } from '../test/inspect/replay-server.js';

const count = Number(process.argv[2] ?? 500);
const server = await startReplay(largeClusterRoutes(count));
const times: number[] = [];
let calls = 0;
try {
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    const cluster = await inspectCluster({ url: server.url });
    times.push(performance.now() - started);
    if (cluster.taskManagers.length !== count || cluster.errors.length > 0) throw new Error(`inspection incomplete: ${cluster.taskManagers.length} TaskManagers, ${cluster.errors.length} errors`);
    calls = [...server.hits.values()].reduce((s, n) => s + n, 0) / (run + 1);
  }
} finally {
  await server.close();
}
times.sort((a, b) => a - b);
console.log(`inspect, one cluster of ${count} TaskManagers on loopback (${Math.round(calls)} REST calls per inspection):`);
console.log(`  median ${times[2]!.toFixed(0)} ms, best ${times[0]!.toFixed(0)} ms, worst ${times[4]!.toFixed(0)} ms over 5 runs (target <= 3000 ms)`);
