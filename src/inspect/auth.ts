/**
 * Credentials for the REST API. They come from an environment variable or a file, never from the
 * command line (which `ps` shows), and are never printed: messages name the variable or file only.
 */
import { readFile } from 'node:fs/promises';

/** A problem with the credentials' source; the message never contains a secret. */
export class AuthError extends Error {}

/**
 * The Authorization header for a secret: `Bearer <token>` or `Basic <base64>` as written, a
 * `user:password` pair (basic), or a bare token (bearer).
 */
export function authorizationFor(secret: string, source: string): string {
  const value = secret.trim();
  if (value === '') throw new AuthError(`${source} is empty`);
  if (/[\r\n]/.test(value)) throw new AuthError(`${source} holds more than one line`);
  if (/^(Bearer|Basic)\s+\S/i.test(value)) return value;
  if (value.includes(':')) return `Basic ${Buffer.from(value, 'utf8').toString('base64')}`;
  return `Bearer ${value}`;
}

export function authorizationFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined) throw new AuthError(`--auth-env: environment variable ${name} is not set`);
  return authorizationFor(value, `environment variable ${name}`);
}

export async function authorizationFromFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new AuthError(`--auth-file: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return authorizationFor(text, `--auth-file ${path}`);
}

/**
 * Credentials written into the URL (`https://user:pass@host`) become a Basic header, and the URL
 * keeps only what may be printed: fetch refuses URLs with credentials, and reports must not show them.
 */
export function splitUrlCredentials(url: string): { readonly url: string; readonly authorization?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url };
  }
  if (parsed.username === '' && parsed.password === '') return { url };
  const pair = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString().replace(/\/$/, ''), authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` };
}
