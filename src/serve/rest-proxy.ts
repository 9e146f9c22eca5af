/**
 * The live view's access to a Flink REST API. Pages cannot call the cluster themselves (other
 * origin, and the CSP allows only this server), so the server fetches on their behalf, but only
 * GET requests at or below the one URL the user entered for this server: never an open proxy.
 */
import { HttpError } from './http-error.js';

/** A Flink REST answer larger than this is not a Flink REST answer. */
export const MAX_REST_RESPONSE = 16 * 1024 * 1024;
const REST_TIMEOUT_MS = 10_000;

export interface RestTarget {
  /** `http://host:8081` */
  readonly origin: string;
  /** The path every proxied URL must start with, ending in `/` (`/` or `/flink/`). */
  readonly pathPrefix: string;
  /** What the page shows and builds URLs from: origin + prefix. */
  readonly base: string;
}

/** Validates the URL the user typed and turns it into the allowed prefix. */
export function parseRestTarget(text: unknown): RestTarget {
  if (typeof text !== 'string' || text.length === 0 || text.length > 2048) {
    throw new HttpError(400, 'give the Flink REST URL as {"url": "http://host:8081"}');
  }
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new HttpError(400, `'${text.slice(0, 200)}' is not a URL (expected e.g. http://localhost:8081)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HttpError(400, `only http and https URLs can be proxied, not ${url.protocol}`);
  if (url.username !== '' || url.password !== '') throw new HttpError(400, 'a URL with a user name or password is not accepted');
  const pathPrefix = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return { origin: url.origin, pathPrefix, base: `${url.origin}${pathPrefix}` };
}

/**
 * The URL to fetch, when it lies below the target: same scheme, host and port, a path under the
 * prefix (after the URL parser has resolved `..` and `%2e%2e`), no credentials.
 */
export function allowedRestUrl(target: RestTarget | undefined, text: string | null): URL {
  if (target === undefined) throw new HttpError(409, 'no Flink REST URL has been entered for this session yet');
  if (text === null || text.length === 0 || text.length > 4096) throw new HttpError(400, 'give the URL to fetch as ?url=...');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new HttpError(400, 'the url parameter is not a URL');
  }
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  if (url.origin !== target.origin || url.username !== '' || url.password !== '' || !path.startsWith(target.pathPrefix) || /%2f|%5c/i.test(url.pathname)) {
    throw new HttpError(403, `only URLs below ${target.base} (the Flink REST URL entered for this session) are fetched`);
  }
  url.hash = '';
  return url;
}

export interface ProxiedResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

/** GETs `url` without following redirects (they could leave the target) and with size and time limits. */
export async function fetchRest(url: URL): Promise<ProxiedResponse> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'GET', redirect: 'manual', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(REST_TIMEOUT_MS) });
  } catch (e) {
    const reason = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${REST_TIMEOUT_MS / 1000} s` : 'the connection failed';
    throw new HttpError(502, `${url.origin}: ${reason}`);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new HttpError(502, `${url.href} answered with a redirect (${response.status}); enter the URL it points to`);
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (!/^(application\/json|text\/plain)\b/i.test(contentType)) {
    await response.body?.cancel();
    throw new HttpError(502, `${url.href} did not answer with JSON (content-type '${contentType.slice(0, 80)}'): is it a Flink REST URL?`);
  }
  const body = await readCapped(response);
  if (body === undefined) throw new HttpError(502, `${url.href} answered with more than ${MAX_REST_RESPONSE / 1024 / 1024} MiB`);
  return { status: response.status, contentType: contentType.startsWith('text/plain') ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', body };
}

/** A response body of at most MAX_REST_RESPONSE bytes; undefined when it is larger. */
export async function readCapped(response: Response): Promise<Buffer | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body !== null) {
    // Leaving the loop early cancels the stream, so an endless answer is not read to its end.
    for await (const chunk of response.body) {
      size += chunk.length;
      if (size > MAX_REST_RESPONSE) return undefined;
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks);
}

/** The target named by a `{"url": "…"}` request body. */
export function restTargetFromBody(body: Buffer): RestTarget {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body is not JSON (expected {"url": "http://host:8081"})');
  }
  return parseRestTarget(typeof parsed === 'object' && parsed !== null ? (parsed as { url?: unknown }).url : undefined);
}
