import assert from 'node:assert/strict';
import { test } from 'node:test';
import { javaDoubleToString, javaLines, javaTrim } from '../../src/config/java-text.js';
import { resolveImplicit } from '../../src/config/yaml-scalars.js';

test('javaDoubleToString matches Double.toString', () => {
  const cases: [number, string][] = [
    [0, '0.0'],
    [-0, '-0.0'],
    [1, '1.0'],
    [0.1, '0.1'],
    [0.4, '0.4'],
    [100, '100.0'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [9999999, '9999999.0'],
    [1e7, '1.0E7'],
    [12345678.5, '1.23456785E7'],
    [-1.5e-10, '-1.5E-10'],
    [1e23, '1.0E23'],
    [Number.MAX_VALUE, '1.7976931348623157E308'],
    [Number.MIN_VALUE, '4.9E-324'],
    [NaN, 'NaN'],
    [-Infinity, '-Infinity'],
  ];
  for (const [value, expected] of cases) assert.equal(javaDoubleToString(value), expected, String(value));
});

test('javaTrim strips chars <= U+0020 only', () => {
  assert.equal(javaTrim(' \t\u0000a b\r\n\u001f'), 'a b');
  assert.equal(javaTrim('\u00a0a\u2003'), '\u00a0a\u2003');
});

test('javaLines splits like BufferedReader.readLine', () => {
  assert.deepStrictEqual(javaLines(''), []);
  assert.deepStrictEqual(javaLines('a'), ['a']);
  assert.deepStrictEqual(javaLines('a\n'), ['a']);
  assert.deepStrictEqual(javaLines('a\n\n'), ['a', '']);
  assert.deepStrictEqual(javaLines('a\r\nb\rc\n'), ['a', 'b', 'c']);
});

test("resolveImplicit follows SnakeYAML's YAML 1.1 resolver", () => {
  const cases: [string, string][] = [
    ['yes', 'bool'],
    ['OFF', 'bool'],
    ['y', 'str'],
    ['True', 'bool'],
    ['tRUE', 'str'],
    ['0', 'int'],
    ['007', 'int'],
    ['08', 'str'],
    ['0x_1f', 'int'],
    ['1:30', 'int'],
    ['1.5', 'float'],
    ['1e3', 'float'],
    ['.5', 'float'],
    ['+.inf', 'float'],
    ['-.nan', 'str'],
    ['~', 'null'],
    ['', 'null'],
    ['Null', 'null'],
    ['nULL', 'str'],
    ['2024-01-31', 'timestamp'],
    ['<<', 'merge'],
    ['=', 'value'],
    ['1728m', 'str'],
    ['_', 'str'],
  ];
  for (const [text, tag] of cases) assert.equal(resolveImplicit(text), tag, text);
  assert.equal(resolveImplicit('1'.repeat(1025)), 'str'); // beyond SnakeYAML's length limit for numbers
});
