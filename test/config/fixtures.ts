/** Paths of the configuration fixtures (test/fixtures/config), from the compiled test location. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const CONFIG_FIXTURES = join(here, '..', '..', '..', 'test', 'fixtures', 'config');
export const fixture = (...parts: string[]): string => join(CONFIG_FIXTURES, ...parts);
