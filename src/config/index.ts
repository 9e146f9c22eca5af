/**
 * Configuration loading: files, directories, `-D` overrides and Flink's shipped defaults, turned
 * into a flat key -> raw string map with the source of every value. Never prints, never computes
 * memory; failures are ConfigLoadError (see errors.ts), file quirks Flink tolerates are warnings.
 *
 * Formats (see the module headers for the exact rules):
 * - `flink-conf.yaml` (any file with exactly that name): Flink's legacy line parser, raw values;
 * - any other file name, e.g. `config.yaml`: standard YAML, flattened to dotted keys, scalars
 *   rendered as Flink reads them as strings (SnakeYAML / YAML 1.1 typing), lists in flow style,
 *   null leaves treated as absent;
 * - a directory: config.yaml if present, else flink-conf.yaml.
 */
export type { ConfigEntry, ConfigFormat, ConfigSource, ConfigWarning, LoadedConfig } from './types.js';
export { ConfigLoadError, type ConfigLoadErrorCode } from './errors.js';
export { loadConfigFile } from './load.js';
export { parseFlinkConfLegacy } from './flink-conf-legacy.js';
export { parseConfigYaml } from './config-yaml.js';
export { applyDynamicProperties, parseDynamicProperty } from './dynamic-properties.js';
export { shippedDefaultConfig } from './defaults.js';
export { toFlatMap } from './flat-map.js';
export { MAX_CONFIG_FILE_BYTES } from './read-file.js';
