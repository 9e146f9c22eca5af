/**
 * A JobManager stand-in on loopback: serves recorded REST bodies by path, with faults a test can
 * inject (an error status before success, a delay beyond the client's timeout, malformed JSON).
 * Unknown paths answer 404 with Flink's own error body.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

export interface Reply {
  readonly status?: number;
  readonly body?: string;
  readonly delayMs?: number;
  readonly contentType?: string;
}

/** A path's replies in order (the last one repeats), or a reply computed from the full request path. */
export type Route = Reply | readonly Reply[] | ((pathWithQuery: string) => Reply);

export interface ReplayServer {
  readonly url: string;
  /** Requests per path (with query). */
  readonly hits: Map<string, number>;
  /** Every Authorization header received, in order. */
  readonly authorizations: string[];
  close(): Promise<void>;
}

const FIXTURES = new URL('../../../test/fixtures/rest/', import.meta.url);
export const fixture = (path: string): string => readFileSync(new URL(path, FIXTURES), 'utf8');

/** Routes match the path with its query first, then the path alone. */
export async function startReplay(routes: Readonly<Record<string, Route>>, tls?: { readonly key: string; readonly cert: string }): Promise<ReplayServer> {
  const hits = new Map<string, number>();
  const authorizations: string[] = [];
  const served = new Map<string, number>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const full = req.url ?? '/';
    const path = full.split('?')[0]!;
    hits.set(full, (hits.get(full) ?? 0) + 1);
    if (req.headers.authorization !== undefined) authorizations.push(req.headers.authorization);
    const key = routes[full] !== undefined ? full : path;
    const route = routes[key];
    if (route === undefined) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ errors: [`Not found: ${path}`] }));
      return;
    }
    const list: readonly Reply[] = typeof route === 'function' ? [route(full)] : Array.isArray(route) ? route : [route as Reply];
    const n = served.get(key) ?? 0;
    served.set(key, n + 1);
    const reply = list[Math.min(n, list.length - 1)]!;
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(reply.status ?? 200, { 'Content-Type': reply.contentType ?? 'application/json' });
      res.end(reply.body ?? '');
    };
    if (reply.delayMs === undefined) send();
    else {
      const timer = setTimeout(send, reply.delayMs);
      res.on('close', () => clearTimeout(timer));
    }
  };
  const server = tls === undefined ? createServer(handler) : createHttpsServer(tls, handler);
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    hits,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const TM_ID = 'container_e07_1647426438639_0022_01_000002';
export const JOB_ID = 'a2848961b7e7768dcf2d9ac71405aacf';
export const VERTEX_ID = 'cbc357ccb763df2852fee8c4fc7d55f2';

const ok = (body: string): Reply => ({ body });

/**
 * One cluster from the fixtures: Flink 1.13.5's /config, /overview and /jobmanager/config (1728m
 * TaskManagers, 3 slots), the YARN TaskManager of 2 GiB that reports its memoryConfiguration, one
 * running job with failed checkpoints, a back-pressured vertex and a Metaspace OOM.
 */
export function clusterRoutes(): Record<string, Route> {
  return {
    '/config': ok(fixture('real/config/smartsi-publearnnotes.json')),
    '/overview': ok(fixture('real/overview/smartsi-publearnnotes.json')),
    '/jobmanager/config': ok(fixture('real/jobmanager_config/smartsi-publearnnotes.json')),
    '/jobmanager/metrics': ok(fixture('constructed/jobmanager-metrics.json')),
    '/taskmanagers': ok(fixture('real/taskmanagers/superzhc-superzhadoop-yarn.json')),
    '/taskmanagers/metrics': ok(fixture('constructed/taskmanagers-metrics-aggregated.json')),
    [`/taskmanagers/${TM_ID}`]: ok(fixture('constructed/taskmanager-details.json')),
    [`/taskmanagers/${TM_ID}/metrics`]: ok(fixture('constructed/taskmanager-metrics.json')),
    '/jobs/overview': ok(fixture('real/jobs_overview/smartsi-publearnnotes.json')),
    [`/jobs/${JOB_ID}`]: ok(fixture('real/jobs_detail/smartsi-publearnnotes.json')),
    [`/jobs/${JOB_ID}/checkpoints`]: ok(fixture('constructed/checkpoints-with-failures.json')),
    [`/jobs/${JOB_ID}/exceptions`]: ok(fixture('constructed/exceptions-metaspace.json')),
    [`/jobs/${JOB_ID}/vertices/${VERTEX_ID}/backpressure`]: ok(fixture('constructed/backpressure-high.json')),
  };
}

/**
 * A cluster of `count` TaskManagers shaped like the real YARN entry (ids and ports varied), each
 * with the constructed details and metrics bodies: the scale test and the benchmark.
 */
export function largeClusterRoutes(count: number): Record<string, Route> {
  const routes = clusterRoutes();
  const list = JSON.parse(fixture('real/taskmanagers/superzhc-superzhadoop-yarn.json')) as { taskmanagers: Record<string, unknown>[] };
  const template = list.taskmanagers[0]!;
  const details = fixture('constructed/taskmanager-details.json');
  const metrics = fixture('constructed/taskmanager-metrics.json');
  const tms: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const id = `container_e07_1647426438639_0022_01_${String(i + 2).padStart(6, '0')}`;
    tms.push({ ...template, id, dataPort: 38204 + i });
    routes[`/taskmanagers/${id}`] = ok(details.replace(TM_ID, id));
    routes[`/taskmanagers/${id}/metrics`] = ok(metrics);
  }
  routes['/taskmanagers'] = ok(JSON.stringify({ taskmanagers: tms }));
  return routes;
}
