/**
 * The one way inspect talks to a JobManager: GET a path, get JSON or a recorded error. Every call
 * has a timeout; 5xx answers and connection failures are retried with exponential backoff (a
 * JobManager that is failing over answers 503 for a few seconds); nothing here throws for a bad
 * answer, because one broken endpoint must not hide what the others say.
 */
import { request as httpsRequest } from 'node:https';
import { parseJsonExact, type Json } from './json.js';

/** One failed call: the URL (never with credentials), the HTTP status when there was one, why. */
export interface RestError {
  readonly url: string;
  readonly status: number | null;
  readonly message: string;
}

/** What a transport hands back: the status and the body text. */
export interface TransportResponse {
  readonly status: number;
  readonly text: string;
}

/** Performs one GET. Rejects on connection failures and when `signal` aborts. */
export type Transport = (url: string, headers: Readonly<Record<string, string>>, signal: AbortSignal) => Promise<TransportResponse>;

/** Node's built-in fetch: the default. */
export const fetchTransport: Transport = async (url, headers, signal) => {
  const response = await fetch(url, { headers, signal, redirect: 'follow' });
  return { status: response.status, text: await response.text() };
};

/**
 * HTTPS with a CA certificate of the user's. Node 20's fetch takes no CA (only the undici
 * package's Agent would, or NODE_EXTRA_CA_CERTS at process start), so this transport uses
 * node:https, which accepts `ca` per request.
 */
