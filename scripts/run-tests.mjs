#!/usr/bin/env node
// Runs every compiled `*.test.js` under dist/test with Node's test runner.
// Why not `node --test dist/test/`: Node treats every .js below a `test` folder as a test file,
// so helpers and manual tools would run too; and a test that read stdin would hang CI forever.
// Here stdin is closed and each test has a timeout, so a mistake fails instead of hanging.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = 'dist/test';
const only = process.argv.slice(2);

function collect(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...collect(path));
    else if (entry.name.endsWith('.test.js')) found.push(path);
  }
  return found;
}

const files = collect(root)
  .filter((file) => only.length === 0 || only.some((part) => relative(root, file).includes(part)))
  .sort();
if (files.length === 0) {
  console.error(`no test files under ${root}${only.length ? ` matching ${only.join(', ')}` : ''}`);
  process.exit(1);
}
const child = spawn(process.execPath, ['--test', '--test-timeout=300000', ...files], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
