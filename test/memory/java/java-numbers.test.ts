import assert from 'node:assert/strict';
import { test } from 'node:test';
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
import { loadOracleLines, mismatches, type OracleLine } from './java-oracle-cases.js';

// Every literal below was printed by OpenJDK 17.0.15 (see test/fixtures/java-oracle/README.md).

function throwsJava(f: () => unknown, message: string): void {
  assert.throws(f, (e: unknown) => e instanceof JavaNumberFormatError && e.message === message);
}

test('Double.toString: format and JDK 17 digit choices', () => {
  const cases: [number, string][] = [
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [0, '0.0'],
    [-0, '-0.0'],
    [1, '1.0'],
    [2, '2.0'],
    [0.5, '0.5'],
    [1.5, '1.5'],
    [0.1, '0.1'],
    [123.456, '123.456'],
    [-123.456, '-123.456'],
    [0.001, '0.001'],
    [1e-4, '1.0E-4'],
    [9999999.999, '9999999.999'],
    [1e7, '1.0E7'],
    [1e10, '1.0E10'],
    [Math.fround(0.1), '0.10000000149011612'],
    [Math.fround(0.7), '0.699999988079071'],
    // Not the shortest: JDK 17 avoids decimals exactly halfway to the neighbouring double ...
    [1e23, '9.999999999999999E22'],
    [2e23, '1.9999999999999998E23'],
    // ... except in its BigInteger loop, which accepts the one above.
    [8.192e26, '8.192E26'],
    // Overflowing long arithmetic: truncated instead of rounded.
    [1.9400994884341945e25, '1.9400994884341944E25'],
    // Integers below 2^63 print (nearly) all their digits.
    [2.82879384806159e17, '2.82879384806159008E17'],
    // Powers of two get a narrower margin: one digit more than the shortest here.
    [2 ** -24, '5.9604644775390625E-8'],
    // At least two digits in E notation.
    [5e-324, '4.9E-324'],
    [1.5e-323, '1.5E-323'],
  ];
  for (const [x, expected] of cases) assert.equal(javaDoubleToString(x), expected, `Double.toString(${x})`);
});

test('String.format("%.3f") rounds Java\'s digit string half up', () => {
  assert.equal(javaFormatFixed3(3835 / 1024), '3.745');
  assert.equal(javaFormatFixed3(9223372036854775807 / 1099511627776), '8388608.000');
  assert.equal(javaFormatFixed3(1.0005), '1.001'); // toFixed(3) says 1.000
  assert.equal(javaFormatFixed3(0.0005), '0.001');
  assert.equal(javaFormatFixed3(0.00049), '0.000');
  assert.equal(javaFormatFixed3(9.9996), '10.000');
  assert.equal(javaFormatFixed3(1e-4), '0.000');
  assert.equal(javaFormatFixed3(0), '0.000');
  assert.equal(javaFormatFixed3(-0), '-0.000');
  assert.equal(javaFormatFixed3(-1e-10), '-0.000');
  assert.equal(javaFormatFixed3(-1.5), '-1.500');
  assert.equal(javaFormatFixed3(1e23), '99999999999999990000000.000');
  assert.equal(javaFormatFixed3(1.2345678901234567e20), '123456789012345670000.000');
  assert.equal(javaFormatFixed3(NaN), 'NaN');
  assert.equal(javaFormatFixed3(-Infinity), '-Infinity');
});

test('BigDecimal.valueOf(double) keeps Double.toString\'s scale', () => {
  const cases: [number, bigint, number][] = [
    [1e10, 10n, -9],
    [1e7, 10n, -6],
    [0.001, 1n, 3],
    [-0, 0n, 1],
    [1.5, 15n, 1],
    [123.456, 123456n, 3],
    [2, 20n, 1],
  ];
  for (const [x, unscaled, scale] of cases) assert.deepEqual(javaBigDecimalValueOf(x), { unscaled, scale });
  const tail = 'is neither a decimal digit number, decimal point, nor "e" notation exponential mark.';
  throwsJava(() => javaBigDecimalValueOf(NaN), `Character N ${tail}`);
  throwsJava(() => javaBigDecimalValueOf(Infinity), `Character I ${tail}`);
  throwsJava(() => javaBigDecimalValueOf(-Infinity), `Character I ${tail}`);
});

