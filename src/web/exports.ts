/**
 * The calculator's configuration in the forms people paste: config.yaml (Flink 1.19+/2.x, nested),
 * flink-conf.yaml (legacy, flat), -D flags, and a FlinkDeployment merge patch. The renderers are
 * the planner's and the operator patch's own, so the web app writes exactly what the CLI writes.
 */
import type { FlatConfig } from '../memory/configuration.js';
import type { ProcessSpec } from '../memory/spec.js';
import type { FlinkVersionBehaviour } from '../memory/versions.js';
import type { Plan, PlannedSetting } from '../plan/plan.js';
import { renderFlinkDeploymentPatch } from '../report/flink-deployment-patch.js';
import { renderPlanDynamic, renderPlanYaml } from '../report/plan.js';

export const EXPORT_FORMATS = ['config.yaml', 'flink-conf.yaml', 'dynamic', 'flinkdeployment'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_LABELS: Readonly<Record<ExportFormat, string>> = {
  'config.yaml': 'config.yaml',
  'flink-conf.yaml': 'flink-conf.yaml',
  dynamic: '-D flags',
  flinkdeployment: 'FlinkDeployment patch',
};

export const EXPORT_FILE_NAMES: Readonly<Record<ExportFormat, string>> = {
  'config.yaml': 'config.yaml',
  'flink-conf.yaml': 'flink-conf.yaml',
  dynamic: 'dynamic-properties.txt',
  flinkdeployment: 'flinkdeployment-patch.yaml',
};

/** The user's settings as a plan the renderers take: every setting is the user's own. */
function asPlan(config: FlatConfig, spec: ProcessSpec, version: FlinkVersionBehaviour): Plan {
  const settings: PlannedSetting[] = Object.entries(config).map(([key, value]) => ({ key, value, rationale: 'set in the calculator', origin: 'user' }));
  const request = { process: spec.process, version, stateBackend: 'hashmap', mode: 'streaming', components: {}, userSettings: config } as const;
  return spec.process === 'taskmanager'
    ? { process: 'taskmanager', request, settings, config, spec, notes: [] }
    : { process: 'jobmanager', request, settings, config, spec, notes: [] };
}

export function renderExport(format: ExportFormat, config: FlatConfig, spec: ProcessSpec, version: FlinkVersionBehaviour): string {
  switch (format) {
    case 'config.yaml':
      return renderPlanYaml(asPlan(config, spec, version), false);
    case 'flink-conf.yaml':
      // Flink's legacy parser splits each line at the first ": ", so flat lines are exact.
      return `${Object.entries(config).map(([key, value]) => `${key}: ${value}`).join('\n')}\n`;
    case 'dynamic':
      return renderPlanDynamic(asPlan(config, spec, version));
    case 'flinkdeployment': {
      const processSize = spec.memory.totalProcessMemory.bytes;
      return renderFlinkDeploymentPatch({
        config,
        ...(spec.process === 'taskmanager' ? { taskManager: { processSize } } : { jobManager: { processSize } }),
      });
    }
  }
}
