import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  defaultPartitionType,
  linearJobPlan,
  parseJobPlan,
  PlanError,
  tasksFromPlan,
  type ExchangeDefaults,
} from '../../src/plan/job-plan.js';
import { FIXTURES } from './network-vectors.js';

const STREAMING: ExchangeDefaults = { runtimeMode: 'STREAMING', batchShuffleMode: 'ALL_EXCHANGES_BLOCKING' };
const fixture = (name: string): string => readFileSync(join(FIXTURES, 'plans', name), 'utf8');
const plan = (name: string) => parseJobPlan(fixture(name), name);

test('REST /jobs/:id/plan with one chained vertex: no network at all', () => {
  const p = plan('rest-jobs-plan-flink-1.11.json');
  assert.equal(p.shape, 'rest-plan');
  assert.equal(p.name, 'flink-kafka-stream');
  assert.equal(p.vertices.length, 1);
  assert.equal(p.vertices[0]!.name, 'Source: Custom Source -> Map -> Sink: Print to Std. Out');
  const tasks = tasksFromPlan(p, STREAMING);
  assert.deepEqual(tasks[0]!.inputs, []);
  assert.deepEqual(tasks[0]!.outputs, []);
});

test('REST /jobs/:id: a HASH pipelined_bounded exchange between two vertices of parallelism 2, with the slot sharing group', () => {
  const p = plan('rest-job-details-slot-sharing.json');
  assert.equal(p.shape, 'rest-plan');
  const tasks = tasksFromPlan(p, STREAMING);
  const sink = tasks.find((t) => t.vertex === '20ba6b65f97481d5570070de90e4e791')!;
  const source = tasks.find((t) => t.vertex === 'bc764cd8ddf7a0cff126f51c16239658')!;
  assert.equal(sink.name, 'Flat Map +- Sink: Print to Std. Out');
  assert.deepEqual(sink.inputs, [{ channels: 2, partitionType: 'PIPELINED_BOUNDED' }]);
  assert.deepEqual(source.outputs, [{ subpartitions: 2, partitionType: 'PIPELINED_BOUNDED' }]);
  assert.equal(sink.slotSharingGroup, 'a9c52ec4c7200ab4bd141cbae8022105');
  assert.equal(source.slotSharingGroup, 'a9c52ec4c7200ab4bd141cbae8022105');
});

test('REST /jobs/:id of a 1.9 DataSet job: "Hash Partition on [0]" is all-to-all, "Forward" pointwise, "pipelined" is PIPELINED', () => {
  const p = plan('rest-job-details-flink-1.9.1-dataset.json');
  const tasks = tasksFromPlan(p, STREAMING);
  const reduce = tasks.find((t) => t.vertex === 'ff1c659e69b3d78308edee2ab3938216')!;
  assert.deepEqual(reduce.inputs, [{ channels: 1, partitionType: 'PIPELINED' }]);
  assert.deepEqual(reduce.outputs, [{ subpartitions: 1, partitionType: 'PIPELINED' }]);
  assert.equal(p.vertices.find((v) => v.id === '17d2df51e7b6a30312fd798798a11b86')!.inputs[0]!.shipStrategy, 'Forward');
});

test('REST plan object (Flink\'s own JsonPlanGenerator test output): FORWARD edges between job vertices are network edges', () => {
  const p = plan('rest-plan-table-statement-set.json');
  assert.equal(p.shape, 'rest-plan');
  assert.equal(p.vertices.length, 4);
  const tasks = tasksFromPlan(p, STREAMING);
  const withInputs = tasks.filter((t) => t.inputs.length > 0);
  assert.equal(withInputs.length, 2);
  for (const t of withInputs) assert.deepEqual(t.inputs, [{ channels: 1, partitionType: 'PIPELINED_BOUNDED' }]);
});

