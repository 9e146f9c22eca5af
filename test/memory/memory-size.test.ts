import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlinkError } from '../../src/memory/errors.js';
import { addSizes, formatHumanReadable, multiplySize, parseMemorySize } from '../../src/memory/memory-size.js';

const KiB = 1024n;
const MiB = KiB * KiB;
const GiB = MiB * KiB;
const TiB = GiB * KiB;

test('parses every spelling Flink accepts', () => {
  const cases: Array<[string, bigint]> = [
    ['0', 0n],
    ['1234', 1234n],
    ['1234b', 1234n],
    ['1234 bytes', 1234n],
    ['1234BYTES', 1234n],
    ['8k', 8n * KiB],
    ['8 kb', 8n * KiB],
    ['8 kibibytes', 8n * KiB],
    ['1728m', 1728n * MiB],
    ['1728 MB', 1728n * MiB],
    ['1728mebibytes', 1728n * MiB],
    ['4g', 4n * GiB],
    ['4 Gb', 4n * GiB],
    ['4 gibibytes', 4n * GiB],
    ['2t', 2n * TiB],
    ['2 TB', 2n * TiB],
    ['2 tebibytes', 2n * TiB],
    ['  64 m  ', 64n * MiB],
    ['\t128m\n', 128n * MiB],
    ['9223372036854775807', 9223372036854775807n],
    ['8388607t', 8388607n * TiB],
  ];
  for (const [text, bytes] of cases) assert.equal(parseMemorySize(text), bytes, text);
});

function failure(text: string): { error: string; message: string } {
  try {
    parseMemorySize(text);
  } catch (e) {
    assert.ok(e instanceof FlinkError);
    return { error: e.error, message: e.message };
  }
  assert.fail(`'${text}' was accepted`);
}

test('rejects what Flink rejects, with Flink\'s messages', () => {
  assert.deepEqual(failure(''), { error: 'IllegalArgumentException', message: 'argument is an empty- or whitespace-only string' });
  assert.deepEqual(failure('   '), { error: 'IllegalArgumentException', message: 'argument is an empty- or whitespace-only string' });
  assert.deepEqual(failure('-1m'), { error: 'NumberFormatException', message: 'text does not start with a number' });
  assert.deepEqual(failure('m'), { error: 'NumberFormatException', message: 'text does not start with a number' });
  const units = '(b | bytes) / (k | kb | kibibytes) / (m | mb | mebibytes) / (g | gb | gibibytes) / (t | tb | tebibytes)';
  assert.deepEqual(failure('1.5g'), { error: 'IllegalArgumentException', message: `Memory size unit '.5g' does not match any of the recognized units: ${units}` });
  assert.deepEqual(failure('1 zb'), { error: 'IllegalArgumentException', message: `Memory size unit 'zb' does not match any of the recognized units: ${units}` });
  assert.deepEqual(failure('1 g b'), { error: 'IllegalArgumentException', message: `Memory size unit 'g b' does not match any of the recognized units: ${units}` });
  assert.deepEqual(failure('9223372036854775808'), {
    error: 'IllegalArgumentException',
    message: "The value '9223372036854775808' cannot be re represented as 64bit number (numeric overflow).",
  });
  assert.deepEqual(failure('8388608t'), {
    error: 'IllegalArgumentException',
    message: "The value '8388608t' cannot be re represented as 64bit number of bytes (numeric overflow).",
  });
});

test('formats sizes as Flink does in its messages', () => {
  assert.equal(formatHumanReadable(0n), '0 bytes');
  assert.equal(formatHumanReadable(1024n), '1024 bytes');
  assert.equal(formatHumanReadable(3835n), '3.745kb (3835 bytes)');
  assert.equal(formatHumanReadable(GiB), '1024.000mb (1073741824 bytes)');
  assert.equal(formatHumanReadable(200n * MiB), '200.000mb (209715200 bytes)');
  assert.equal(formatHumanReadable(9223372036854775807n), '8388608.000tb (9223372036854775807 bytes)');
});

test('multiplies like BigDecimal on the double\'s decimal digits, truncating', () => {
  // 0.1f widened is 0.10000000149011612: Flink's 1g x 0.1 is 107374184, not 107374182.
  assert.equal(multiplySize(GiB, Math.fround(0.1)), 107374184n);
  assert.equal(multiplySize(GiB, Math.fround(0.4)), 429496736n);
  assert.equal(multiplySize(3n, 0.5), 1n);
  assert.throws(() => multiplySize(9223372036854775807n, 1.5), /long overflow/);
});

test('sums overflow exactly like Math.addExact', () => {
  assert.equal(addSizes(1n, 2n, 3n), 6n);
  assert.throws(() => addSizes(9223372036854775807n, 1n), (e: unknown) => e instanceof FlinkError && e.error === 'ArithmeticException' && e.message === 'long overflow');
});
