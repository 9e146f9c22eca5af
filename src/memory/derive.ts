/** Either process kind through one call: for callers that carry the kind as data (CLI, lint, web app). */
import type { FlatConfig } from './configuration.js';
import { deriveJobManagerMemory } from './jobmanager.js';
import type { DerivationResult, ProcessKind } from './spec.js';
import { deriveTaskManagerMemory } from './taskmanager.js';
import type { FlinkVersionBehaviour } from './versions.js';

export function deriveProcessMemory(process: ProcessKind, values: FlatConfig, version: FlinkVersionBehaviour): DerivationResult {
  return process === 'taskmanager' ? deriveTaskManagerMemory(values, version) : deriveJobManagerMemory(values, version);
}
