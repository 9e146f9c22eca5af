import assert from 'node:assert/strict';
import { chmod, copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadConfigFile, MAX_CONFIG_FILE_BYTES, toFlatMap } from '../../src/config/index.js';
import { fixture, rejection } from './fixtures.js';

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'flink-memory-config-'));
  temps.push(dir);
  return dir;
}
after(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});


test('a file named flink-conf.yaml is read with the legacy parser', async () => {
  const file = fixture('legacy', 'flink-conf.yaml');
  const config = await loadConfigFile(file);
  assert.equal(config.format, 'flink-conf.yaml');
  assert.equal(config.file, file);
  assert.equal(config.entries.get('taskmanager.memory.task.off-heap.size')?.value, '"64m"');
});

test('a copy named after flink-conf.yaml is legacy too; any other file name is read as standard YAML', async () => {
  const dir = await tempDir();
  // prod-flink-conf.yaml, flink-conf.yaml.tmpl: deployed as flink-conf.yaml, so read as Flink 1.x reads it.
  const copy = join(dir, 'prod-flink-conf.yaml');
  await writeFile(copy, 'taskmanager.memory.task.off-heap.size: "64m"\n');
  assert.equal((await loadConfigFile(copy)).entries.get('taskmanager.memory.task.off-heap.size')?.value, '"64m"');
  const other = join(dir, 'my-conf.yaml');
  await writeFile(other, 'taskmanager.memory.task.off-heap.size: "64m"\n');
  const config = await loadConfigFile(other);
  assert.equal(config.format, 'config.yaml');
  assert.equal(config.entries.get('taskmanager.memory.task.off-heap.size')?.value, '64m');
  assert.equal((await loadConfigFile(fixture('standard', 'config.yaml'))).format, 'config.yaml');
});

test('directory with only flink-conf.yaml: legacy file used', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'flink-conf.yaml'), 'taskmanager.memory.process.size: 3g\n');
  const config = await loadConfigFile(dir);
  assert.equal(config.file, join(dir, 'flink-conf.yaml'));
  assert.equal(config.format, 'flink-conf.yaml');
  assert.deepStrictEqual(toFlatMap(config), { 'taskmanager.memory.process.size': '3g' });
  assert.deepStrictEqual(config.warnings, []);
});

test('directory with only config.yaml: standard file used', async () => {
  const dir = await tempDir();
  await copyFile(fixture('standard', 'config.yaml'), join(dir, 'config.yaml'));
  const config = await loadConfigFile(dir);
  assert.equal(config.file, join(dir, 'config.yaml'));
  assert.equal(config.format, 'config.yaml');
  assert.equal(config.entries.get('taskmanager.memory.process.size')?.value, '4g');
  assert.deepStrictEqual(config.entries.get('taskmanager.memory.process.size')?.source, {
    kind: 'file',
    file: join(dir, 'config.yaml'),
    line: 4,
  });
});

test('directory with both: config.yaml wins and a warning names the ignored flink-conf.yaml', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'config.yaml'), 'taskmanager:\n  memory:\n    process.size: 4g\n');
  await writeFile(join(dir, 'flink-conf.yaml'), 'taskmanager.memory.process.size: 1g\n');
  const config = await loadConfigFile(dir);
  assert.equal(config.format, 'config.yaml');
  assert.equal(config.entries.get('taskmanager.memory.process.size')?.value, '4g');
  assert.equal(config.warnings.length, 1);
  assert.equal(config.warnings[0]?.file, join(dir, 'flink-conf.yaml'));
  assert.equal(config.warnings[0]?.line, 0);
  assert.match(config.warnings[0]?.message ?? '', /config\.yaml in the same directory takes precedence/);
});

test('directory with neither: NOT_A_CONFIG_DIR naming the directory', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'other.yaml'), 'a: 1\n');
  await mkdir(join(dir, 'config.yaml')); // a directory named config.yaml does not count
  const e = await rejection(loadConfigFile(dir));
  assert.equal(e.code, 'NOT_A_CONFIG_DIR');
  assert.equal(e.file, dir);
  assert.equal(e.message, `${dir}: neither config.yaml nor flink-conf.yaml found in this directory`);
});

test('missing path: FILE_NOT_FOUND with the path in the message', async () => {
  const dir = await tempDir();
  const missing = join(dir, 'nope', 'config.yaml');
  const e = await rejection(loadConfigFile(missing));
  assert.equal(e.code, 'FILE_NOT_FOUND');
  assert.equal(e.file, missing);
  assert.equal(e.message, `${missing}: no such file or directory`);
});

test('invalid YAML in a directory: error names the chosen file and the line', async () => {
  const dir = await tempDir();
  await copyFile(fixture('invalid', 'config.yaml'), join(dir, 'config.yaml'));
  const e = await rejection(loadConfigFile(dir));
  assert.equal(e.code, 'INVALID_YAML');
  assert.equal(e.line, 5);
  assert.ok(e.message.startsWith(`${join(dir, 'config.yaml')}:5: invalid YAML: `), e.message);
});

test('config.yaml that is not UTF-8 is INVALID_YAML; flink-conf.yaml decodes it leniently like Java', async () => {
  const dir = await tempDir();
  const bytes = Buffer.from([0x61, 0x3a, 0x20, 0xff, 0x0a]); // "a: \xff\n"
  await writeFile(join(dir, 'config.yaml'), bytes);
  const e = await rejection(loadConfigFile(join(dir, 'config.yaml')));
  assert.equal(e.code, 'INVALID_YAML');
  assert.match(e.message, /not valid UTF-8/);
  await writeFile(join(dir, 'flink-conf.yaml'), bytes);
  assert.equal((await loadConfigFile(join(dir, 'flink-conf.yaml'))).entries.get('a')?.value, '\ufffd');
});

test('a byte order mark is dropped for config.yaml', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'config.yaml'), '\ufeffa: 1\n');
  assert.deepStrictEqual(toFlatMap(await loadConfigFile(join(dir, 'config.yaml'))), { a: '1' });
});

test('files above 16 MiB are refused without being parsed', async () => {
  const dir = await tempDir();
  const big = join(dir, 'config.yaml');
  await writeFile(big, Buffer.alloc(MAX_CONFIG_FILE_BYTES + 1, 0x20));
  const e = await rejection(loadConfigFile(big));
  assert.equal(e.code, 'FILE_UNREADABLE');
  assert.match(e.message, /^.*config\.yaml: file too large for a configuration file: 16777217 bytes; the limit is 16 MiB$/);
});

test('an unreadable file is FILE_UNREADABLE', { skip: process.getuid?.() === 0 ? 'root can read anything' : false }, async () => {
  const dir = await tempDir();
  const file = join(dir, 'config.yaml');
  await writeFile(file, 'a: 1\n');
  await chmod(file, 0o000);
  const e = await rejection(loadConfigFile(file));
  assert.equal(e.code, 'FILE_UNREADABLE');
  assert.equal(e.message, `${file}: permission denied`);
});

test('a path that cannot be resolved (symlink loop) is FILE_UNREADABLE naming the path', async () => {
  const dir = await tempDir();
  const loop = join(dir, 'config.yaml');
  await symlink(loop, loop);
  const e = await rejection(loadConfigFile(loop));
  assert.equal(e.code, 'FILE_UNREADABLE');
  assert.ok(e.message.startsWith(`${loop}: cannot be read (`), e.message);
  assert.equal(e.message.includes('\n'), false);
});
