// The representative run after which scripts/build-cli.mjs saves the bundles' V8 code caches
// (cli/code_cache.ts). Bundled by build-cli.mjs with cli/code_cache.ts and run in a fresh Node:
//
//   node code-cache-run.cjs <bundle directory> <scratch directory>
//
// It loads the bundles of <bundle directory> through the code cache's loader, runs `seici`
// in-process on a small simulated panel, the way users run it, and writes the caches of the
// bundles in CACHED: each then holds the bytecode of every function the runs compiled.
import v8 from 'node:v8';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { useCodeCache } from '../cli/code_cache.ts';

/** The bundles whose cache this run writes: the core and `seici efa` (issue 15). */
const CACHED = ['core.cjs', 'efa.cjs'];

const [directory, scratch] = process.argv.slice(2);
// V8 accepts cached data only under the flags it was made with; efa sets --no-opt and the flags of
// its WebAssembly compilers for its analysis, after its bundle has loaded: made under those, every
// later start would reject the caches. The flags change how fast code runs, never which functions run.
v8.setFlagsFromString = () => {};
const cache = useCodeCache(directory, true);
const { runCli } = createRequire(join(directory, 'core.cjs'))('./core.cjs').modules['cli/program.ts'];

async function run(argv) {
  const status = await runCli(argv);
  if (status !== 0) throw new Error(`seici ${argv.join(' ')} ended with status ${status}`);
}

async function main() {
  // 108 seven-point items (twelve per cell), 400 respondents in one wave
  await run(['simulate', '--out', scratch, '--waves', 'W1', '--units-per-context', '10', '--unit-size', '40', '--items-per-cell', '12', '--seed', '1']);
  const csv = join(scratch, 'panel.csv');
  const items = readFileSync(csv, 'utf8').split('\n', 1)[0].split(',').filter((c) => /^[SRT]x[ACV]_\d+$/.test(c));
  if (items.length !== 108) throw new Error(`the simulated panel has ${items.length} items, not 108`);
  // efa compiles its kernels one way below 100 items, another from there: both, on 36 and 108 items
  const few = ['efa', '--csv', csv, '--items', items.filter((c) => Number(c.split('_')[1]) <= 4).join(','), '--nfactors', '9'];
  const many = ['efa', '--csv', csv, '--items', items.join(','), '--nfactors', '9'];
  await run([...few, '--json']);
  await run([...few, '--fm', 'ml']);
  await run([...few, '--fm', 'pa', '--json']);
  await run([...many, '--json']);
  await run(['efa', '--help']);
  await run(['--help']);
  const written = cache.write(CACHED);
  if (written.length !== CACHED.length) throw new Error(`code caches written for ${written.join(', ')} only, not all of ${CACHED.join(', ')}`);
}

// bundled as CommonJS: no top-level await
main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
