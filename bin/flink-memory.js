#!/usr/bin/env node
import { runCli } from '../dist/src/cli/main.js';
import { processIo } from '../dist/src/cli/io.js';

process.exitCode = await runCli(process.argv.slice(2), processIo());
