/**
 * Replays lines printed by test/fixtures/java-oracle/JavaNumbersOracle.java (OpenJDK 17) against
 * src/memory/java/java-numbers.ts. Shared by the unit test and the manual bulk comparison.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  JavaNumberFormatError,
  javaBigDecimalValueOf,
  javaDoubleToString,
  javaFormatFixed3,
  javaStringHashCode,
  parseJavaDouble,
  parseJavaFloat,
  parseJavaInt,
  parseJavaLong,
} from '../../../src/memory/java/java-numbers.js';

export interface DoubleLine {
  readonly t: 'd';
  readonly x: string;
  readonly s: string;
  readonly f: string;
  readonly u?: string;
  readonly c?: number;
  readonly e?: string;
}
export interface ParseLine {
  readonly t: 'p';
  readonly i: string;
  readonly f?: string;
  readonly fe?: string;
  readonly d?: string;
  readonly de?: string;
}
export interface IntegerLine {
  readonly t: 'i';
  readonly i: string;
  readonly n?: string;
  readonly ne?: string;
  readonly l?: string;
  readonly le?: string;
}
export interface HashLine {
  readonly t: 'h';
  readonly i: string;
  readonly r: number;
}
export interface DigitTableLine {
  readonly t: 'cd';
  readonly r: readonly (readonly [number, number])[];
}
export type OracleLine = DoubleLine | ParseLine | IntegerLine | HashLine | DigitTableLine;

const here = dirname(fileURLToPath(import.meta.url));
export const ORACLE_FIXTURE = join(here, '..', '..', '..', '..', 'test', 'fixtures', 'java-oracle', 'java-numbers-oracle.jsonl');

export function loadOracleLines(path: string = ORACLE_FIXTURE): OracleLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as OracleLine);
}

const view = new DataView(new ArrayBuffer(8));
const CANONICAL_NAN = '7ff8000000000000';

export function doubleFromBits(hex: string): number {
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

/** Java's Long.toHexString(Double.doubleToLongBits(x)): NaN canonical, no leading zeros. */
export function bitsOf(x: number): string {
  if (x !== x) return CANONICAL_NAN;
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16);
}

type Outcome<T> = { value: T } | { error: string };

function outcome<T>(f: () => T): Outcome<T> {
  try {
    return { value: f() };
  } catch (e) {
    if (e instanceof JavaNumberFormatError) return { error: e.message };
    throw e;
  }
}

function expectOutcome<T>(
  what: string,
  actual: Outcome<T>,
  value: string | undefined,
  error: string | undefined,
  show: (v: T) => string,
): string[] {
  const got = 'value' in actual ? `value ${show(actual.value)}` : `error ${JSON.stringify(actual.error)}`;
  const want = value !== undefined ? `value ${value}` : `error ${JSON.stringify(error)}`;
  return got === want ? [] : [`${what}: expected ${want}, got ${got}`];
}

/** Every disagreement between our implementation and the JVM on one oracle line. */
export function mismatches(line: OracleLine): string[] {
  switch (line.t) {
    case 'd':
      return doubleMismatches(line);
    case 'p': {
      const input = JSON.stringify(line.i);
      return [
        ...expectOutcome(`parseJavaFloat(${input})`, outcome(() => parseJavaFloat(line.i)), line.f, line.fe, bitsOf),
        ...expectOutcome(`parseJavaDouble(${input})`, outcome(() => parseJavaDouble(line.i)), line.d, line.de, bitsOf),
      ];
    }
    case 'i': {
      const input = JSON.stringify(line.i);
      return [
        ...expectOutcome(`parseJavaInt(${input})`, outcome(() => parseJavaInt(line.i)), line.n, line.ne, String),
        ...expectOutcome(`parseJavaLong(${input})`, outcome(() => parseJavaLong(line.i)), line.l, line.le, String),
      ];
    }
    case 'h': {
      const h = javaStringHashCode(line.i);
      return h === line.r ? [] : [`javaStringHashCode(${JSON.stringify(line.i)}): expected ${line.r}, got ${h}`];
    }
    case 'cd':
      return digitTableMismatches(line);
  }
}

function doubleMismatches(line: DoubleLine): string[] {
  const x = doubleFromBits(line.x);
  const problems: string[] = [];
  const s = javaDoubleToString(x);
  if (s !== line.s) problems.push(`javaDoubleToString(0x${line.x}): expected ${line.s}, got ${s}`);
  const f = javaFormatFixed3(x);
  if (f !== line.f) problems.push(`javaFormatFixed3(${line.s}): expected ${line.f}, got ${f}`);
  const show = (b: { unscaled: bigint; scale: number }): string => `${b.unscaled}/${b.scale}`;
  const expected = line.u !== undefined ? `${line.u}/${line.c}` : undefined;
  problems.push(...expectOutcome(`javaBigDecimalValueOf(${line.s})`, outcome(() => javaBigDecimalValueOf(x)), expected, line.e, show));
  return problems;
}

/** Character.digit(c, 10) for every UTF-16 unit, observed through parseJavaInt of that one char. */
function digitTableMismatches(line: DigitTableLine): string[] {
  const expected = new Map(line.r.map(([c, v]) => [c, v]));
  const problems: string[] = [];
  for (let c = 0; c <= 0xffff; c++) {
    const want = expected.get(c) ?? -1;
    const got = outcome(() => parseJavaInt(String.fromCharCode(c)));
    const value = 'value' in got ? got.value : -1;
    if (value !== want) problems.push(`Character.digit(U+${c.toString(16)}): expected ${want}, got ${value}`);
  }
  return problems;
}
