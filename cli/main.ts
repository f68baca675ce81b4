#!/usr/bin/env node
// first: the bundles that follow load through their code cache
import './use_code_cache.js';
import { keepsRunning, runCli } from './program.js';

const argv = process.argv.slice(2);
// no top-level await: scripts/build-cli.mjs bundles this file as CommonJS
void runCli(argv).then((status) => {
  process.exitCode = status;
  // Every command but the server has finished its work (its output written synchronously, its
  // files and databases closed) when runCli resolves, so the process ends here. Left to end by
  // itself, Node first waits for every task V8 gave its worker threads, such as WebAssembly
  // functions still being recompiled by TurboFan; that wait once never ended (Node 20.20: the main
  // thread in NodePlatform::DrainTasks, every worker idle; an `invariance` run in CI, 30 Nov 2026).
  if (!keepsRunning(argv)) process.exit(status);
});
