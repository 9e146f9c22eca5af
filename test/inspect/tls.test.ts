import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runCliCaptured } from '../cli/cli-harness.js';
import type { InspectJson } from '../../src/inspect/result.js';
import { clusterRoutes, fixture, startReplay } from './replay-server.js';

test('HTTPS with a private CA: refused without --ca-file, inspected with it', async () => {
  const server = await startReplay(clusterRoutes(), { key: fixture('tls/key.pem'), cert: fixture('tls/cert.pem') });
  try {
    const without = await runCliCaptured(['inspect', '--rest', server.url, '--format', 'json', '--retries', '0', '--timeout', '2000']);
    const failed = (JSON.parse(without.stdout) as InspectJson).clusters[0]!;
    assert.equal(failed.taskManagers.length, 0);
    assert.match(failed.errors[0]!.message, /^connection failed: .*(self.signed|certificate)/i);
    const ca = fileURLToPath(new URL('../../../test/fixtures/rest/tls/cert.pem', import.meta.url));
    const run = await runCliCaptured(['inspect', '--rest', server.url, '--format', 'json', '--ca-file', ca, '--timeout', '2000']);
    const c = (JSON.parse(run.stdout) as InspectJson).clusters[0]!;
    assert.deepEqual(c.errors, []);
    assert.equal(c.taskManagers[0]!.used.heapUsed, '180355072');
    const bad = await runCliCaptured(['inspect', '--rest', server.url, '--ca-file', fileURLToPath(import.meta.url)]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /holds no PEM certificate\n$/);
  } finally {
    await server.close();
  }
});
