import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCliCaptured } from './cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'flink-memory-explain-'));
/** The text report wraps long lines; compare sentences regardless of where they wrap. */
const flat = (text: string): string => text.replace(/\s*\n[\s│]*/g, ' ');

const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

test('explain on the built-in defaults draws the whole TaskManager model', async () => {
  const run = await runCliCaptured(['explain']);
  assert.equal(run.code, 0);
  assert.equal(run.stderr, '');
  const lines = run.stdout.split('\n');
  assert.equal(lines[0], 'Flink 2.x TaskManager memory  (configured by Total Process Memory)');
  for (const [label, size, share] of [
    ['Total Process Memory', '1.69 GiB', '100.0%'],
    ['├─ Total Flink Memory', '1.25 GiB', '74.1%'],
    ['│  ├─ JVM Heap', '512 MiB', '29.6%'],
    ['│  │  ├─ Framework Heap', '128 MiB', '7.4%'],
    ['│  │  └─ Task Heap', '384 MiB', '22.2%'],
    ['│     │  └─ Network', '128 MiB', '7.4%'],
    ['│     └─ Managed Memory', '512 MiB', '29.6%'],
    ['├─ JVM Metaspace', '256 MiB', '14.8%'],
    ['└─ JVM Overhead', '192 MiB', '11.1%'],
  ] as const) {
    const line = lines.find((l) => l.startsWith(`${label} `));
    assert.ok(line !== undefined, `no line for ${label}`);
    assert.match(line, new RegExp(`${size.replace('.', '\\.')}\\s+${share.replace('.', '\\.')}`), line);
  }
  assert.ok(run.stdout.includes('set: taskmanager.memory.process.size = 1728m'));
  assert.ok(run.stdout.includes('raised to its min 192'));
  assert.ok(run.stdout.includes('  -Xmx536870902 -Xms536870902 -XX:MaxDirectMemorySize=268435458\n  -XX:MaxMetaspaceSize=268435456'));
  assert.ok(lines.every((l) => [...l].length <= 80), 'fits 80 columns');
  assert.ok(!run.stdout.includes('\u001b['), 'no colour when not asked for');
});

test('a RocksDB-style configuration (managed.fraction 0.6) shows the fraction at work', async () => {
  const run = await runCliCaptured(['explain', '-D', 'taskmanager.memory.process.size=4g', '-Dtaskmanager.memory.managed.fraction=0.6', '--format', 'json']);
  assert.equal(run.code, 0);
  const json = JSON.parse(run.stdout) as { memory: Record<string, string>; provenance: Record<string, Record<string, unknown>> };
  // 4g: overhead 0.1f x 4g = 429496736; Flink = 4g - 256m - overhead; managed = 0.6f (0.6000000238418579) x Flink, truncated.
  assert.equal(json.memory['jvmOverhead'], '429496736');
  assert.equal(json.memory['totalFlinkMemory'], '3597035104');
  assert.equal(json.memory['managed'], '2158221148');
  assert.equal(json.provenance['managed']!['kind'], 'fraction');
  assert.equal(json.provenance['managed']!['fractionExplicit'], true);
  const text = await runCliCaptured(['explain', '-D', 'taskmanager.memory.process.size=4g', '-D', 'taskmanager.memory.managed.fraction=0.6']);
  assert.ok(text.stdout.includes('0.6 x Total Flink Memory (3.35 GiB) = 2.01 GiB,'));
  assert.ok(text.stdout.includes('set: taskmanager.memory.managed.fraction') === false);
  assert.match(text.stdout, /└─ Managed Memory\s+2\.01 GiB\s+50\.3%/);
});

test('jobmanager, jvm-args and dynamic-configs formats print exactly what the launcher gets', async () => {
  const jvm = await runCliCaptured(['explain', '--process', 'jobmanager', '--format', 'jvm-args']);
  assert.deepEqual(jvm, { code: 0, stdout: '-Xmx1073741824 -Xms1073741824 -XX:MaxMetaspaceSize=268435456\n', stderr: '' });
  const dyn = await runCliCaptured(['explain', '-p', 'jobmanager', '-f', 'dynamic-configs']);
  assert.equal(
    dyn.stdout,
    '-D jobmanager.memory.off-heap.size=134217728b -D jobmanager.memory.jvm-overhead.min=201326592b -D jobmanager.memory.jvm-metaspace.size=268435456b -D jobmanager.memory.heap.size=1073741824b -D jobmanager.memory.jvm-overhead.max=201326592b\n',
  );
});

test('an empty config file means nothing is set, and Flink\'s failure follows', async () => {
  const empty = file('config.yaml', '');
  const run = await runCliCaptured(['explain', '--config', empty, '--format', 'json']);
  assert.equal(run.code, 1);
  const json = JSON.parse(run.stdout) as Record<string, unknown>;
  assert.equal(json['ok'], false);
  assert.equal(json['error'], 'IllegalConfigurationException');
  assert.equal(
    json['message'],
    "TaskManager memory configuration failed: Either required fine-grained memory (taskmanager.memory.task.heap.size and taskmanager.memory.managed.size), or Total Flink Memory size (Key: 'taskmanager.memory.flink.size' , default: null (fallback keys: [])), or Total Process Memory size (Key: 'taskmanager.memory.process.size' , default: null (fallback keys: [])) need to be configured explicitly.",
  );
  const text = await runCliCaptured(['explain', '--config', empty]);
  assert.equal(text.code, 1);
  assert.ok(text.stdout.startsWith('Flink 2.x would refuse to start this TaskManager:\n'));
  assert.ok(text.stdout.includes('Options involved: taskmanager.memory.task.heap.size, taskmanager.memory.managed.size, taskmanager.memory.flink.size, taskmanager.memory.process.size'));
});

