/** Paths of the configuration fixtures (test/fixtures/config), from the compiled test location. */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
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
