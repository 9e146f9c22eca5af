import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigLoadError, usesYarn, yarnContainerFor, yarnSchedulerSettings } from '../../src/config/index.js';

const MiB = 1024n * 1024n;
const defaults = yarnSchedulerSettings({});

test('a configuration is for YARN when its target or any option says so', () => {
  assert.equal(usesYarn({}), false);
  assert.equal(usesYarn({ 'taskmanager.memory.process.size': '4g' }), false);
  assert.equal(usesYarn({ 'execution.target': 'yarn-application' }), true);
  assert.equal(usesYarn({ 'execution.target': 'kubernetes-application' }), false);
  assert.equal(usesYarn({ 'yarn.application.queue': 'etl' }), true);
  assert.equal(usesYarn({ 'flink.yarn.scheduler.minimum-allocation-mb': '512' }), true);
});

test("scheduler settings: flink.yarn.* wins over yarn.*, else Hadoop's defaults", () => {
  assert.deepStrictEqual(defaults, { minAllocationMb: 1024n, maxAllocationMb: 8192n, minSource: 'default', maxSource: 'default' });
  assert.deepStrictEqual(
    yarnSchedulerSettings({ 'yarn.scheduler.minimum-allocation-mb': '256', 'flink.yarn.scheduler.minimum-allocation-mb': ' 512 ', 'yarn.scheduler.maximum-allocation-mb': '65536' }),
    { minAllocationMb: 512n, maxAllocationMb: 65536n, minSource: 'flink.yarn.scheduler.minimum-allocation-mb', maxSource: 'yarn.scheduler.maximum-allocation-mb' },
  );
  for (const bad of ['1g', '0', '', '1.5']) {
    assert.throws(
      () => yarnSchedulerSettings({ 'yarn.scheduler.minimum-allocation-mb': bad }),
      (e: unknown) => e instanceof ConfigLoadError && e.message === `yarn.scheduler.minimum-allocation-mb: expected a whole number of MB of at least 1, found '${bad}'`,
    );
  }
});

test('the container is the process size in whole MiB rounded up to a multiple of the minimum allocation', () => {
  // Flink logs these very numbers: "The configured TaskManager memory is 1728 MB. YARN will allocate
  // 2048 MB ... (1024 MB, configured via 'yarn.scheduler.minimum-allocation-mb'). The extra 320 MB ..."
  assert.deepStrictEqual(yarnContainerFor(1728n * MiB, defaults), {
    requestedMb: 1728n,
    allocatedMb: 2048n,
    allocatedBytes: 2048n * MiB,
    exceedsMaximum: false,
    settings: defaults,
  });
  assert.equal(yarnContainerFor(1600n * MiB, defaults).allocatedMb, 2048n); // JobManager default: 448 MB extra
  const min128 = yarnSchedulerSettings({ 'yarn.scheduler.minimum-allocation-mb': '128' });
  assert.equal(yarnContainerFor(1600n * MiB, min128).allocatedMb, 1664n); // 13 x 128
  assert.equal(yarnContainerFor(1728n * MiB, min128).allocatedMb, 1792n); // 14 x 128
  const min512 = yarnSchedulerSettings({ 'yarn.scheduler.minimum-allocation-mb': '512' });
  assert.equal(yarnContainerFor(1728n * MiB, min512).allocatedMb, 2048n);
  assert.equal(yarnContainerFor(4096n * MiB, defaults).allocatedMb, 4096n); // already a multiple
});

test('a fraction of a MiB is dropped from the request, so the process can outgrow its container', () => {
  const container = yarnContainerFor(2048n * MiB + MiB / 2n, defaults);
  assert.equal(container.requestedMb, 2048n);
  assert.equal(container.allocatedBytes, 2048n * MiB);
  assert.equal(yarnContainerFor(0n, defaults).allocatedMb, 1024n); // never less than one minimum allocation
});

test('a request above the maximum allocation is one Flink refuses to deploy', () => {
  assert.equal(yarnContainerFor(8192n * MiB, defaults).exceedsMaximum, false);
  assert.equal(yarnContainerFor(8193n * MiB, defaults).exceedsMaximum, true);
  assert.equal(yarnContainerFor(16384n * MiB, yarnSchedulerSettings({ 'flink.yarn.scheduler.maximum-allocation-mb': '16384' })).exceedsMaximum, false);
});
