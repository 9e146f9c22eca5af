/** Paths of the configuration fixtures (test/fixtures/config), from the compiled test location. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigLoadError } from '../../src/config/errors.js';

const here = dirname(fileURLToPath(import.meta.url));
export const CONFIG_FIXTURES = join(here, '..', '..', '..', 'test', 'fixtures', 'config');
export const fixture = (...parts: string[]): string => join(CONFIG_FIXTURES, ...parts);

/** The ConfigLoadError a load must end with (fails the test otherwise). */
export async function rejection(promise: Promise<unknown>): Promise<ConfigLoadError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof ConfigLoadError, `expected ConfigLoadError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a ConfigLoadError');
}

/** A writer of test texts to temporary files (`defaultName` unless named), all removed after the test file. */
export function temporaryFiles(prefix: string, defaultName: string): (text: string, name?: string) => Promise<string> {
  const temps: string[] = [];
  after(async () => {
    for (const dir of temps) await rm(dir, { recursive: true, force: true });
  });
  return async (text, name = defaultName) => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    temps.push(dir);
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
}