export function caTransport(ca: string | Buffer): Transport {
  return (url, headers, signal) => {
    const target = new URL(url);
    if (target.protocol !== 'https:') return fetchTransport(url, headers, signal);
    return new Promise<TransportResponse>((resolve, reject) => {
      const req = httpsRequest(target, { method: 'GET', headers, ca, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  };
}

export interface RestClientOptions {
  /** Per attempt, in milliseconds. */
  readonly timeoutMs: number;
  /** Further attempts after the first, on 5xx and connection errors. */
  readonly retries: number;
  /** First backoff; doubled per attempt, capped at 8 times the first. */
  readonly backoffMs: number;
  /** Requests in flight at once against this JobManager. */
  readonly concurrency: number;
  /** The Authorization header value (never printed). */
  readonly authorization?: string;
  readonly transport?: Transport;
}

export const DEFAULT_CLIENT_OPTIONS: RestClientOptions = { timeoutMs: 10_000, retries: 2, backoffMs: 200, concurrency: 16 };

export interface GetOptions {
  /** A 404 is an expected answer (an endpoint this Flink version does not serve): no error is recorded. */
  readonly optional?: boolean;
}

/** A JobManager's REST API at one base URL; collects the errors of all calls made through it. */
export class RestClient {
  readonly baseUrl: string;
  readonly errors: RestError[] = [];
  /** Calls made (attempts included), for the benchmark and for tests. */
  attempts = 0;
  /** Calls that answered with a body that was read (JSON, or text for getText). */
  answered = 0;
  /** Answers that were an HTML page where JSON was expected (a login page, a proxy's error page). */
  htmlPages = 0;
  private readonly options: RestClientOptions;
  private readonly transport: Transport;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(baseUrl: string, options: Partial<RestClientOptions> = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.options = { ...DEFAULT_CLIENT_OPTIONS, ...options };
    this.transport = this.options.transport ?? fetchTransport;
  }

  url(path: string): string {
    return `${this.baseUrl}${path.startsWith('/') ? path : `/${path}`}`;
  }

  /** The parsed body, or undefined with the failure recorded in `errors`. */
  async get(path: string, options: GetOptions = {}): Promise<Json | undefined> {
    const url = this.url(path);
    const response = await this.fetchText(url, options, 'application/json');
    if (response === undefined) return undefined;
    const html = htmlPage(response.text);
    if (html !== undefined) {
      this.htmlPages++;
      return this.fail(url, response.status, `an HTML page${html === '' ? '' : ` ("${html}")`} instead of JSON: probably a login or proxy page, not Flink's REST API`);
    }
    try {
      const body = parseJsonExact(response.text);
      this.answered++;
      return body;
    } catch (e) {
      return this.fail(url, response.status, `malformed JSON (${(e as Error).message.split('\n')[0]})`);
    }
  }

  /** The body of any URL (a Prometheus scrape), with the same timeouts, retries and error records. */
  async getText(url: string): Promise<string | undefined> {
    const text = (await this.fetchText(url, {}, 'text/plain'))?.text;
    if (text !== undefined) this.answered++;
    return text;
  }

  private async fetchText(url: string, options: GetOptions, accept: string): Promise<TransportResponse | undefined> {
    await this.acquire();
    try {
      return await this.getWithRetries(url, options, accept);
    } finally {
      this.release();
    }
  }

  private async getWithRetries(url: string, options: GetOptions, accept: string): Promise<TransportResponse | undefined> {
    const headers: Record<string, string> = { Accept: accept };
    if (this.options.authorization !== undefined) headers['Authorization'] = this.options.authorization;
    let attempt = 0;
    for (;;) {
      this.attempts++;
      let response: TransportResponse;
      try {
        response = await this.transport(url, headers, AbortSignal.timeout(this.options.timeoutMs));
      } catch (e) {
        const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
        // A slow endpoint stays slow: retrying would only multiply the wait.
        if (timedOut) return this.fail(url, null, `no answer within ${this.options.timeoutMs} ms`);
        if (attempt < this.options.retries) {
          await this.backoff(attempt++);
          continue;
        }
        return this.fail(url, null, `connection failed: ${causeText(e)}${attempt > 0 ? ` (after ${attempt + 1} attempts)` : ''}`);
      }
      if (response.status >= 500 && attempt < this.options.retries) {
        await this.backoff(attempt++);
        continue;
      }
      if (response.status === 404 && options.optional === true) return undefined;
      if (response.status < 200 || response.status >= 300) {
        const html = htmlPage(response.text);
        if (html !== undefined) this.htmlPages++;
        const why = html !== undefined ? ` (an HTML page${html === '' ? '' : ` "${html}"`}, not Flink's REST API)` : flinkErrors(response.text);
        return this.fail(url, response.status, `HTTP ${response.status}${why}${attempt > 0 ? ` (after ${attempt + 1} attempts)` : ''}`);
      }
      return response;
    }
  }

  private fail(url: string, status: number | null, message: string): undefined {
    this.errors.push({ url, status, message });
    return undefined;
  }

  private backoff(attempt: number): Promise<void> {
    const ms = this.options.backoffMs * 2 ** Math.min(attempt, 3);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  private acquire(): Promise<void> {
    if (this.active < this.options.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.active--;
  }
}

/**
 * The title of an HTML page ('' when it has none), or undefined when the text is not HTML. A login
 * page, an SSO redirect target or a proxy's error page answers where Flink's REST API would.
 */
export function htmlPage(text: string): string | undefined {
  const head = text.slice(0, 2048).trimStart();
  if (!/^<[a-z!]/i.test(head)) return undefined;
  if (!/<(html|head|body|title|form|div|p|h1|meta)[\s>]/i.test(text.slice(0, 65536))) return undefined;
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text.slice(0, 65536))?.[1];
  return title === undefined ? '' : title.replace(/\s+/g, ' ').trim().slice(0, 80);
}

/** Flink answers errors as {"errors": ["..."]}: its first line says what went wrong. */
function flinkErrors(text: string): string {
  try {
    const body = JSON.parse(text) as Json;
    if (typeof body === 'object' && body !== null && !Array.isArray(body) && Array.isArray(body['errors'])) {
      const first = body['errors'][0];
      if (typeof first === 'string') return `: ${first.split('\n')[0]!.slice(0, 200)}`;
    }
  } catch {
    // not JSON: the status says enough
  }
  return '';
}

function causeText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: string }).code;
    return code !== undefined ? `${code} ${cause.message}`.trim() : cause.message;
  }
  return e.message;
}

/** Runs `fn` over `items` with at most `limit` at once, keeping the order of results. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
