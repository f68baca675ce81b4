import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_ID_PREFIX, cacheFile } from '../../cli/code_cache.js';
import { collected, FIXTURES, PROJECT_ROOT, type ChildRun } from '../helpers/cli.js';

/** The bundles of the `seici` bin (`npm test` builds them, scripts/build-cli.mjs writes the code caches). */
const BUNDLES = resolve(PROJECT_ROOT, 'dist/seici');

/** Loaded with `node -r` before the bin: reports on stderr, at exit, each script compiled through `vm.Script` and whether V8 took its cached data. */
const SPY = `const vm = require('node:vm');
const { Script } = vm;
vm.Script = class extends Script {
  constructor(code, options) {
    super(code, options);
    const name = require('node:path').basename(options.filename);
    process.on('exit', () => process.stderr.write('code cache ' + name + ' ' + (options.cachedData === undefined ? 'none' : this.cachedDataRejected ? 'rejected' : 'accepted') + '\\n'));
  }
};
`;

const BIG5 = ['A', 'C', 'E', 'N', 'O'].flatMap((t) => [1, 2, 3, 4, 5].map((i) => `${t}${i}`)).join(',');
const efa = ['efa', '--csv', 'bfi.csv', '--items', BIG5, '--nfactors', '5', '--json'];

let scratch: string;
let spy: string;

function run(directory: string, args: readonly string[], nodeOptions: readonly string[] = []): Promise<ChildRun> {
  // as a user starts it: V8 flags in NODE_OPTIONS would make V8 reject the caches (the build leaves them out too)
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS'));
  return collected(spawn(process.execPath, [...nodeOptions, '-r', spy, join(directory, 'main.cjs'), ...args], { cwd: FIXTURES, env, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** The lines of the spy: which bundle was compiled with which outcome. */
const cacheUse = (r: ChildRun) => r.stderr.split('\n').filter((l) => l.startsWith('code cache '));

/** A copy of main.cjs, core.cjs and efa.cjs (which need no npm package) in a directory of its own, with their caches if `caches`. */
function copyBundles(name: string, caches: boolean): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  for (const bundle of ['main.cjs', 'core.cjs', 'efa.cjs']) {
    copyFileSync(join(BUNDLES, bundle), join(dir, bundle));
    if (caches && bundle !== 'main.cjs') copyFileSync(cacheFile(join(BUNDLES, bundle)), cacheFile(join(dir, bundle)));
  }
  return dir;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'seici-code-cache-test-'));
  spy = join(scratch, 'spy.cjs');
  writeFileSync(spy, SPY);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the code caches of the bundled seici (cli/code_cache.ts)', () => {
  it('the build writes caches of core.cjs and efa.cjs that V8 accepts', async () => {
    const r = await run(BUNDLES, efa);
    expect(r.status).toBe(0);
    expect(cacheUse(r)).toEqual(['code cache core.cjs accepted', 'code cache efa.cjs accepted']);
  });

  it('a command writes byte for byte what it writes without them', async () => {
    const [cached, plain] = await Promise.all([run(BUNDLES, efa), run(copyBundles('plain', false), efa)]);
    expect(cacheUse(plain)).toEqual([]);
    expect(plain.status).toBe(0);
    expect(cached.stdout).toBe(plain.stdout);
    expect(JSON.parse(cached.stdout).nfactors).toBe(5);
  });

  it('a cache made for another build of the bundle, of the same length, is not used', async () => {
    // what V8 checks of the source is its length: only the bundle's content hash tells the builds apart
    const dir = copyBundles('rebuilt', true);
    const file = join(dir, 'efa.cjs');
    const text = readFileSync(file, 'utf8');
    const body = text.slice(0, text.lastIndexOf(BUNDLE_ID_PREFIX)).replace('Exploratory factor analysis as psych::fa', 'EXPLORATORY FACTOR ANALYSIS AS PSYCH::FA');
    const id = createHash('sha256').update(body).digest('hex').slice(0, 16);
    writeFileSync(file, `${body}${BUNDLE_ID_PREFIX}${id}\n`);
    expect(readFileSync(file, 'utf8').length).toBe(text.length);
    const r = await run(dir, ['efa', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('EXPLORATORY FACTOR ANALYSIS AS PSYCH::FA');
    expect(cacheUse(r)).toEqual(['code cache core.cjs accepted']);
  });

  it('cached data V8 rejects, or V8 flags other than the build\'s, mean a normal compile and the same output', async () => {
    const dir = copyBundles('rejected', true);
    const cache = cacheFile(join(dir, 'efa.cjs'));
    const bytes = readFileSync(cache);
    const header = bytes.indexOf(10) + 1;
    writeFileSync(cache, Buffer.concat([bytes.subarray(0, header), Buffer.alloc(bytes.length - header, 0x5a)]));
    const [reference, corrupt, flagged] = await Promise.all([run(BUNDLES, efa), run(dir, efa), run(BUNDLES, efa, ['--no-opt'])]);
    expect(cacheUse(corrupt)).toEqual(['code cache core.cjs accepted', 'code cache efa.cjs rejected']);
    expect(cacheUse(flagged)).toEqual(['code cache core.cjs rejected', 'code cache efa.cjs rejected']);
    expect(corrupt.stdout).toBe(reference.stdout);
    expect(flagged.stdout).toBe(reference.stdout);
  });

  it('with source maps on, the bundles load as Node loads them, so that stack traces name the TypeScript sources', async () => {
    const r = await run(BUNDLES, ['efa', '--help'], ['--enable-source-maps']);
    expect(r.status).toBe(0);
    expect(cacheUse(r)).toEqual([]);
  });
});