test('getExecutionPlan() of the 1.7 word count: forward edges chain into two tasks joined by one HASH exchange', () => {
  const p = plan('execution-plan-flink-1.7.2-wordcount.json');
  assert.equal(p.shape, 'execution-plan');
  assert.equal(p.chained, 3);
  assert.equal(p.vertices.length, 2);
  const tasks = tasksFromPlan(p, STREAMING);
  const [source, window] = tasks;
  assert.equal(source!.name, 'Source: Socket Stream -> Flat Map -> Map');
  assert.deepEqual(source!.outputs, [{ subpartitions: 1, partitionType: 'PIPELINED_BOUNDED' }]);
  assert.match(window!.name, /^Window\(TumblingProcessingTimeWindows\(3000\).* -> Sink: Print to Std. Out$/);
  assert.deepEqual(window!.inputs, [{ channels: 1, partitionType: 'PIPELINED_BOUNDED' }]);
});

test('getExecutionPlan() from the SQL EXPLAIN docs: an operator with two inputs does not chain; batch mode makes the exchanges BLOCKING', () => {
  const p = plan('execution-plan-sql-explain-docs.json');
  assert.equal(p.vertices.length, 3);
  assert.equal(p.chained, 1);
  const batch = tasksFromPlan(p, { runtimeMode: 'BATCH', batchShuffleMode: 'ALL_EXCHANGES_BLOCKING' });
  const agg = batch.find((t) => t.vertex === '22')!;
  assert.deepEqual(agg.inputs, [
    { channels: 1, partitionType: 'BLOCKING' },
    { channels: 1, partitionType: 'BLOCKING' },
  ]);
  assert.deepEqual(batch.find((t) => t.vertex === '17')!.outputs, [{ subpartitions: 1, partitionType: 'BLOCKING' }]);
  assert.deepEqual(batch.find((t) => t.vertex === '19')!.outputs, [{ subpartitions: 1, partitionType: 'BLOCKING' }]);
});

test('channels and subpartitions per edge: all-to-all uses the other side\'s parallelism, pointwise the ratio', () => {
  const text = JSON.stringify({
    nodes: [
      { id: 1, parallelism: 4 },
      { id: 2, parallelism: 2, predecessors: [{ id: 1, ship_strategy: 'RESCALE' }] },
      { id: 3, parallelism: 5, predecessors: [{ id: 2, ship_strategy: 'REBALANCE' }] },
      { id: 4, parallelism: 10, predecessors: [{ id: 3, ship_strategy: 'RESCALE' }] },
      { id: 5, parallelism: 10, predecessors: [{ id: 4, ship_strategy: 'BROADCAST' }] },
    ],
  });
  const tasks = tasksFromPlan(parseJobPlan(text, 'inline'), STREAMING);
  const t = (id: string) => tasks.find((x) => x.vertex === id)!;
  assert.deepEqual(t('2').inputs, [{ channels: 2, partitionType: 'PIPELINED_BOUNDED' }]); // 4 → 2: two upstream subtasks each
  assert.deepEqual(t('1').outputs, [{ subpartitions: 1, partitionType: 'PIPELINED_BOUNDED' }]);
  assert.deepEqual(t('3').inputs, [{ channels: 2, partitionType: 'PIPELINED_BOUNDED' }]); // all-to-all from 2 subtasks
  assert.deepEqual(t('2').outputs, [{ subpartitions: 5, partitionType: 'PIPELINED_BOUNDED' }]);
  assert.deepEqual(t('4').inputs, [{ channels: 1, partitionType: 'PIPELINED_BOUNDED' }]); // 5 → 10: one upstream each
  assert.deepEqual(t('3').outputs, [{ subpartitions: 2, partitionType: 'PIPELINED_BOUNDED' }]);
  assert.deepEqual(t('5').inputs, [{ channels: 10, partitionType: 'PIPELINED_BOUNDED' }]);
});

test('a FORWARD edge into an operator of another parallelism is not chained', () => {
  const text = JSON.stringify({ nodes: [{ id: 'a', parallelism: 2 }, { id: 'b', parallelism: 4, predecessors: [{ id: 'a', ship_strategy: 'FORWARD' }] }] });
  const p = parseJobPlan(text, 'inline');
  assert.equal(p.vertices.length, 2);
  assert.equal(p.chained, 0);
});

test('exchange types for plans that do not name them follow the runtime and batch shuffle modes', () => {
  assert.equal(defaultPartitionType(STREAMING), 'PIPELINED_BOUNDED');
  assert.equal(defaultPartitionType({ runtimeMode: 'AUTOMATIC', batchShuffleMode: 'ALL_EXCHANGES_BLOCKING' }), 'PIPELINED_BOUNDED');
  assert.equal(defaultPartitionType({ runtimeMode: 'BATCH', batchShuffleMode: 'ALL_EXCHANGES_BLOCKING' }), 'BLOCKING');
  assert.equal(defaultPartitionType({ runtimeMode: 'BATCH', batchShuffleMode: 'ALL_EXCHANGES_PIPELINED' }), 'PIPELINED_BOUNDED');
  assert.equal(defaultPartitionType({ runtimeMode: 'BATCH', batchShuffleMode: 'ALL_EXCHANGES_HYBRID_FULL' }), 'HYBRID_FULL');
  assert.equal(defaultPartitionType({ runtimeMode: 'BATCH', batchShuffleMode: 'ALL_EXCHANGES_HYBRID_SELECTIVE' }), 'HYBRID_SELECTIVE');
});

test('a job from its parallelism: source, one keyBy per shuffle, all vertices at that parallelism', () => {
  const tasks = tasksFromPlan(linearJobPlan(6, 2), STREAMING);
  assert.equal(tasks.length, 3);
  assert.deepEqual(tasks[0]!.outputs, [{ subpartitions: 6, partitionType: 'PIPELINED_BOUNDED' }]);
  assert.deepEqual(tasks[1]!.inputs, [{ channels: 6, partitionType: 'PIPELINED_BOUNDED' }]);
  assert.deepEqual(tasks[1]!.outputs, [{ subpartitions: 6, partitionType: 'PIPELINED_BOUNDED' }]);
  assert.deepEqual(tasks[2]!.outputs, []);
});

const rejects = (text: string, pattern: RegExp) => assert.throws(() => parseJobPlan(text, 'job.json'), (e: unknown) => e instanceof PlanError && pattern.test(e.message));

test('input that is not a plan gets a one-line message naming the file and what was expected', () => {
  rejects('{"nodes": [', /^job\.json: not valid JSON \(.*\); expected the JSON of getExecutionPlan\(\)/);
  rejects('[1, 2]', /^job\.json: not a Flink execution plan: expected/);
  rejects(fixture('not-a-plan-rest-overview.json'), /^job\.json: not a Flink execution plan \(no "nodes" array\)/);
  rejects(fixture('rest-job-details-empty-plan.json'), /^job\.json: the plan has no nodes/);
  rejects('{"nodes": [{"id": 1}]}', /^job\.json: nodes\[0\] \(id 1\) has no integer "parallelism"$/);
  rejects('{"nodes": [{"parallelism": 1}]}', /^job\.json: nodes\[0\] has no "id"$/);
  rejects('{"nodes": [{"id": 1, "parallelism": -1}]}', /parallelism -1: the plan does not fix it yet/);
  rejects('{"nodes": [{"id": 2, "parallelism": 1, "predecessors": [{"id": 9, "ship_strategy": "HASH"}]}]}', /node 2 reads from node 9, which is not in the plan/);
  rejects('{"nodes": [{"id": 1, "parallelism": 1}, {"id": 1, "parallelism": 2}]}', /node id 1 appears twice/);
  for (const bad of ['{"nodes": [', '[1, 2]', '{"nodes": [{"id": 1}]}']) {
    try {
      parseJobPlan(bad, 'job.json');
    } catch (e) {
      assert.ok(!(e as Error).message.includes('\n'));
    }
  }
});

test('an unknown exchange name in a REST plan is reported', () => {
  const text = JSON.stringify({ plan: { nodes: [{ id: 'a', parallelism: 1 }, { id: 'b', parallelism: 1, inputs: [{ id: 'a', ship_strategy: 'HASH', exchange: 'telepathic' }] }] } });
  assert.throws(() => tasksFromPlan(parseJobPlan(text, 'x'), STREAMING), /unknown exchange 'telepathic'/);
});
