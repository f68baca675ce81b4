#!/usr/bin/env node
import { ConfigError, readConfig } from './config.js';
import { runServer } from './cluster.js';
import { loadResponseKey } from './response_key.js';

/** `npm start`: serves seici with the configuration of the environment (shared/CONTRACT.md); SEICI_PROCESSES > 1 runs a cluster (server/cluster.ts). */
let config;
try {
  config = readConfig();
  // Read (or created) before any process starts, so a missing key is one sentence, not a stack trace.
  loadResponseKey(config);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`seici: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
await runServer(config);
