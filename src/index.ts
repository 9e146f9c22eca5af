/**
 * flink-memory: Apache Flink's process memory model, exact to the byte.
 *
 * Load a configuration (src/config), derive TaskManager or JobManager memory (src/memory), render
 * it (src/report).
 */
export { deriveTaskManagerMemory } from './memory/taskmanager.js';
export { deriveJobManagerMemory } from './memory/jobmanager.js';
export { deriveProcessMemory } from './memory/derive.js';
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

// GC log analytics: typed events and the summary of the aggregators.
export { analyzeGcLogs, gcEvents, type GcSummary, type AnalyzeOptions } from './gc/analyze.js';
export type { GcEvent, PauseEvent, ConcurrentEvent, BadEvent, PauseKind, Collector } from './gc/events.js';
export type { GcInput } from './gc/read.js';
export { adviseFromGc, type GcAdvice } from './gc/advice.js';

// Planning: sizing from a container and a workload, network buffers, RocksDB, capacity, diffs.
export { plan, PlanError, type Plan, type PlanRequest, type PlannedSetting } from './plan/plan.js';
export { diffConfigurations, type ConfigDiff } from './plan/diff.js';
export { computeTaskNetwork, type TaskNetworkResult } from './plan/network-buffers.js';
export { checkNetworkRequirement, type NetworkRequirement } from './plan/network-requirement.js';
export { parseJobPlan, tasksFromPlan } from './plan/job-plan.js';
export { rocksDbMemoryPerSlot, type RocksDbMemoryPlan } from './plan/rocksdb-memory.js';
export { splitManagedMemory, type ManagedMemorySplit } from './plan/managed-memory.js';
export { planCapacity } from './plan/capacity.js';
export { renderFlinkDeploymentPatch, type FlinkDeploymentPatchRequest } from './report/flink-deployment-patch.js';

// Diagnosis: evidence from incident files, findings, valid-by-construction fixes.
export { runDoctor, type Diagnosis, type DoctorOptions } from './diagnose/doctor.js';
export { proposeFix, combineFixes, type FixRequest, type MemoryFix, type CombinedFix } from './diagnose/fixes.js';
export type { Finding, FindingKind, Severity } from './diagnose/findings.js';
export type { Evidence, EvidenceKind } from './diagnose/evidence.js';
export { parseNmt } from './diagnose/nmt/parse.js';
export { analyseNmt, type NmtAnalysis } from './diagnose/nmt/analyse.js';
