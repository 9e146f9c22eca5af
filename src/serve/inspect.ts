/**
 * The live view's engine: `POST /api/inspect` runs `inspectCluster` (src/inspect) on the server
 * against the one Flink REST URL entered for this server, and answers its ClusterJson. Every call
 * the engine makes goes through a transport that applies the REST proxy's rules: a URL below the
 * entered one only (checked per call), GET, no redirects followed, a time and a size limit.
 */
import { inspectCluster } from '../inspect/inspect.js';
import type { ClusterJson } from '../inspect/result.js';
import type { Transport, TransportResponse } from '../inspect/rest-client.js';
import { HttpError } from './http-error.js';
import { allowedRestUrl, MAX_REST_RESPONSE, readCapped, restTargetFromBody, type RestTarget } from './rest-proxy.js';

/** Per call; a JobManager that does not answer in this time is recorded as an error. */
export const INSPECT_CALL_TIMEOUT_MS = 10_000;

const flinkError = (status: number, message: string): TransportResponse => ({ status, text: JSON.stringify({ errors: [message] }) });

/**
 * fetch under the proxy's rules. A refused URL or answer becomes an HTTP error the engine records
 * (4xx: not retried), so the rest of the report stands and the page says what was refused.
 */
export function guardedTransport(target: RestTarget): Transport {
  return async (url, headers, signal) => {
    let allowed: URL;
    try {
      allowed = allowedRestUrl(target, url);
    } catch (e) {
      return flinkError(403, e instanceof HttpError ? e.message : 'refused');
    }
    const response = await fetch(allowed, { method: 'GET', redirect: 'manual', headers: { accept: headers['Accept'] ?? 'application/json' }, signal });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      return flinkError(421, `answered with a redirect (${response.status}), which is not followed; enter the URL it points to`);
    }
    const body = await readCapped(response);
    if (body === undefined) return flinkError(413, `answered with more than ${MAX_REST_RESPONSE / 1024 / 1024} MiB`);
    return { status: response.status, text: body.toString('utf8') };
  };
}

/**
 * The body `{"url": "…"}` must name the URL entered for this server (`POST /api/rest/target`):
 * the inspection reads nothing else.
 */
export function inspectTarget(current: RestTarget | undefined, body: Buffer): RestTarget {
  if (current === undefined) throw new HttpError(409, 'no Flink REST URL has been entered for this session yet');
  const asked = restTargetFromBody(body);
  if (asked.base !== current.base) throw new HttpError(403, `only ${current.base} (the Flink REST URL entered for this session) is inspected`);
  return current;
}

export async function inspectForPage(target: RestTarget): Promise<ClusterJson> {
  return inspectCluster({ url: target.base }, { client: { transport: guardedTransport(target), timeoutMs: INSPECT_CALL_TIMEOUT_MS, retries: 1 } });
}
