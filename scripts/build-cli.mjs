// Bundles the `seici` command line into CommonJS files under dist/seici/, so that it starts
// without Node's ES module loader and without resolving and reading a few hundred small files:
//
//   dist/seici/core.cjs       cli/program.ts and everything it imports statically (the command
//                             table, output, commander), one instance shared by every bundle
//   dist/seici/main.cjs       cli/main.ts, the `seici` bin: runs the program from core.cjs
//   dist/seici/<command>.cjs  one bundle per command module of cli/commands/index.ts, required
//                             only when that command runs; it takes the core's modules from
//                             core.cjs (so `instanceof InputError`, commander's classes and
//                             `LazyList` mean the same thing everywhere) and bundles the rest of
//                             our own code; npm packages are required from node_modules as they are.
//   dist/seici/*.cjs.cache    V8's code cache of core.cjs and efa.cjs, saved after a representative
//                             run of scripts/code-cache-run.mjs (cli/code_cache.ts); each bundle
//                             ends with its content hash, which its cache must name.
//
// It then replaces tsc's dist/cli/main.js with a two-line ES module that requires main.cjs, so
// that `node dist/cli/main.js` (README, CI, tests) runs the bundle too. The next bare `tsc`
// writes its own dist/cli/main.js again, which runs the unbundled modules it just compiled: the
// bundle never runs stale code through dist/cli/main.js. `npm run build` runs this after tsc.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const final = join(root, 'dist', 'seici');
// built beside it, then put in its place: a `seici` running meanwhile never sees half a bundle
const out = `${final}.next`;
const tableFile = join(root, 'cli', 'commands', 'index.ts');

/** The options every bundle is built with: CommonJS for Node 20. */
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.cjs' },
  // an import() of another file would start Node's ES module loader: require it instead
  supported: { 'dynamic-import': false },
  // server/paths.ts finds the project from its own location: in a bundle, the bundle's. The URL
  // is made when first read, not as each bundle loads: the first pathToFileURL of a process costs
  // ≈ 0.7 ms, and `seici efa` (main, core, efa) reads none (issue 15).
  // "use strict" first, as the ES modules the sources are (esbuild's own comes after the banner).
  define: { 'import.meta.url': '__seiciImportMeta.url' },
  banner: { js: '"use strict";\nvar __seiciImportMeta = { get url() { return require("node:url").pathToFileURL(__filename).href; } };' },
  sourcemap: 'linked',
  // half the bytes for Node to read and V8 to pre-parse at every start (core.cjs 143 → 71 KB,
  // ≈ 3–4 ms of CPU, issue 16); names are kept, so a stack trace (SEICI_DEBUG) still reads
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  // any other use of import.meta (dirname, resolve) would be empty in CommonJS: fail the build instead
  logOverride: { 'empty-import-meta': 'error' },
  absWorkingDir: root,
};

/**
 * commander requires node:child_process when it loads (≈ 10–30 ms), for executable subcommands,
 * which seici has none of: hand it a stand-in that loads the real module on first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (args.importer.includes(`${join('node_modules', 'commander')}`) ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: 'let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require("node:child_process"))[k] });',
      loader: 'js',
    }));
  },
};

/** The command table's `import('./x.js')` become `require('./x.cjs')` of the command's bundle. */
const commandBundles = {
  name: 'command-bundles',
  setup(b) {
    b.onResolve({ filter: /^\.\/[^/]+\.js$/ }, (args) => {
      if (args.kind !== 'dynamic-import' || args.importer !== tableFile) return undefined;
      return { path: `./${args.path.slice(2, -3)}.cjs`, external: true };
    });
  },
};

// 1. The core: what cli/program.ts imports statically, found by esbuild itself.
const probe = await build({
  ...common,
  entryPoints: [join(root, 'cli', 'program.ts')],
  write: false,
  outdir: out,
  metafile: true,
  plugins: [commandBundles, lazyChildProcess],
  sourcemap: false,
});
const coreInputs = Object.keys(probe.metafile.inputs).filter((p) => !p.includes('node_modules/') && !p.includes(':'));
const corePackages = [...new Set(Object.keys(probe.metafile.inputs).filter((p) => p.includes('node_modules/')).map((p) => p.split('node_modules/')[1].split('/')[0]))];
if (!corePackages.every((p) => p === 'commander')) throw new Error(`the CLI core imports packages besides commander: ${corePackages.join(', ')}`);

