/**
 * Legacy `flink-conf.yaml`, parsed exactly like Flink's line-based loader
 * (GlobalConfiguration.loadYAMLResource up to 1.18, the "legacy" path in 1.19/1.20):
 *
 * 1. read line by line (`\n`, `\r\n` or `\r` end a line);
 * 2. cut the line at its first `#`, wherever it is (even inside quotes); trim the rest (Java trim);
 * 3. skip it silently if empty;
 * 4. split at the first `": "` (colon + space); no separator -> skipped with a warning;
 * 5. trim key and value; either empty -> skipped with a warning;
 * 6. a later duplicate overrides an earlier one.
 *
 * Values stay raw strings: no YAML typing, no unquoting (`a: "x"` gives `"x"` with its quotes),
 * so `key:value` (no space) is skipped and `a: b#c` gives `b`.
 */
import { javaLines, javaTrim } from './java-text.js';
import type { ConfigEntry, ConfigWarning, LoadedConfig } from './types.js';

export function parseFlinkConfLegacy(text: string, file: string): LoadedConfig {
  const entries = new Map<string, ConfigEntry>();
  const warnings: ConfigWarning[] = [];
  const lines = javaLines(text);
  if (text.startsWith('\ufeff')) {
    warnings.push({ file, line: 1, message: 'the file starts with a byte order mark, which Flink reads as part of the first key' });
  }
  lines.forEach((raw, index) => {
    const line = index + 1;
    const hash = raw.indexOf('#');
    const content = javaTrim(hash === -1 ? raw : raw.slice(0, hash));
    if (content.length === 0) return;
    const separator = content.indexOf(': ');
    if (separator === -1) {
      warnings.push({ file, line, message: `line skipped, no ": " between key and value: "${raw}" (Flink: Error while trying to split key and value)` });
      return;
    }
    const key = javaTrim(content.slice(0, separator));
    const value = javaTrim(content.slice(separator + 2));
    if (key.length === 0 || value.length === 0) {
      warnings.push({ file, line, message: `line skipped, empty ${key.length === 0 ? 'key' : 'value'}: "${raw}" (Flink: Error after splitting key and value)` });
      return;
    }
    const previous = entries.get(key);
    if (previous !== undefined && previous.source.kind === 'file') {
      warnings.push({ file, line, message: `'${key}' is also set on line ${previous.source.line}; this later value wins, as in Flink` });
    }
    entries.set(key, { key, value, source: { kind: 'file', file, line } });
  });
  return { entries, file, format: 'flink-conf.yaml', warnings };
}
