/**
 * NMT fixtures and an oracle independent of the parser: a category's figures read straight off
 * its line with one plain regex, so tests compare the parser with the text itself, not with
 * numbers copied into the test (the jdk17 fixtures change when make-nmt-fixtures.sh runs again).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfigYaml } from '../../src/config/config-yaml.js';
import { toFlatMap } from '../../src/config/flat-map.js';
import type { TaskManagerSpec } from '../../src/memory/spec.js';
import { deriveTaskManagerMemory } from '../../src/memory/taskmanager.js';
import { isNmtParseError, parseNmt, type NmtSnapshot } from '../../src/diagnose/nmt/parse.js';

/** The repository root (this file runs from dist/test/diagnose). */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const nmtFixtures = join(root, 'test', 'fixtures', 'diagnose', 'nmt');

export const readNmt = (name: string): string => readFileSync(join(nmtFixtures, name), 'utf8');

export const KiB = 1024n;
export const MiB = 1024n * KiB;

/** Every snapshot of a fixture; fails the test on a parse error. */
export function snapshotsOf(name: string): NmtSnapshot[] {
  const result = parseNmt(readNmt(name), name);
  if (isNmtParseError(result)) assert.fail(result.message);
  return result;
}

export interface CategoryLine {
  /** 1-based. */
  readonly line: number;
  readonly reserved: bigint;
  readonly committed: bigint;
  readonly reservedDelta: bigint;
  readonly committedDelta: bigint;
}

const UNIT: Readonly<Record<string, bigint>> = { '': 1n, KB: KiB, MB: MiB, GB: 1024n * MiB };

/**
 * The `occurrence`-th line "-  <name> (reserved=…, committed=…)" of `text` (or the "Total:" line
 * when `name` is "Total"), its figures in bytes.
 */
export function categoryLine(text: string, name: string, occurrence = 0): CategoryLine {
  const lines = text.split('\n');
  const head = name === 'Total' ? String.raw`^Total:\s*` : String.raw`^-\s*${name} \(`;
  const re = new RegExp(`${head}reserved=(\\d+)(KB|MB|GB|)(?: ([+-]\\d+)\\w*)?, committed=(\\d+)(KB|MB|GB|)(?: ([+-]\\d+)\\w*)?`);
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = re.exec(lines[i]!);
    if (m === null) continue;
    if (seen++ < occurrence) continue;
    const unit = UNIT[m[2]!]!;
    return {
      line: i + 1,
      reserved: BigInt(m[1]!) * unit,
      committed: BigInt(m[4]!) * unit,
      reservedDelta: BigInt(m[3] ?? '0') * unit,
      committedDelta: BigInt(m[6] ?? '0') * unit,
    };
  }
  return assert.fail(`no line for ${name} #${occurrence}`);
}

/** Names of every category line ("-  Name (reserved=") of the report starting at `fromLine`, up to the next report. */
export function categoryNames(text: string, fromLine = 1): string[] {
  const names: string[] = [];
  const lines = text.split('\n').slice(fromLine - 1);
  for (const [i, l] of lines.entries()) {
    if (i > 0 && /^\d+:$|^=== /.test(l)) break;
    if (/^(Virtual memory map:|Details:)/.test(l)) break;
    const m = /^-\s*(.+?) \(reserved=/.exec(l);
    if (m !== null) names.push(m[1]!);
  }
  return names;
}

/** The TaskManager every jdk17 fixture JVM was started as (config.yaml, Flink 2.x rules). */
export function fixtureSpec(): TaskManagerSpec {
  const derived = deriveTaskManagerMemory(toFlatMap(parseConfigYaml(readNmt('config.yaml'), 'config.yaml')));
  if (!derived.ok) assert.fail(derived.error.message);
  return derived.spec;
}

/** The VmRSS lines of jdk17-untracked-rss.txt, in bytes. */
export function untrackedRss(): bigint[] {
  return readNmt('jdk17-untracked-rss.txt')
    .split('\n')
    .filter((l) => l.startsWith('VmRSS:'))
    .map((l) => BigInt(/(\d+) kB/.exec(l)![1]!) * KiB);
}
