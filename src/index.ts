/**
 * flink-memory: Apache Flink's process memory model, exact to the byte.
 *
 * Load a configuration (src/config), derive TaskManager or JobManager memory (src/memory), render
 * it (src/report).
 */
export { deriveTaskManagerMemory } from './memory/taskmanager.js';
export { deriveJobManagerMemory } from './memory/jobmanager.js';
export {
  DEFAULT_FLINK_VERSION,
  FLINK_VERSIONS,
  SUPPORTED_VERSIONS_TEXT,
  resolveFlinkVersion,
  type FlinkVersionBehaviour,
} from './memory/versions.js';
export { FlinkError, type FlinkErrorClass } from './memory/errors.js';
export { formatHumanReadable, formatSizeShort, parseMemorySize, LONG_MAX } from './memory/memory-size.js';
export type { FlatConfig } from './memory/configuration.js';
export type { Provenance } from './memory/provenance.js';
export type {
  DerivationResult,
  ExternalResource,
  JobManagerComponent,
  JobManagerSpec,
  MemoryComponent,
  ProcessKind,
  ProcessSpec,
  TaskManagerComponent,
  TaskManagerSpec,
} from './memory/spec.js';
export { toExplainJson, type ExplainJson, type ExplainJsonFailure, type ExplainJsonSuccess } from './report/json.js';
export { renderExplainText, type TextOptions } from './report/text.js';
export {
  applyDynamicProperties,
  ConfigLoadError,
  loadConfigFile,
  parseConfigYaml,
  parseDynamicProperty,
  parseFlinkConfLegacy,
  shippedDefaultConfig,
  toFlatMap,
  type ConfigEntry,
  type ConfigSource,
  type ConfigWarning,
  type LoadedConfig,
} from './config/index.js';
