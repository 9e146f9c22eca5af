/**
 * The local server's security and limits, over real loopback HTTP: only the built files are
 * served (no traversal), every answer carries the CSP, bodies are bounded, the REST proxy fetches
 * nothing but URLs below the one entered, and bad input gets a one-line 4xx, never a stack trace.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { CONTENT_SECURITY_POLICY } from '../../src/serve/security.js';
import { allowedRestUrl, parseRestTarget } from '../../src/serve/rest-proxy.js';
import { safeFileName } from '../../src/serve/reports.js';
import { parseServeArgs } from '../../src/cli/serve.js';
import { guardedTransport } from '../../src/serve/inspect.js';
import type { ClusterJson, InspectJson } from '../../src/inspect/result.js';
import { runCliCaptured } from '../cli/cli-harness.js';
import { clusterRoutes, startReplay, TM_ID, type ReplayServer, type Route } from '../inspect/replay-server.js';

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A raw request: the path goes on the wire exactly as written (no URL normalisation by a client). */
function raw(port: number, method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** Writes bytes on a socket as given, for request targets no HTTP client would send. */
function wire(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (d) => (out += d.toString('latin1')));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
  });
}

describe('flink-memory serve', () => {
  let dir: string;
  let server: RunningServer;
  let flink: Server;
  let flinkPort: number;
  const flinkRequests: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flink-memory-serve-test-'));
    const root = join(dir, 'web');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(root, 'app.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'x.css'), 'body{}');
    writeFileSync(join(dir, 'secret.txt'), 'do not serve');
    server = await startServer({ port: 0, host: '127.0.0.1', root });
    // A stand-in Flink REST API on loopback, and a redirect that would leave the allowed prefix.
    flink = createServer((req, res) => {
      flinkRequests.push(req.url ?? '');
      if (req.url === '/flink/redirect') {
        res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
      } else if (req.url === '/flink/html') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
      }
    });
    await new Promise<void>((r) => flink.listen(0, '127.0.0.1', r));
    flinkPort = (flink.address() as AddressInfo).port;
  });
  after(async () => {
    await server.close();
    await new Promise<void>((r) => flink.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('serves the app with the CSP and other security headers', async () => {
    const index = await raw(server.port, 'GET', '/');
    assert.equal(index.status, 200);
    assert.equal(index.body, '<!doctype html><title>app</title>');
    assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(index.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'(;|$)/);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval|\*/);
    assert.equal(index.headers['x-content-type-options'], 'nosniff');
    assert.equal(index.headers['x-frame-options'], 'DENY');
    const js = await raw(server.port, 'GET', '/app.js');
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.body, 'console.log(1)');
    assert.equal((await raw(server.port, 'GET', '/assets/x.css')).body, 'body{}');
    const missing = await raw(server.port, 'GET', '/nope.js');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['content-security-policy'], CONTENT_SECURITY_POLICY, 'errors carry the CSP too');
  });

  test('no path traversal, however the path is spelled', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%2e%2e%2fsecret.txt', '//etc/passwd', '/%00', '/%E0%A4%A']) {
      const reply = await wire(server.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`);
      assert.match(reply, /^HTTP\/1\.1 (400|404) /, path);
      assert.doesNotMatch(reply, /do not serve/, path);
    }
    const absolute = await wire(server.port, `GET ${join(dir, 'secret.txt')} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`);
    assert.doesNotMatch(absolute, /do not serve/);
  });

  test('refuses other Host names (DNS rebinding) and cross-site API calls', async () => {
    const rebound = await raw(server.port, 'GET', '/', { headers: { host: `evil.example:${server.port}` } });
    assert.equal(rebound.status, 421);
    assert.equal((await raw(server.port, 'GET', '/', { headers: { host: `localhost:${server.port}` } })).status, 200);
    const csrf = await raw(server.port, 'POST', '/api/rest/target', {
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://127.0.0.1:${flinkPort}/` }),
    });
    assert.equal(csrf.status, 403);
    assert.deepEqual(JSON.parse(csrf.body), { error: 'requests from other sites are refused' });
    const crossSite = await raw(server.port, 'GET', '/api/limits', { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(crossSite.status, 403);
  });

  test('only GET and HEAD for files; unknown endpoints are 404 with a one-line JSON error', async () => {
    const put = await raw(server.port, 'PUT', '/index.html', { body: 'x' });
    assert.equal(put.status, 405);
    assert.equal(put.headers['allow'], 'GET, HEAD');
    const unknown = await raw(server.port, 'GET', '/api/nope');
    assert.equal(unknown.status, 404);
    assert.deepEqual(JSON.parse(unknown.body), { error: 'no such endpoint: GET /api/nope' });
    const head = await raw(server.port, 'HEAD', '/app.js');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  });

  test('request size limits: JSON bodies and uploads', async () => {
    const big = await raw(server.port, 'POST', '/api/rest/target', { headers: { 'content-type': 'application/json' }, body: `{"url":"${'a'.repeat(20000)}"}` });
    assert.equal(big.status, 413);
    assert.deepEqual(JSON.parse(big.body), { error: 'the request is larger than the limit of 16 KiB' });
    // Content-Length alone decides: the server refuses before reading a byte of the body.
    const declared = await wire(server.port, `POST /api/gc?name=gc.log HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Length: ${2 * 1024 ** 3}\r\n\r\n`);
    assert.match(declared, /^HTTP\/1\.1 413 /);
    assert.match(declared, /"error":"the GC log gc.log is larger than the limit of 1 GiB"/);
    const limits = JSON.parse((await raw(server.port, 'GET', '/api/limits')).body) as Record<string, number>;
    assert.deepEqual(limits, { gcUploadBytes: 1024 ** 3, doctorUploadBytes: 256 * 1024 ** 2, jsonBodyBytes: 16 * 1024 });
  });

  test('bad input gets a clear 4xx and no stack trace', async () => {
    const notJson = await raw(server.port, 'POST', '/api/rest/target', { body: '{nope' });
    assert.equal(notJson.status, 400);
    assert.deepEqual(JSON.parse(notJson.body), { error: 'the body is not JSON (expected {"url": "http://host:8081"})' });
    const ftp = await raw(server.port, 'POST', '/api/rest/target', { body: JSON.stringify({ url: 'ftp://x/' }) });
    assert.deepEqual(JSON.parse(ftp.body), { error: 'only http and https URLs can be proxied, not ftp:' });
    const emptyGc = await raw(server.port, 'POST', '/api/gc?name=../../etc/passwd', { body: '' });
    assert.equal(emptyGc.status, 400);
    assert.deepEqual(JSON.parse(emptyGc.body), { error: 'passwd is empty' });
    const badVersion = await raw(server.port, 'POST', '/api/gc?version=0.9', { body: 'x' });
    assert.equal(badVersion.status, 400);
    assert.match(JSON.parse(badVersion.body).error, /^Unsupported Flink version '0.9'/);
    const notMultipart = await raw(server.port, 'POST', '/api/doctor', { headers: { 'content-type': 'text/plain' }, body: 'x' });
    assert.equal(notMultipart.status, 415);
    const brokenMultipart = await raw(server.port, 'POST', '/api/doctor', { headers: { 'content-type': 'multipart/form-data; boundary=zz' }, body: 'garbage' });
    assert.equal(brokenMultipart.status, 400);
    for (const reply of [notJson, ftp, emptyGc, badVersion, notMultipart, brokenMultipart]) assert.doesNotMatch(reply.body, /\bat .*\.js:\d+/);
  });

  test('the REST proxy fetches only below the URL entered, and only GET', async () => {
    const before = await raw(server.port, 'GET', `/api/rest?url=${encodeURIComponent(`http://127.0.0.1:${flinkPort}/flink/overview`)}`);
    assert.equal(before.status, 409, 'nothing entered yet');
    const set = await raw(server.port, 'POST', '/api/rest/target', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: `http://127.0.0.1:${flinkPort}/flink` }) });
    assert.equal(set.status, 200);
    assert.deepEqual(JSON.parse(set.body), { base: `http://127.0.0.1:${flinkPort}/flink/` });

    const ok = await raw(server.port, 'GET', `/api/rest?url=${encodeURIComponent(`http://127.0.0.1:${flinkPort}/flink/taskmanagers/a?get=x`)}`);
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.body), { path: '/flink/taskmanagers/a?get=x' });

    const refused = [
      `http://127.0.0.1:${flinkPort}/other`,
      `http://127.0.0.1:${flinkPort}/flinkx/overview`,
      `http://127.0.0.1:${flinkPort}/flink/../other`,
      `http://127.0.0.1:${flinkPort}/flink/%2e%2e/other`,
      `http://127.0.0.1:${flinkPort}/flink/a%2f..%2f..%2fother`,
      `http://localhost:${flinkPort}/flink/overview`,
      `https://127.0.0.1:${flinkPort}/flink/overview`,
      `http://127.0.0.1:${flinkPort + 1}/flink/overview`,
      `http://user:pw@127.0.0.1:${flinkPort}/flink/overview`,
      'http://example.com/',
      'file:///etc/passwd',
    ];
    const seen = flinkRequests.length;
    for (const url of refused) {
      const reply = await raw(server.port, 'GET', `/api/rest?url=${encodeURIComponent(url)}`);
      assert.equal(reply.status, 403, url);
      assert.deepEqual(JSON.parse(reply.body), { error: `only URLs below http://127.0.0.1:${flinkPort}/flink/ (the Flink REST URL entered for this session) are fetched` });
    }
    assert.equal(flinkRequests.length, seen, 'no refused URL reached the network');
    const post = await raw(server.port, 'POST', `/api/rest?url=${encodeURIComponent(`http://127.0.0.1:${flinkPort}/flink/jobs`)}`, { body: '{}' });
    assert.equal(post.status, 404);
    const redirect = await raw(server.port, 'GET', `/api/rest?url=${encodeURIComponent(`http://127.0.0.1:${flinkPort}/flink/redirect`)}`);
    assert.equal(redirect.status, 502);
    assert.match(JSON.parse(redirect.body).error, /answered with a redirect \(302\)/);
    const html = await raw(server.port, 'GET', `/api/rest?url=${encodeURIComponent(`http://127.0.0.1:${flinkPort}/flink/html`)}`);
    assert.equal(html.status, 502);
    assert.match(JSON.parse(html.body).error, /did not answer with JSON/);
  });

  test('a GC log upload is analysed by the GC engine', async () => {
    const fixture = join(import.meta.dirname, '../../../test/fixtures/gc/unified/g1-gcstar-pressure.txt');
    const reply = await raw(server.port, 'POST', '/api/gc?name=g1.log', { body: readFileSync(fixture) });
    assert.equal(reply.status, 200, reply.body);
    const json = JSON.parse(reply.body) as { collector: string; inputs: Array<{ name: string }>; pauses: { count: number } };
    assert.equal(json.collector, 'G1');
    assert.deepEqual(json.inputs.map((i) => i.name), ['g1.log']);
    const pauses = readFileSync(fixture, 'latin1').split('\n').filter((l) => /\] GC\(\d+\) Pause .* \d+\.\d+ms$/.test(l)).length;
    assert.equal(json.pauses.count, pauses);
  });
});

