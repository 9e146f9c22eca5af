/** The shapes `src/config` hands to the rest of the tool: a flat, ordered map of raw string values. */

/** Where a value came from, so reports can point at the line to change. */
export type ConfigSource =
  /** A configuration file; `line` is the 1-based line where the key (or, for nested YAML, its leaf) is written. */
  | { kind: 'file'; file: string; line: number }
  /** The N-th `-D key=value` override on the command line (0-based). */
  | { kind: 'dynamic'; index: number }
  /** Flink's shipped default configuration (used only when no configuration file is given). */
  | { kind: 'default-config' };

/** One option as Flink would hold it after loading: the key and its raw string value. */
export interface ConfigEntry {
  key: string;
  value: string;
  source: ConfigSource;
}

/**
 * Something Flink tolerates (and at most logs) but a user probably wants to know about, or a
 * place where this tool had to decide for Flink. `line` is 1-based; 0 means the file as a whole.
 */
export interface ConfigWarning {
  file: string;
  line: number;
  message: string;
}

export type ConfigFormat = 'flink-conf.yaml' | 'config.yaml';

/** A loaded configuration. `entries` keeps the order in which keys were first written. */
export interface LoadedConfig {
  entries: Map<string, ConfigEntry>;
  /** The file actually read (for a directory: the file chosen inside it). */
  file?: string;
  /** `flink-conf.yaml`: Flink's legacy line-based parser; `config.yaml`: standard YAML. */
  format?: ConfigFormat;
  warnings: ConfigWarning[];
}
