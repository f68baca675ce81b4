#!/usr/bin/env node
import { ConfigError, readConfig } from './config.js';
import { startServer } from './start.js';

/** `npm start`: serves seici with the configuration of the environment (shared/CONTRACT.md). */
let config;
try {
  config = readConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`seici: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
const running = await startServer(config);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
