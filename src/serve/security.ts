/**
 * Response headers and request checks that keep the local app from being used by other web pages:
 * a strict Content-Security-Policy (no inline scripts, nothing from other origins), a Host check
 * against DNS rebinding while bound to loopback, and same-origin checks for anything that acts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Everything comes from this server. `style-src 'self'` still lets scripts set element.style
 * (CSSOM), which Preact and uPlot use; `blob:`/`data:` images are the chart and screenshot exports.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * While the server listens on loopback only, a request must name a loopback host: a page on
 * evil.example whose name was rebound to 127.0.0.1 sends `Host: evil.example` and is refused.
 * Bound elsewhere (`--host` given on purpose), any Host is accepted.
 */
export function hostAllowed(req: IncomingMessage, boundHost: string, port: number): boolean {
  if (!isLoopbackHost(boundHost)) return true;
  const host = req.headers.host;
  if (host === undefined) return false;
  const names = new Set([...LOOPBACK_NAMES, boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost]);
  return [...names].some((name) => host === `${name}:${port}`);
}

/**
 * A request that changes state or makes the server work (POST, the REST proxy, uploads) must come
 * from this app's own pages. Browsers send `Origin` with POST and `Sec-Fetch-Site` with every
 * fetch; a client that sends neither (curl, tests) is not a browser page and cannot be a CSRF.
 */
export function sameOriginRequest(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return origin === `http://${req.headers.host ?? ''}`;
}
