import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseFlinkConfLegacy, toFlatMap, type LoadedConfig } from '../../src/config/index.js';
import { fixture } from './fixtures.js';

const FILE = fixture('legacy', 'flink-conf.yaml');
const loaded = (): LoadedConfig => parseFlinkConfLegacy(readFileSync(FILE, 'utf8'), FILE);

test('legacy fixture: exactly the keys Flink keeps, with raw values', () => {
  assert.deepStrictEqual(toFlatMap(loaded()), {
    'jobmanager.memory.process.size': '1600m',
    'taskmanager.memory.process.size': '2g',
    'taskmanager.memory.managed.fraction': '0.4',
    'env.java.opts.taskmanager': '-Dfoo=bar',
    'taskmanager.memory.task.off-heap.size': '"64m"',
    'kubernetes.container.image': 'repo/image: tag',
    'parallelism.default': '4',
  });
});

test('legacy fixture: each entry points at the line it was read from (the later duplicate for a repeated key)', () => {
  const lines = Object.fromEntries([...loaded().entries.values()].map((e) => [e.key, e.source.kind === 'file' ? e.source.line : -1]));
  assert.deepStrictEqual(lines, {
    'jobmanager.memory.process.size': 5,
    'taskmanager.memory.process.size': 16,
    'taskmanager.memory.managed.fraction': 8,
    'env.java.opts.taskmanager': 10,
    'taskmanager.memory.task.off-heap.size': 11,
    'kubernetes.container.image': 12,
    'parallelism.default': 18,
  });
  const entry = loaded().entries.get('taskmanager.memory.process.size');
  assert.deepStrictEqual(entry?.source, { kind: 'file', file: FILE, line: 16 });
});

test('legacy fixture: skipped lines and the overridden duplicate are reported with their line numbers', () => {
  const config = loaded();
  assert.equal(config.format, 'flink-conf.yaml');
  assert.equal(config.file, FILE);
  assert.deepStrictEqual(
    config.warnings.map((w) => [w.file, w.line]),
    [
      [FILE, 7],
      [FILE, 13],
      [FILE, 14],
      [FILE, 15],
      [FILE, 16],
    ],
  );
  const [noSpace, emptyValue, emptyKey, noSeparator, duplicate] = config.warnings.map((w) => w.message);
  assert.match(noSpace ?? '', /no ": " between key and value: "taskmanager\.numberOfTaskSlots:4"/);
  assert.match(emptyValue ?? '', /^line skipped, no ": "/); // "key: " trims to "key:", which has no separator
  assert.match(emptyKey ?? '', /empty key: ": orphan-value"/);
  assert.match(noSeparator ?? '', /"just some words without a separator"/);
  assert.match(duplicate ?? '', /'taskmanager\.memory\.process\.size' is also set on line 6/);
});

test("legacy: Flink's own GlobalConfigurationTest cases", () => {
  const text = [
    '###########################',
    '# Some : comments : to skip',
    '###########################',
    'mykey1: myvalue1',
    'mykey2       : myvalue2',
    'mykey3:myvalue3',
    ' some nonsense without colon and whitespace separator',
    ' :  ',
    '   ',
    ' ',
    'mykey4: myvalue4# some comments',
    '   mykey5    :    myvalue5    ',
    'mykey6: my: value6',
    'mykey7: ',
    ': myvalue8',
    'mykey9: myvalue9',
    'mykey9: myvalue10',
  ].join('\n');
  assert.deepStrictEqual(toFlatMap(parseFlinkConfLegacy(text, 'flink-conf.yaml')), {
    mykey1: 'myvalue1',
    mykey2: 'myvalue2',
    mykey4: 'myvalue4',
    mykey5: 'myvalue5',
    mykey6: 'my: value6',
    mykey9: 'myvalue10',
  });
});

test('legacy: values are not unquoted and # cuts even inside quotes', () => {
  const config = parseFlinkConfLegacy("a: \"x\"\nb: 'y'\nc: \"p#q\"\nd: 1e3\ne: yes\n", 'flink-conf.yaml');
  assert.deepStrictEqual(toFlatMap(config), { a: '"x"', b: "'y'", c: '"p', d: '1e3', e: 'yes' });
});

test('legacy: \\r\\n, lone \\r and a missing final newline end lines as in BufferedReader', () => {
  const config = parseFlinkConfLegacy('a: 1\r\nb: 2\rc: 3\n\nd: 4', 'f');
  assert.deepStrictEqual(toFlatMap(config), { a: '1', b: '2', c: '3', d: '4' });
  assert.deepStrictEqual([...config.entries.values()].map((e) => (e.source.kind === 'file' ? e.source.line : 0)), [1, 2, 3, 5]);
});

test('legacy: Java trim strips control characters but not Unicode spaces or a byte order mark', () => {
  const config = parseFlinkConfLegacy('\ufeffa: 1\n\tb\t: \t2\u0001\nc: \u00a03\u00a0\n', 'f');
  assert.deepStrictEqual(toFlatMap(config), { '\ufeffa': '1', b: '2', c: '\u00a03\u00a0' });
  assert.equal(config.warnings.length, 1);
  assert.match(config.warnings[0]?.message ?? '', /byte order mark/);
});

test('legacy: an empty file and a comment-only file hold no entries and no warnings', () => {
  for (const text of ['', '\n\n', '# only\n   # comments\n']) {
    const config = parseFlinkConfLegacy(text, 'f');
    assert.equal(config.entries.size, 0, JSON.stringify(text));
    assert.equal(config.warnings.length, 0, JSON.stringify(text));
  }
});
