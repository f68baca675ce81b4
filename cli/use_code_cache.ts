import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useCodeCache } from './code_cache.js';

// Imported by cli/main.ts before anything else: the bundles beside the running main.cjs (the
// `seici` bin) load through their code cache, where the build wrote one (cli/code_cache.ts).
// Unbundled (dist/cli/main.js after a bare tsc) the directory holds no bundle and nothing changes.
// Bundled (CommonJS) the directory is __dirname, which spares the URL of import.meta.url.
useCodeCache(typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url)));
