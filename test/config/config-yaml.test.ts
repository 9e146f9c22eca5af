import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ConfigLoadError, parseConfigYaml, toFlatMap, type LoadedConfig } from '../../src/config/index.js';
import { fixture } from './fixtures.js';

const FILE = fixture('standard', 'config.yaml');
const loaded = (): LoadedConfig => parseConfigYaml(readFileSync(FILE, 'utf8'), FILE);

const lineOf = (config: LoadedConfig, key: string): number | undefined => {
  const source = config.entries.get(key)?.source;
  return source?.kind === 'file' ? source.line : undefined;
};

test('config.yaml fixture: nested and dotted keys flatten, scalars render as Flink reads them', () => {
  assert.deepStrictEqual(toFlatMap(loaded()), {
    'taskmanager.memory.process.size': '4g',
    'taskmanager.memory.managed.fraction': '0.25',
    'taskmanager.memory.network.fraction': '0.1',
    'taskmanager.numberOfTaskSlots': '4',
    'jobmanager.memory.process.size': '2048m',
    'parallelism.default': '16',
    'taskmanager.memory.jvm-overhead.fraction': '1.0',
    'cluster.evenly-spread-out-slots': 'true',
    'execution.checkpointing.unaligned': 'false',
    'pipeline.name': 'quoted: string',
    'env.java.opts.all': '[-Xss1m, --add-opens=java.base/java.util=ALL-UNNAMED]',
    'high-availability.namespaces': "[primary, '2', true]",
    'taskmanager.memory.framework.heap.size': '128m',
    'rest.port': '8081',
  });
});

test('config.yaml fixture: every entry carries the 1-based line of its leaf key', () => {
  const config = loaded();
  const expected: Record<string, number> = {
    'taskmanager.memory.process.size': 4,
    'taskmanager.memory.managed.fraction': 6,
    'taskmanager.memory.network.fraction': 7,
    'taskmanager.numberOfTaskSlots': 8,
    'jobmanager.memory.process.size': 9,
    'parallelism.default': 10,
    'taskmanager.memory.jvm-overhead.fraction': 11,
    'cluster.evenly-spread-out-slots': 12,
    'execution.checkpointing.unaligned': 13,
    'pipeline.name': 14,
    'env.java.opts.all': 15,
    'high-availability.namespaces': 16,
    'taskmanager.memory.framework.heap.size': 20,
    'rest.port': 21,
  };
  for (const [key, line] of Object.entries(expected)) assert.equal(lineOf(config, key), line, key);
  assert.deepStrictEqual(config.entries.get('taskmanager.memory.process.size')?.source, { kind: 'file', file: FILE, line: 4 });
  assert.equal(config.format, 'config.yaml');
  assert.equal(config.file, FILE);
  assert.deepStrictEqual(config.warnings, []);
});

test("config.yaml: Flink's own GlobalConfigurationTest standard-YAML case", () => {
  const text = [
    'Key1: ',
    '    Key2: v1',
    "    Key3: 'v2'",
    'Key4: 1',
    "Key5: '1'",
    "Key6: '*'",
    'Key7: true',
    "Key8: 'true'",
    "Key9: [a, b, '*', 1, '2',  true, 'true']",
    "Key10: {k1: v1, k2: '2', k3: 3}",
    "Key11: [{k1: v1, k2: '2', k3: 3}, {k4: true}]",
  ].join('\n');
  const flat = toFlatMap(parseConfigYaml(text, 'config.yaml'));
  assert.equal(Object.keys(flat).length, 12); // Flink asserts keySet().hasSize(12)
  assert.deepStrictEqual(flat, {
    'Key1.Key2': 'v1',
    'Key1.Key3': 'v2',
    Key4: '1',
    Key5: '1',
    Key6: '*',
    Key7: 'true',
    Key8: 'true',
    Key9: "[a, b, '*', 1, '2', true, 'true']",
    'Key10.k1': 'v1',
    'Key10.k2': '2',
    'Key10.k3': '3',
    Key11: "[{k1: v1, k2: '2', k3: 3}, {k4: true}]",
  });
});

