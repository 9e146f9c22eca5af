/**
 * `flink-memory serve`: the built web app plus the few endpoints the browser cannot do itself
 * (GC/doctor reports over uploaded files, the Flink REST proxy, the inspect engine over the entered
 * REST URL for the live view). Binds loopback by default.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSmallBody } from './body.js';
import { HttpError } from './http-error.js';
import { inspectForPage, inspectTarget } from './inspect.js';
import { doctorReport, gcReport, MAX_DOCTOR_UPLOAD, MAX_GC_UPLOAD } from './reports.js';
import { allowedRestUrl, fetchRest, restTargetFromBody, type RestTarget } from './rest-proxy.js';
import { hostAllowed, sameOriginRequest, setSecurityHeaders } from './security.js';
import { loadStaticFiles, staticKey, type StaticFile } from './static-files.js';

/** JSON requests (the REST target) are tiny; anything bigger is a mistake or an attack. */
export const MAX_JSON_BODY = 16 * 1024;
/** Request line + headers; Node's default (16 KiB) is kept explicit here. */
const MAX_HEADER_BYTES = 16 * 1024;
/** Reports read whole files; two at a time keep a laptop responsive. */
const MAX_CONCURRENT_REPORTS = 2;
/** Inspections of the live view at once (each makes up to 16 calls in flight to the cluster). */
const MAX_CONCURRENT_INSPECTIONS = 2;

export interface ServeOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  /** The built app (dist/web); defaults to the one next to this module. */
  readonly root?: string;
  /** Where one line per failed request goes (no stack traces). */
  readonly log?: (line: string) => void;
}

export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** dist/src/serve/server.js -> dist/web */
export function defaultWebRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
}

/** The limits the page shows before uploading (GET /api/limits). */
export const LIMITS = { gcUploadBytes: MAX_GC_UPLOAD, doctorUploadBytes: MAX_DOCTOR_UPLOAD, jsonBodyBytes: MAX_JSON_BODY } as const;

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const root = options.root ?? defaultWebRoot();
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`the web app is not built (${join(root, 'index.html')} is missing); run 'npm run build'`);
  }
  const files = loadStaticFiles(root);
  const state: ServerState = { files, target: undefined, reportsRunning: 0, inspectionsRunning: 0, host: options.host, port: 0, log: options.log ?? (() => undefined) };
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    handle(req, res, state).catch((e: unknown) => fail(res, e, state, req));
  });
  // A slow client cannot hold a connection open forever; uploads of large logs still have minutes.
  server.requestTimeout = 10 * 60 * 1000;
  server.headersTimeout = 30 * 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  state.port = port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    server,
    port,
    url: `http://${shownHost}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface ServerState {
  readonly files: Map<string, StaticFile>;
  target: RestTarget | undefined;
  reportsRunning: number;
  inspectionsRunning: number;
  readonly host: string;
  port: number;
  readonly log: (line: string) => void;
}

async function handle(req: IncomingMessage, res: ServerResponse, state: ServerState): Promise<void> {
  setSecurityHeaders(res);
  res.setHeader('Cache-Control', 'no-store');
  if (!hostAllowed(req, state.host, state.port)) throw new HttpError(421, 'this server answers only to its own loopback address');
  const rawUrl = req.url ?? '/';
  if (!rawUrl.startsWith('/')) throw new HttpError(400, 'bad request target');
  // Concatenated, not resolved against a base: `//host/api/...` must stay a path, not a host.
  let url: URL;
  try {
    url = new URL(`http://local${rawUrl}`);
  } catch {
    throw new HttpError(400, 'bad request target');
  }
  if (url.pathname.startsWith('/api/')) return api(req, res, url, state);

  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    throw new HttpError(405, `${req.method ?? 'this method'} is not allowed here`);
  }
  const key = staticKey(rawUrl);
  const file = key === undefined ? undefined : state.files.get(key);
  if (file === undefined) throw new HttpError(404, 'not found');
  res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.body.length });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

async function api(req: IncomingMessage, res: ServerResponse, url: URL, state: ServerState): Promise<void> {
  if (!sameOriginRequest(req)) throw new HttpError(403, 'requests from other sites are refused');
  const route = `${req.method ?? ''} ${url.pathname}`;
  switch (route) {
    case 'GET /api/limits':
      return sendJson(res, 200, JSON.stringify(LIMITS));
    case 'POST /api/rest/target': {
      state.target = restTargetFromBody(await readSmallBody(req, MAX_JSON_BODY, 'the request'));
      return sendJson(res, 200, JSON.stringify({ base: state.target.base }));
    }
    case 'GET /api/rest/target':
      return sendJson(res, 200, JSON.stringify({ base: state.target?.base ?? null }));
    case 'GET /api/rest': {
      const target = allowedRestUrl(state.target, url.searchParams.get('url'));
      const answer = await fetchRest(target);
      res.writeHead(answer.status, { 'Content-Type': answer.contentType, 'Content-Length': answer.body.length });
      res.end(answer.body);
      return;
    }
    case 'POST /api/inspect': {
      const target = inspectTarget(state.target, await readSmallBody(req, MAX_JSON_BODY, 'the request'));
      if (state.inspectionsRunning >= MAX_CONCURRENT_INSPECTIONS) throw new HttpError(503, 'other inspections are still running; try again in a moment');
      state.inspectionsRunning++;
      try {
        return sendJson(res, 200, JSON.stringify(await inspectForPage(target)));
      } finally {
        state.inspectionsRunning--;
      }
    }
    case 'POST /api/gc':
      return sendJson(res, 200, await oneReportAtATime(state, () => gcReport(req, url.searchParams)));
    case 'POST /api/doctor':
      return sendJson(res, 200, await oneReportAtATime(state, () => doctorReport(req, url.searchParams)));
    default:
      throw new HttpError(404, `no such endpoint: ${route}`);
  }
}

async function oneReportAtATime(state: ServerState, run: () => Promise<string>): Promise<string> {
  if (state.reportsRunning >= MAX_CONCURRENT_REPORTS) throw new HttpError(503, 'other reports are still running; try again in a moment');
  state.reportsRunning++;
  try {
    return await run();
  } finally {
    state.reportsRunning--;
  }
}

function sendJson(res: ServerResponse, status: number, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length });
  res.end(bytes);
}

/** Every failure becomes `{"error": "one line"}` with a 4xx/5xx status; stack traces stay on the server. */
function fail(res: ServerResponse, e: unknown, state: ServerState, req: IncomingMessage): void {
  const status = e instanceof HttpError ? e.status : 500;
  const message = e instanceof HttpError ? e.message : 'internal error (see the server output)';
  if (!(e instanceof HttpError)) state.log(`flink-memory serve: internal error on ${req.method ?? ''} ${req.url ?? ''}: ${e instanceof Error ? e.message : String(e)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from(JSON.stringify({ error: message }), 'utf8');
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length };
  // The rest of a refused upload is not read: close the connection instead of draining it.
  const unread = !req.readableEnded && req.method === 'POST';
  if (unread) headers['Connection'] = 'close';
  res.writeHead(status, headers);
  res.end(body, () => {
    if (unread) req.destroy();
  });
}