// the command modules: the table's import()s, which the probe left out as bundles to require
const tableKey = relative(root, tableFile);
const commands = probe.metafile.inputs[tableKey].imports.filter((i) => i.external && i.kind === 'dynamic-import').map((i) => i.path.slice(2, -4));
if (commands.length === 0) throw new Error(`no command module found in ${tableKey}`);

const coreKeys = new Map(coreInputs.map((p) => [join(root, p), p]));
const coreEntry = [
  ...coreInputs.map((p, i) => `import * as m${i} from ${JSON.stringify(join(root, p))};`),
  "import * as commander from 'commander';",
  `export const modules = { ${coreInputs.map((p, i) => `${JSON.stringify(p)}: m${i}`).join(', ')}, commander };`,
].join('\n');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  ...common,
  stdin: { contents: coreEntry, resolveDir: root, sourcefile: 'seici-core.js', loader: 'js' },
  outfile: join(out, 'core.cjs'),
  plugins: [commandBundles, lazyChildProcess],
});

/** In main and the command bundles, a core module or commander is taken from core.cjs. */
const fromCore = {
  name: 'from-core',
  setup(b) {
    b.onResolve({ filter: /^commander$/ }, () => ({ path: 'commander', namespace: 'seici-core' }));
    b.onResolve({ filter: /^\.\/core\.cjs$/ }, (args) => (args.namespace === 'seici-core' ? { path: args.path, external: true } : undefined));
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const key = coreKeys.get(resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts'));
      return key === undefined ? undefined : { path: key, namespace: 'seici-core' };
    });
    b.onLoad({ filter: /.*/, namespace: 'seici-core' }, (args) => ({
      contents: `module.exports = require("./core.cjs").modules[${JSON.stringify(args.path)}];`,
      loader: 'js',
    }));
  },
};

await build({
  ...common,
  entryPoints: { main: join(root, 'cli', 'main.ts'), ...Object.fromEntries(commands.map((c) => [c, join(root, 'cli', 'commands', `${c}.ts`)])) },
  outdir: out,
  packages: 'external',
  plugins: [fromCore],
});
chmodSync(join(out, 'main.cjs'), 0o755);

// 2. Each bundle's content hash at its end (BUNDLE_ID_PREFIX of cli/code_cache.ts), then the code
// caches, written by a fresh Node that runs the bundles as a user would. NODE_OPTIONS is left out:
// V8 flags in it would be part of the caches' check, and a user's `seici` starts without them.
for (const name of readdirSync(out).filter((f) => f.endsWith('.cjs'))) {
  const text = readFileSync(join(out, name), 'utf8');
  appendFileSync(join(out, name), `// seici-bundle ${createHash('sha256').update(text).digest('hex').slice(0, 16)}\n`);
}
const scratch = mkdtempSync(join(tmpdir(), 'seici-code-cache-'));
try {
  const runner = join(scratch, 'code-cache-run.cjs');
  await build({ ...common, entryPoints: [join(root, 'scripts', 'code-cache-run.mjs')], outfile: runner, sourcemap: false });
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS'));
  const run = spawnSync(process.execPath, [runner, out, scratch], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (run.status !== 0) throw new Error(`the code cache run (scripts/code-cache-run.mjs) failed with status ${run.status ?? run.signal}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
rmSync(final, { recursive: true, force: true });
renameSync(out, final);

// 3. `node dist/cli/main.js` runs the bundle.
const shim = join(root, 'dist', 'cli', 'main.js');
mkdirSync(dirname(shim), { recursive: true });
writeFileSync(
  shim,
  [
    '#!/usr/bin/env node',
    '// Written by scripts/build-cli.mjs: runs the bundled CLI (dist/seici/main.cjs). A bare `tsc` writes the unbundled entry here again.',
    "import { createRequire } from 'node:module';",
    "createRequire(import.meta.url)('../seici/main.cjs');",
    '',
  ].join('\n'),
);
chmodSync(shim, 0o755);
console.log(`seici CLI bundle: ${relative(root, final)} (core of ${coreInputs.length} modules, ${commands.length} commands)`);