test('config.yaml: plain scalars are typed like SnakeYAML (YAML 1.1), quoted ones stay strings', () => {
  const text = [
    'bool.yes: yes',
    'bool.off: Off',
    'bool.quoted: "yes"',
    'int.octal: 010',
    'int.hex: 0x1F',
    'int.binary: 0b101',
    'int.underscore: 1_000',
    'int.base60: 1:30',
    'int.big: 123456789012345678901234567890',
    'int.negative: -42',
    'float.exp: 1e3',
    'float.small: 0.0001',
    'float.large: 12345678.5',
    'float.neg-inf: -.inf',
    'float.nan: .NaN',
    'float.trailing-dot: 3.',
    'str.size: 1728m',
    'str.spaced: 1 gb',
    'str.y: y',
    'str.date-like: 2024-13-99x',
  ].join('\n');
  assert.deepStrictEqual(toFlatMap(parseConfigYaml(text, 'config.yaml')), {
    'bool.yes': 'true',
    'bool.off': 'false',
    'bool.quoted': 'yes',
    'int.octal': '8',
    'int.hex': '31',
    'int.binary': '5',
    'int.underscore': '1000',
    'int.base60': '90',
    'int.big': '123456789012345678901234567890',
    'int.negative': '-42',
    'float.exp': '1000.0',
    'float.small': '1.0E-4',
    'float.large': '1.23456785E7',
    'float.neg-inf': '-.inf',
    'float.nan': '.NaN',
    'float.trailing-dot': '3.0',
    'str.size': '1728m',
    'str.spaced': '1 gb',
    'str.y': 'y',
    'str.date-like': '2024-13-99x',
  });
});

test('config.yaml: lists render in SnakeYAML flow style, quoting only what needs it', () => {
  const text = [
    'a: []',
    'b: [-Xss1m]',
    "c: ['a, b', 'it''s', x:y, '', null, 1.5, ~]",
    'd:',
    '  - "tab\\there"',
    '  - [nested, 2]',
  ].join('\n');
  assert.deepStrictEqual(toFlatMap(parseConfigYaml(text, 'config.yaml')), {
    a: '[]',
    b: '[-Xss1m]',
    c: "['a, b', it's, 'x:y', '', null, 1.5, null]",
    d: '["tab\\there", [nested, 2]]',
  });
});

test('config.yaml: null leaves are absent, with a warning at their line', () => {
  const config = parseConfigYaml('a: 1\nb:\nc: ~\nd: null\n', 'config.yaml');
  assert.deepStrictEqual(toFlatMap(config), { a: '1' });
  assert.deepStrictEqual(
    config.warnings.map((w) => [w.file, w.line]),
    [
      ['config.yaml', 2],
      ['config.yaml', 3],
      ['config.yaml', 4],
    ],
  );
  assert.match(config.warnings[0]?.message ?? '', /^'b' has no value \(null\)/);
});

test('config.yaml: the same key written twice through nesting: the later one wins, with a warning', () => {
  const config = parseConfigYaml('taskmanager.memory.process.size: 1g\ntaskmanager:\n  memory:\n    process.size: 2g\n', 'config.yaml');
  assert.deepStrictEqual(config.entries.get('taskmanager.memory.process.size'), {
    key: 'taskmanager.memory.process.size',
    value: '2g',
    source: { kind: 'file', file: 'config.yaml', line: 4 },
  });
  assert.equal(config.warnings.length, 1);
  assert.match(config.warnings[0]?.message ?? '', /also set on line 1/);
});

test('config.yaml: non-string keys become the text Java concatenation gives', () => {
  assert.deepStrictEqual(toFlatMap(parseConfigYaml('1: a\non: b\n1.50: c\nx:\n  2: d\n', 'config.yaml')), {
    '1': 'a',
    true: 'b',
    '1.5': 'c',
    'x.2': 'd',
  });
});

test('config.yaml: anchors and aliases are followed', () => {
  const text = 'base: &size 2g\nopts: &opts [-Xss1m]\ntaskmanager.memory.process.size: *size\nenv.java.opts.all: *opts\n';
  const config = parseConfigYaml(text, 'config.yaml');
  assert.equal(config.entries.get('taskmanager.memory.process.size')?.value, '2g');
  assert.equal(config.entries.get('env.java.opts.all')?.value, '[-Xss1m]');
});

test('config.yaml: an empty or comment-only file, or a lone ~, is a valid empty configuration', () => {
  for (const text of ['', '\n', '# nothing here\n', '---\n', '~\n']) {
    const config = parseConfigYaml(text, 'config.yaml');
    assert.equal(config.entries.size, 0, JSON.stringify(text));
    assert.deepStrictEqual(config.warnings, [], JSON.stringify(text));
  }
});

function loadError(text: string, file = 'config.yaml'): ConfigLoadError {
  try {
    parseConfigYaml(text, file);
  } catch (e) {
    assert.ok(e instanceof ConfigLoadError, `expected ConfigLoadError, got ${String(e)}`);
    return e;
  }
  assert.fail(`expected ${JSON.stringify(text)} to be rejected`);
}

