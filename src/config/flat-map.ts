import type { LoadedConfig } from './types.js';

/** The plain key -> value view the memory derivation reads. */
export function toFlatMap(config: LoadedConfig): Record<string, string> {
  // fromEntries defines own properties, so even a key like `__proto__` is kept as data.
  return Object.fromEntries([...config.entries.values()].map((e) => [e.key, e.value]));
}
