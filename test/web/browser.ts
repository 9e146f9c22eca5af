/**
 * Headless Chromium for the web app's end-to-end tests: Debian's chromium driven by playwright-core
 * (no browser download), with the flags this sandbox needs (no background networking: the machine's
 * network is closed) and a fresh profile per launch. Screenshots go to dist/test-artifacts/web.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => p !== undefined && p !== '' && existsSync(p));

export const SKIP_REASON = CHROMIUM === undefined ? 'Chromium not installed (apt-get install chromium, as .ci/run does)' : false;

export const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'web');

export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  // playwright's launch() makes a new empty --user-data-dir for every browser it starts.
  return chromium.launch({
    executablePath: CHROMIUM!,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