describe('POST /api/inspect: the inspect engine on the server, under the proxy rules', () => {
  let dir: string;
  let server: RunningServer;
  let flink: ReplayServer;
  let redirecting: ReplayServer;
  let elsewhere: ReplayServer;
  /** The replay cluster below /flink/, so that the prefix rule has something to refuse. */
  const prefixed = (extra: Record<string, Route> = {}): Record<string, Route> => ({ ...Object.fromEntries(Object.entries(clusterRoutes()).map(([k, v]) => [`/flink${k}`, v])), ...extra });
  const post = (body: string, headers: Record<string, string> = {}) => raw(server.port, 'POST', '/api/inspect', { headers: { 'content-type': 'application/json', ...headers }, body });
  const setTarget = (url: string) => raw(server.port, 'POST', '/api/rest/target', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url }) });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flink-memory-serve-inspect-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
    server = await startServer({ port: 0, host: '127.0.0.1', root: dir });
    flink = await startReplay(prefixed());
    elsewhere = await startReplay({ '/elsewhere': { body: '{}' } });
    redirecting = await startReplay(prefixed({ '/flink/jobmanager/metrics': { status: 302, body: '' } }));
  });
  after(async () => {
    await server.close();
    await flink.close();
    await elsewhere.close();
    await redirecting.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('refused before a URL is entered, for another URL, from another site, and above the size limit', async () => {
    const none = await post(JSON.stringify({ url: `${flink.url}/flink` }));
    assert.equal(none.status, 409);
    assert.deepEqual(JSON.parse(none.body), { error: 'no Flink REST URL has been entered for this session yet' });
    assert.equal((await setTarget(`${flink.url}/flink`)).status, 200);
    for (const url of [`${flink.url}/`, `${flink.url}/other`, elsewhere.url, 'http://example.com/flink']) {
      const other = await post(JSON.stringify({ url }));
      assert.equal(other.status, 403, url);
      assert.deepEqual(JSON.parse(other.body), { error: `only ${flink.url}/flink/ (the Flink REST URL entered for this session) is inspected` });
    }
    const csrf = await post(JSON.stringify({ url: `${flink.url}/flink` }), { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    assert.equal(csrf.status, 403);
    const rebound = await post(JSON.stringify({ url: `${flink.url}/flink` }), { host: `evil.example:${server.port}` });
    assert.equal(rebound.status, 421);
    const big = await post(JSON.stringify({ url: `${flink.url}/flink`, pad: 'x'.repeat(20_000) }));
    assert.equal(big.status, 413);
    assert.equal((await post('{nope')).status, 400);
    assert.equal((await raw(server.port, 'GET', '/api/inspect')).status, 404, 'POST only');
    assert.equal(flink.hits.size, 0, 'nothing refused reached the cluster');
    assert.equal(elsewhere.hits.size, 0);
  });

  test('answers the ClusterJson of `inspect --format json` for the entered URL', async () => {
    assert.equal((await setTarget(`${flink.url}/flink`)).status, 200);
    const reply = await post(JSON.stringify({ url: `${flink.url}/flink/` }));
    assert.equal(reply.status, 200, reply.body);
    assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
    const page = JSON.parse(reply.body) as ClusterJson;
    const run = await runCliCaptured(['inspect', '--rest', `${flink.url}/flink`, '--format', 'json', '--timeout', '5000']);
    const cli = (JSON.parse(run.stdout) as InspectJson).clusters[0]!;
    assert.deepEqual(page.errors, []);
    assert.equal(page.flinkVersion, '1.13.5');
    assert.deepEqual(page.taskManagers, cli.taskManagers);
    assert.deepEqual(page.jobs, cli.jobs);
    assert.deepEqual(page.findings, cli.findings);
    assert.deepEqual(page.proposals, cli.proposals);
    assert.deepEqual(page.jobManager, cli.jobManager);
    const tm = page.taskManagers[0]!;
    assert.equal(tm.id, TM_ID);
    assert.equal(tm.used.heapUsed, '180355072');
    assert.equal(tm.configured!['totalProcessMemory'], '2147483648');
    assert.ok([...flink.hits.keys()].every((path) => path.startsWith('/flink/')), 'every call below the entered prefix');
  });

  test('a redirect is not followed: an error in the report, the rest stands', async () => {
    assert.equal((await setTarget(`${redirecting.url}/flink`)).status, 200);
    const reply = await post(JSON.stringify({ url: `${redirecting.url}/flink` }));
    assert.equal(reply.status, 200, reply.body);
    const page = JSON.parse(reply.body) as ClusterJson;
    assert.deepEqual(page.errors.map((e) => [e.url.replace(/\?.*/, ''), e.status]), [[`${redirecting.url}/flink/jobmanager/metrics`, 421]]);
    assert.match(page.errors[0]!.message, /^HTTP 421: answered with a redirect \(302\), which is not followed/);
    assert.equal(page.taskManagers[0]!.used.heapUsed, '180355072');
    assert.equal(page.jobManager.used.heapUsed, null);
  });

  test('the transport refuses every URL outside the entered one without a request', async () => {
    const transport = guardedTransport({ origin: flink.url, pathPrefix: '/flink/', base: `${flink.url}/flink/` });
    const seen = flink.hits.size;
    for (const url of [`${flink.url}/other`, `${flink.url}/flink/../other`, `${flink.url}/flink/a%2f..%2fother`, `${elsewhere.url}/elsewhere`, `http://u:p@${flink.url.slice(7)}/flink/config`]) {
      const answer = await transport(url, { Accept: 'application/json' }, AbortSignal.timeout(1000));
      assert.equal(answer.status, 403, url);
      assert.match(answer.text, /only URLs below/);
    }
    assert.equal(flink.hits.size, seen);
    assert.equal(elsewhere.hits.size, 0);
    const ok = await transport(`${flink.url}/flink/config`, { Accept: 'application/json' }, AbortSignal.timeout(5000));
    assert.equal(ok.status, 200);
    assert.match(ok.text, /"flink-version": "1\.13\.5"/);
  });
});

describe('serve helpers', () => {
  test('REST targets: normalised prefix, refused schemes and credentials', () => {
    assert.deepEqual(parseRestTarget('http://h:8081'), { origin: 'http://h:8081', pathPrefix: '/', base: 'http://h:8081/' });
    assert.deepEqual(parseRestTarget(' https://h/flink/ '), { origin: 'https://h', pathPrefix: '/flink/', base: 'https://h/flink/' });
    assert.throws(() => parseRestTarget('http://u:p@h/'), /user name or password/);
    assert.throws(() => parseRestTarget(42), /give the Flink REST URL/);
    const target = parseRestTarget('http://h:8081/');
    assert.equal(allowedRestUrl(target, 'http://h:8081/jobs#x').href, 'http://h:8081/jobs');
    assert.throws(() => allowedRestUrl(target, 'http://h:8082/jobs'), /only URLs below/);
  });

  test('uploaded file names cannot name another directory', () => {
    assert.equal(safeFileName('../../etc/passwd', 'x'), 'passwd');
    assert.equal(safeFileName('..\\..\\boot.ini', 'x'), 'boot.ini');
    assert.equal(safeFileName('..', 'gc.log'), 'gc.log');
    assert.equal(safeFileName('gc log (1).txt', 'x'), 'gc_log__1_.txt');
    assert.equal(safeFileName(null, 'gc.log'), 'gc.log');
  });

  test('serve arguments: loopback by default, ports checked', () => {
    assert.deepEqual(parseServeArgs([]), { port: 9081, host: '127.0.0.1', open: false });
    assert.deepEqual(parseServeArgs(['--port', '0', '--host', '0.0.0.0', '--open']), { port: 0, host: '0.0.0.0', open: true });
    assert.throws(() => parseServeArgs(['--port', '70000']), /not a port number/);
    assert.throws(() => parseServeArgs(['--port', 'x']), /not a port number/);
    assert.throws(() => parseServeArgs(['--bogus']), /serve: /);
  });
});