test('Float.parseFloat / Double.parseDouble: grammar', () => {
  const accepted: [string, number][] = [
    ['5.', 5],
    ['.5', 0.5],
    ['1f', 1],
    ['2.5d', 2.5],
    ['1.e5', 100000],
    [' \t1.5\n', 1.5],
    ['\u00001\u0000', 1],
    ['Infinity ', Infinity],
    ['+Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['0x1p3', 8],
    ['0x1.8p-1', 0.75],
    ['0X1P3D', 8],
    ['0x.8p1', 1],
    ['1e99999999999999', Infinity],
    ['0e99999999999999', 0],
    ['0x1p-99999999999999999999', 0],
  ];
  for (const [text, expected] of accepted) {
    assert.equal(parseJavaFloat(text), expected, `Float.parseFloat(${JSON.stringify(text)})`);
    assert.equal(parseJavaDouble(text), expected, `Double.parseDouble(${JSON.stringify(text)})`);
  }
  assert.ok(Number.isNaN(parseJavaFloat('-NaN')));
  assert.ok(Object.is(parseJavaDouble('-0'), -0));
  assert.equal(parseJavaFloat('0.1'), Math.fround(0.1));
  assert.equal(parseJavaDouble('0.1'), 0.1);
});

test('Float.parseFloat rounds once, from the decimal', () => {
  // Halfway between the floats 1.0000001 and 1.0000002, give or take 1e-26.
  assert.equal(parseJavaFloat('1.000000178813934326171875'), Math.fround(1.0000002));
  assert.equal(parseJavaFloat('1.00000017881393432617187499'), Math.fround(1.0000001));
  assert.equal(parseJavaFloat('1.00000017881393432617187501'), Math.fround(1.0000002));
  assert.equal(parseJavaFloat('0x1.000001p0'), 1);
  assert.equal(parseJavaFloat('0x1.0000010000000000000001p0'), Math.fround(1.0000001));
  assert.equal(parseJavaFloat('3.4028235e38'), Math.fround(3.4028235e38));
  // The overflow threshold 3.40282356779733661637...e38 itself: just below it, at or above it.
  assert.equal(parseJavaFloat('3.4028235677973366e38'), Math.fround(3.4028235e38));
  assert.equal(parseJavaFloat('3.4028235677973367e38'), Infinity);
  // Both decimals round to the same double, which is exactly that threshold.
  assert.equal(parseJavaDouble('3.4028235677973366e38'), parseJavaDouble('3.4028235677973367e38'));
  assert.equal(parseJavaFloat('3.40282357e38'), Infinity);
});

test('Float.parseFloat / Double.parseDouble: Java\'s messages', () => {
  const errors: [string, string][] = [
    ['', 'empty String'],
    ['   ', 'empty String'],
    ['abc', 'For input string: "abc"'],
    [' abc ', 'For input string: "abc"'],
    ['0.5.5', 'multiple points'],
    ['1.2.x', 'multiple points'],
    ['..', 'multiple points'],
    ['1x..', 'For input string: "1x.."'],
    ['1e', 'For input string: "1e"'],
    ['1e+', 'For input string: "1e+"'],
    ['1e5e5', 'For input string: "1e5e5"'],
    ['--1', 'For input string: "--1"'],
    ['+', 'For input string: "+"'],
    ['.', 'For input string: "."'],
    ['1_000', 'For input string: "1_000"'],
    ['0x', 'For input string: "0x"'],
    ['0x1', 'For input string: "0x1"'],
    ['NaNx', 'For input string: "NaNx"'],
    ['Infinityf', 'For input string: "Infinityf"'],
    ['1,5', 'For input string: "1,5"'],
    ['1d5', 'For input string: "1d5"'],
    ['\u0661', 'For input string: "\u0661"'],
  ];
  for (const [text, message] of errors) {
    throwsJava(() => parseJavaFloat(text), message);
    throwsJava(() => parseJavaDouble(text), message);
  }
});

test('Integer.parseInt / Long.parseLong', () => {
  assert.equal(parseJavaInt('2147483647'), 2147483647);
  assert.equal(parseJavaInt('-2147483648'), -2147483648);
  assert.equal(parseJavaInt('+7'), 7);
  assert.equal(parseJavaInt('00012'), 12);
  assert.ok(Object.is(parseJavaInt('-0'), 0));
  assert.equal(parseJavaInt('\u0661\u0662\u0663'), 123);
  assert.equal(parseJavaInt('\uff11\uff12'), 12);
  assert.equal(parseJavaLong('99999999999'), 99999999999n);
  assert.equal(parseJavaLong('-9223372036854775808'), -9223372036854775808n);
  for (const text of ['', ' 5', '5 ', 'x', '+', '-', '+-1', '99999999999', '2147483648', '-2147483649', '1.0']) {
    throwsJava(() => parseJavaInt(text), `For input string: "${text}"`);
  }
  for (const text of ['', '9223372036854775808', '-9223372036854775809', ' 1']) {
    throwsJava(() => parseJavaLong(text), `For input string: "${text}"`);
  }
});

test('String.hashCode', () => {
  assert.equal(javaStringHashCode(''), 0);
  assert.equal(javaStringHashCode('a'), 97);
  assert.equal(javaStringHashCode('taskmanager.memory.process.size'), -668566649);
});

const lines = loadOracleLines();

function checkAll(kind: OracleLine['t']): void {
  const selected = lines.filter((l) => l.t === kind);
  assert.ok(selected.length > 0, `fixture has ${kind} lines`);
  const problems = selected.flatMap(mismatches);
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} mismatches in ${selected.length} ${kind} lines`);
}

test('JVM fixture: Double.toString, %.3f and BigDecimal.valueOf', () => checkAll('d'));
test('JVM fixture: Float.parseFloat and Double.parseDouble', () => checkAll('p'));
test('JVM fixture: Integer.parseInt and Long.parseLong', () => checkAll('i'));
test('JVM fixture: String.hashCode', () => checkAll('h'));
test('JVM fixture: Character.digit(c, 10) for every char', () => checkAll('cd'));
