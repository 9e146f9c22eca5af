import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveJobManagerMemory, deriveTaskManagerMemory, resolveFlinkVersion } from '../../src/index.js';
import { toExplainJson } from '../../src/report/json.js';
import { comparable, expectedShape, loadVectors, VECTOR_FILES } from './vector-cases.js';

const cases = loadVectors();

test('every vector file is present and non-trivial', () => {
  for (const [file] of VECTOR_FILES) {
    assert.ok(cases.filter((c) => c.file === file).length >= 150, file);
  }
});

for (const [file, line] of VECTOR_FILES) {
  test(`library reproduces every vector of ${file} (Flink ${line})`, () => {
    const version = resolveFlinkVersion(line);
    const failures: string[] = [];
    for (const c of cases.filter((v) => v.file === file)) {
      const result = c.process === 'taskmanager' ? deriveTaskManagerMemory(c.config, version) : deriveJobManagerMemory(c.config, version);
      const actual = comparable(toExplainJson(result) as unknown as Record<string, unknown>, c.expected);
      try {
        assert.deepStrictEqual(actual, expectedShape(c.expected));
      } catch (e) {
        failures.push(`${file}:${c.line} ${c.id}\n${(e as Error).message.slice(0, 1500)}`);
      }
    }
    assert.equal(failures.length, 0, `${failures.length} vectors differ:\n${failures.slice(0, 5).join('\n\n')}`);
  });
}
