#!/usr/bin/env node
// first: the bundles that follow load through their code cache
import './use_code_cache.js';
import { runCli } from './program.js';

// no top-level await: scripts/build-cli.mjs bundles this file as CommonJS
void runCli(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
