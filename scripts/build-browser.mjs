// Builds the browser analysis page (web/analyse/) into a folder that any static host can serve:
// index.html, analyse.css, page.js and worker.js (the analysis/ library and Vega, bundled by
// esbuild for the browser). `npm run build` writes dist/web/analyse, which the server serves at
// /analyse/; `node scripts/build-browser.mjs --out DIR` writes the same files elsewhere.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--out');
const out = at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]) : join(root, 'dist', 'web', 'analyse');
const source = join(root, 'web', 'analyse');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { page: join(source, 'page.ts'), worker: join(source, 'worker.ts') },
  outdir: out,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  // analysis/ must not reach for Node: esbuild fails on a node: import when bundling for the browser
});
for (const file of ['index.html', 'analyse.css']) copyFileSync(join(source, file), join(out, file));
console.log(`browser analysis page: ${out}`);