test('config.yaml: invalid YAML names file and line', () => {
  const file = fixture('invalid', 'config.yaml');
  const e = loadError(readFileSync(file, 'utf8'), file);
  assert.equal(e.code, 'INVALID_YAML');
  assert.equal(e.file, file);
  assert.equal(e.line, 5);
  assert.ok(e.message.startsWith(`${file}:5: invalid YAML: `), e.message);
  assert.equal(e.message.includes('\n'), false);

  const tab = loadError('a:\n\tb: 1\n');
  assert.equal(tab.line, 2);
  assert.equal(tab.message, 'config.yaml:2: invalid YAML: Tabs are not allowed as indentation');
});

test('config.yaml: a top level that is not a mapping is rejected naming the file', () => {
  const scalar = loadError('just a string\n');
  assert.equal(scalar.code, 'INVALID_YAML');
  assert.equal(scalar.message, "config.yaml:1: invalid YAML: the top level must be a mapping of keys to values, found the string 'just a string'");
  const list = loadError('- a\n- b\n', '/etc/flink/config.yaml');
  assert.equal(list.file, '/etc/flink/config.yaml');
  assert.match(list.message, /^\/etc\/flink\/config\.yaml:1: invalid YAML: .*found a list$/);
});

test('config.yaml: duplicate keys in one mapping are rejected, as SnakeYAML does for Flink', () => {
  const e = loadError('a:\n  b: 1\n  b: 2\n');
  assert.equal(e.code, 'INVALID_YAML');
  assert.equal(e.line, 3);
  assert.equal(e.key, 'a.b');
  assert.equal(e.message, "config.yaml:3: invalid YAML: duplicate key 'a.b' (first written on line 2)");
  // `true` and `yes` are the same Boolean key for SnakeYAML.
  assert.equal(loadError('true: 1\nyes: 2\n').key, 'true');
});

test('config.yaml: several documents are rejected', () => {
  const e = loadError('a: 1\n---\nb: 2\n');
  assert.equal(e.code, 'INVALID_YAML');
  assert.equal(e.line, 2);
  assert.match(e.message, /more than one YAML document/);
});

test('config.yaml: constructs Flink cannot load or this tool does not model are UNSUPPORTED_VALUE', () => {
  const cases: [string, number, RegExp][] = [
    ['<<: {a: 1}\n', 1, /merge keys/],
    ['a: 1\nb: !custom x\n', 2, /'b': the YAML tag !custom is not supported/],
    ['a: =\n', 1, /'a': plain '=' cannot be loaded/],
    ['a: !!int twelve\n', 1, /'a': 'twelve' is not a YAML integer/],
    ['a: &x [1, *x]\n', 1, /contains itself/],
    ['? [a, b]\n: c\n', 1, /cannot be used as a key/],
  ];
  for (const [text, line, message] of cases) {
    const e = loadError(text);
    assert.equal(e.code, 'UNSUPPORTED_VALUE', text);
    assert.equal(e.line, line, text);
    assert.match(e.message, message);
    assert.ok(e.message.startsWith(`config.yaml:${line}: `), e.message);
  }
});

test('config.yaml: explicit standard tags are honoured', () => {
  assert.deepStrictEqual(toFlatMap(parseConfigYaml('a: !!str 010\nb: !!int "0x10"\nc: !!float 2\nd: ! yes\n', 'c.yaml')), {
    a: '010',
    b: '16',
    c: '2.0',
    d: 'yes',
  });
});

test('config.yaml: at most 50 aliases may refer to collections, as SnakeYAML allows for Flink', () => {
  const aliases = (n: number): string => ['base: &b [x]', ...Array.from({ length: n }, (_, i) => `k${i}: *b`)].join('\n');
  const fine = parseConfigYaml(aliases(50), 'config.yaml');
  assert.equal(fine.entries.size, 51);
  assert.equal(fine.entries.get('k49')?.value, '[x]');
  const e = loadError(aliases(51));
  assert.equal(e.code, 'UNSUPPORTED_VALUE');
  assert.equal(e.line, 52); // the 51st alias
  assert.match(e.message, /more than 50 aliases/);
});

test('config.yaml: an alias bomb under the alias limit is refused instead of expanded', () => {
  const levels = ['l0: &l0 [x, x]'];
  for (let i = 1; i <= 22; i++) levels.push(`l${i}: &l${i} [*l${i - 1}, *l${i - 1}]`);
  const e = loadError(levels.join('\n'));
  assert.equal(e.code, 'UNSUPPORTED_VALUE');
  assert.match(e.message, /aliases expand to more values than a configuration can hold/);
});
