import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useCodeCache } from './code_cache.js';

// Imported by cli/main.ts before anything else: the bundles beside the running main.cjs (the
// `seici` bin) load through their code cache, where the build wrote one (cli/code_cache.ts).
// Unbundled (dist/cli/main.js after a bare tsc) the directory holds no bundle and nothing changes.
useCodeCache(dirname(fileURLToPath(import.meta.url)));