test('config files: legacy flink-conf.yaml, nested config.yaml, a directory; -D wins', async () => {
  const legacy = file('flink-conf.yaml', '# comment\ntaskmanager.memory.process.size: 2g\ntaskmanager.numberOfTaskSlots: 2\n');
  const fromLegacy = JSON.parse((await runCliCaptured(['explain', '-c', legacy, '-f', 'json'])).stdout) as { memory: Record<string, string>; numSlots: number };
  assert.equal(fromLegacy.memory['totalProcessMemory'], '2147483648');
  assert.equal(fromLegacy.numSlots, 2);
  const nestedDir = mkdtempSync(join(dir, 'conf-'));
  writeFileSync(join(nestedDir, 'config.yaml'), 'taskmanager:\n  memory:\n    process.size: 3g\n    managed:\n      fraction: 0.5\n');
  const nested = JSON.parse((await runCliCaptured(['explain', '-c', nestedDir, '-f', 'json', '-D', 'taskmanager.memory.process.size=4g'])).stdout) as { memory: Record<string, string>; provenance: Record<string, Record<string, unknown>> };
  assert.equal(nested.memory['totalProcessMemory'], '4294967296');
  assert.equal(nested.provenance['managed']!['fraction'], Math.fround(0.5));
  const text = (await runCliCaptured(['explain', '-c', nestedDir])).stdout;
  assert.ok(flat(text).includes(`set: taskmanager.memory.process.size = 3g [${join(nestedDir, 'config.yaml')}:3]`), text.slice(0, 600));
});

test('legacy keys: honoured by 1.20, ignored (and said so) by 2.x', async () => {
  const v120 = JSON.parse((await runCliCaptured(['explain', '-V', '1.20.4', '-D', 'taskmanager.heap.size=1g', '-f', 'json'])).stdout) as Record<string, unknown>;
  assert.equal(v120['ok'], true);
  assert.equal(v120['jvmParams'], '-Xmx402653176 -Xms402653176 -XX:MaxDirectMemorySize=241591912 -XX:MaxMetaspaceSize=268435456');
  assert.deepEqual(v120['notes'], ["'taskmanager.heap.size' is read as 'taskmanager.memory.flink.size' (legacy heap option)."]);
  const v2 = await runCliCaptured(['explain', '-V', '2.0', '-D', 'taskmanager.heap.size=1g']);
  assert.equal(v2.code, 0, 'the shipped default process size still applies');
  assert.ok(flat(v2.stdout).includes("'taskmanager.heap.size' is ignored by Flink 2.x (removed legacy option); it has no effect on memory."));
});

test('colour only when asked for', async () => {
  const coloured = await runCliCaptured(['explain'], { color: true });
  assert.ok(coloured.stdout.includes('\u001b['));
  const forcedOff = await runCliCaptured(['explain', '--no-color'], { color: true });
  assert.ok(!forcedOff.stdout.includes('\u001b['));
});

test('bad input: one clear line, exit code 2, no stack trace', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['explain', '--config', join(dir, 'missing.yaml')], /^flink-memory: .*missing\.yaml.*\n$/],
    [['explain', '--config', file('bad.yaml', 'taskmanager:\n  memory: [unclosed\n')], /^flink-memory: .*bad\.yaml:\d+.*\n$/],
    [['explain', '--process', 'worker'], /^flink-memory: explain: unknown --process 'worker' \(expected taskmanager or jobmanager\)\n$/],
    [['explain', '--format', 'xml'], /^flink-memory: explain: unknown --format 'xml'/],
    [['explain', '--flink-version', '1.15'], /^flink-memory: explain: Unsupported Flink version '1\.15'\. Supported: 2\.0-2\.4 \(2\.x\), 1\.20, 1\.19, 1\.18, 1\.17, 1\.16\.\n$/],
    [['explain', '-D', 'novalue'], /^flink-memory: .*novalue.*\n$/],
    [['explain', '--bogus'], /^flink-memory: explain: Unknown option '--bogus'/],
    [['frobnicate'], /^flink-memory: unknown command 'frobnicate'/],
  ];
  for (const [argv, pattern] of cases) {
    const run = await runCliCaptured(argv);
    assert.equal(run.code, 2, argv.join(' '));
    assert.equal(run.stdout, '', argv.join(' '));
    assert.match(run.stderr, pattern);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.ok(!run.stderr.includes('    at '), 'no stack trace');
  }
});

test('a malformed memory value is a configuration Flink rejects: exit 1, JSON on stdout', async () => {
  const run = await runCliCaptured(['explain', '-D', 'taskmanager.memory.process.size=1.5g', '--format', 'json']);
  assert.equal(run.code, 1);
  const json = JSON.parse(run.stdout) as Record<string, unknown>;
  assert.equal(json['message'], "TaskManager memory configuration failed: Cannot read memory size from config option 'taskmanager.memory.process.size'.");
  assert.deepEqual(json['keys'], ['taskmanager.memory.process.size']);
  const text = await runCliCaptured(['explain', '-D', 'taskmanager.memory.process.size=1.5g']);
  assert.equal(text.code, 1);
  assert.ok(flat(text.stdout).includes("caused by: Memory size unit '.5g' does not match any of the recognized units"));
  assert.ok(text.stdout.includes('taskmanager.memory.process.size = 1.5g  (-D #1)'));
});
