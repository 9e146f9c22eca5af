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
 * - a directory: config.yaml if present, else flink-conf.yaml;
 * - a YAML file that is a Kubernetes manifest (top-level `kind:` and `apiVersion:`): the one
 *   FlinkDeployment in it, mapped the way the Flink Kubernetes Operator maps it (resource memory
 *   -> process size, cpu, flinkConfiguration flattened), with the manifest's metadata
 *   (`deploymentOf`).
 *
 * YARN: `yarnContainerFor` is the container YARN grants for a process size.
 */
export type { ConfigEntry, ConfigFormat, ConfigSource, ConfigWarning, LoadedConfig } from './types.js';
export { ConfigLoadError, type ConfigLoadErrorCode } from './errors.js';
export { loadConfigFile, looksLikeKubernetesManifest } from './load.js';
export {
  deploymentOf,
  flinkDeploymentRelease,
  FLINK_DEPLOYMENT_KIND,
  kubernetesPodMemory,
  kubernetesQuantityBytes,
  MAIN_CONTAINER_NAME,
  memoryLimitFactorKey,
  memorySizeToString,
  nativeKubernetesTaskManagerCpu,
  OperatorMemoryError,
  operatorMemorySize,
  parseFlinkDeploymentManifest,
  type DeploymentProcess,
  type DeploymentProcessResources,
  type FlinkDeploymentInfo,
  type LoadedDeploymentConfig,
  type ManifestValue,
  type PodTemplateMemory,
  type ResourceMemory,
} from './flink-deployment.js';
export {
  DEFAULT_YARN_MAX_ALLOCATION_MB,
  DEFAULT_YARN_MIN_ALLOCATION_MB,
  usesYarn,
  YARN_MAX_ALLOCATION_KEY,
  YARN_MIN_ALLOCATION_KEY,
  yarnContainerFor,
  yarnSchedulerSettings,
  type YarnContainer,
  type YarnSchedulerSettings,
} from './yarn.js';
export { parseFlinkConfLegacy } from './flink-conf-legacy.js';
export { parseConfigYaml } from './config-yaml.js';
export { applyDynamicProperties, parseDynamicProperty } from './dynamic-properties.js';
export { shippedDefaultConfig } from './defaults.js';
export { toFlatMap } from './flat-map.js';
export { MAX_CONFIG_FILE_BYTES } from './read-file.js';
