#!/usr/bin/env node
import { runCli } from './program.js';

// no top-level await: scripts/build-cli.mjs bundles this file as CommonJS
void runCli(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
