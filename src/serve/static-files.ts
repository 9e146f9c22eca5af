/**
 * The built app, served from a list made once at start-up: a request can only ever name a file
 * that is on the list, so `..`, encoded slashes, symlinks added later or absolute paths cannot
 * reach anything else on the disk.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/** Files bigger than this are not part of the app; they are left out rather than served. */
const MAX_STATIC_FILE = 16 * 1024 * 1024;

/** Maps URL paths (`/`, `/app.js`, `/assets/x.css`) to the files below `root`, read into memory. */
export function loadStaticFiles(root: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const type = CONTENT_TYPES[extname(entry.name).toLowerCase()];
        if (type === undefined || statSync(path).size > MAX_STATIC_FILE) continue;
        const url = `/${relative(root, path).split(sep).join('/')}`;
        files.set(url, { body: readFileSync(path), contentType: type });
      }
    }
  };
  walk(root);
  const index = files.get('/index.html');
  if (index !== undefined) files.set('/', index);
  return files;
}

/** The list key for a request path: the path part only, percent-decoded once; undefined if malformed. */
export function staticKey(rawUrl: string): string | undefined {
  const q = rawUrl.search(/[?#]/);
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}
