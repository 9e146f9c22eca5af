/**
 * Loading a configuration file or directory.
 *
 * Format by file name: a file named exactly `flink-conf.yaml` is read with Flink's legacy
 * line-based parser; any other name (`config.yaml`, `my-conf.yaml`, ...) as standard YAML.
 *
 * A directory (like FLINK_CONF_DIR) must hold `config.yaml` (preferred, as Flink 1.19+ does) or
 * `flink-conf.yaml`; when it holds both, config.yaml is used and a warning says so.
 *
 * A YAML file that is a Kubernetes manifest (top-level `kind:` and `apiVersion:`) is read as a
 * Flink Kubernetes Operator FlinkDeployment (flink-deployment.ts): the configuration the
 * operator would deploy, plus the manifest's metadata.
 */
import { basename, join } from 'node:path';
import { ConfigLoadError } from './errors.js';
import { parseFlinkConfLegacy } from './flink-conf-legacy.js';
import { isRegularFile, readConfigBytes, statPath } from './read-file.js';
import type { LoadedConfig } from './types.js';

export const STANDARD_FILE_NAME = 'config.yaml';
export const LEGACY_FILE_NAME = 'flink-conf.yaml';

export async function loadConfigFile(path: string): Promise<LoadedConfig> {
  const info = await statPath(path);
  return info.isDirectory() ? loadConfigDirectory(path) : loadFile(path);
}

async function loadConfigDirectory(dir: string): Promise<LoadedConfig> {
  const standard = join(dir, STANDARD_FILE_NAME);
  const legacy = join(dir, LEGACY_FILE_NAME);
  const [hasStandard, hasLegacy] = await Promise.all([isRegularFile(standard), isRegularFile(legacy)]);
  if (hasStandard) {
    const loaded = await loadFile(standard);
    if (!hasLegacy) return loaded;
    const warning = {
      file: legacy,
      line: 0,
      message: `ignored: ${STANDARD_FILE_NAME} in the same directory takes precedence (as in Flink 1.19+; Flink 1.18 and older read only ${LEGACY_FILE_NAME})`,
    };
    return { ...loaded, warnings: [warning, ...loaded.warnings] };
  }
  if (hasLegacy) return loadFile(legacy);
  throw new ConfigLoadError('NOT_A_CONFIG_DIR', `${dir}: neither ${STANDARD_FILE_NAME} nor ${LEGACY_FILE_NAME} found in this directory`, { file: dir });
}

/**
 * Whether a YAML file is a Kubernetes manifest rather than a Flink config.yaml: a top-level
 * `kind:` and `apiVersion:` in block style, or a JSON `"kind": "FlinkDeployment"`. Neither is a
 * Flink option, so no real config.yaml is mistaken for a manifest. Kept here, not in
 * flink-deployment.ts, so that deciding does not load the YAML parser.
 */
export function looksLikeKubernetesManifest(text: string): boolean {
  if (/^kind[ \t]*:/m.test(text) && /^apiVersion[ \t]*:/m.test(text)) return true;
  return /"kind"\s*:\s*"FlinkDeployment"/.test(text);
}

async function loadFile(path: string): Promise<LoadedConfig> {
  const bytes = await readConfigBytes(path);
  if (basename(path) === LEGACY_FILE_NAME) {
    // Java's reader: malformed UTF-8 becomes U+FFFD and a byte order mark is kept as a character.
    return parseFlinkConfLegacy(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), path);
  }
  let text: string;
  try {
    // SnakeYAML drops a byte order mark and rejects malformed input.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new ConfigLoadError('INVALID_YAML', `${path}: invalid YAML: the file is not valid UTF-8`, { file: path, cause: e });
  }
  // Loaded on demand: the YAML parser is most of the start-up time of a run that needs no file.
  if (looksLikeKubernetesManifest(text)) {
    const { parseFlinkDeploymentManifest } = await import('./flink-deployment.js');
    return parseFlinkDeploymentManifest(text, path);
  }
  const { parseConfigYaml } = await import('./config-yaml.js');
  return parseConfigYaml(text, path);
}
