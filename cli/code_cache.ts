/**
 * V8's code cache for the bundled `seici` (dist/seici/*.cjs, scripts/build-cli.mjs): the bytecode of
 * a bundle's functions, saved at build time after a representative run, so that a later process
 * deserialises it instead of parsing and compiling each function the first time it runs. A cold
 * `seici efa` otherwise spends ≈ 10 ms of its ≈ 60 ms of JavaScript compiling (issue 15).
 *
 * Node 20 has no compile cache of its own for CommonJS (`module.enableCompileCache` came in 22.1,
 * and it saves a script's cache when the script is compiled, before any of its functions has run),
 * so {@link useCodeCache} takes over the loading of the bundles that have one: `require` still
 * finds, caches and names them (Module._load, require.cache, NODE_DEBUG=module); only the compile
 * step goes through `vm.Script` with the cached data, as Node's own loader did before 12.
 *
 * A cache file, `<bundle>.cache`, is a header line `seici-code-cache <id>` and V8's data. `<id>` is
 * the content hash the build appends to the bundle (`// seici-bundle <id>`): V8 itself checks
 * only the source's length, its own version and its flags, and would run a stale cache of a
 * changed bundle of the same length. Any mismatch, a missing or unreadable cache, or cached data
 * that V8 rejects (another Node, other V8 flags such as --no-opt on the command line) means the
 * bundle is compiled from its text as usual; nothing is ever written at run time. With Node's
 * source maps on (--enable-source-maps) the usual loader runs, so that stack traces map to the
 * TypeScript sources.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type { Script } from 'node:vm';

/** The first bytes of a cache file, before the bundle's id and a newline. */
const MAGIC = 'seici-code-cache ';
/** The comment the build appends to each bundle: its content hash, which the cache must name. */
export const BUNDLE_ID_PREFIX = '// seici-bundle ';

type LoadBundle = (module: Module, filename: string) => void;
/** The loader's table of file extensions (`require.extensions`), which Node still honours. */
const extensions = (Module as unknown as { _extensions: Record<string, LoadBundle> })._extensions;

/** The path of `bundle`'s cache file. */
export function cacheFile(bundle: string): string {
  return `${bundle}.cache`;
}

/** The cached data for `text`, the bundle read from `filename`, or null if it has no usable cache. */
function readCache(filename: string, text: string): Buffer | null {
  let file: Buffer;
  try {
    file = readFileSync(cacheFile(filename));
  } catch (err) {
    // no cache (a build without one, a copied bundle) or not readable: compile as usual
    if (typeof (err as NodeJS.ErrnoException).code === 'string') return null;
    throw err;
  }
  const newline = file.indexOf(10);
  if (newline < 0 || file.toString('latin1', 0, MAGIC.length) !== MAGIC) return null;
  const id = file.toString('latin1', MAGIC.length, newline);
  return text.endsWith(`${BUNDLE_ID_PREFIX}${id}\n`) ? file.subarray(newline + 1) : null;
}

/** What {@link useCodeCache} returns: with `train`, writes the caches of the bundles loaded so far. */
export interface CodeCache {
  /** Writes `<bundle>.cache` for each bundle of `names` (file names in the directory) this process loaded; returns the names written. */
  write(names: readonly string[]): string[];
}

/**
 * Loads the CommonJS files of `directory` that have a cache (see above) through V8's code cache;
 * every other file loads as before. With `train` (the build's representative runs), every file of
 * the directory is compiled this way, with or without a cache, so that {@link CodeCache.write}
 * can save each one's functions as they stand after the run.
 */
export function useCodeCache(directory: string, train = false): CodeCache {
  const loaded = new Map<string, Script>();
  const previous = extensions['.cjs'] ?? extensions['.js'];
  extensions['.cjs'] = (module, filename) => {
    if (dirname(filename) !== directory || process.sourceMapsEnabled) return previous(module, filename);
    const text = readFileSync(filename, 'utf8');
    const cachedData = readCache(filename, text);
    if (cachedData === null && !train) return previous(module, filename);
    // Node's vm module loads only here, when a cache is used
    const { Script } = createRequire(filename)('node:vm') as typeof import('node:vm');
    // the wrapper keeps line numbers; a bundle starts with "use strict", never a #! line
    const script = new Script(Module.wrap(text), { filename, cachedData: cachedData ?? undefined });
    loaded.set(basename(filename), script);
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => void;
    wrapper.call(module.exports, module.exports, createRequire(filename), module, filename, directory);
  };
  return {
    write(names) {
      const written: string[] = [];
      for (const name of names) {
        const script = loaded.get(name);
        if (script === undefined) continue;
        const text = readFileSync(join(directory, name), 'utf8');
        const id = text.slice(text.lastIndexOf(BUNDLE_ID_PREFIX) + BUNDLE_ID_PREFIX.length).trim();
        if (!text.endsWith(`${BUNDLE_ID_PREFIX}${id}\n`)) throw new Error(`${name} has no bundle id to name in its code cache`);
        const file = cacheFile(join(directory, name));
        writeFileSync(`${file}.part`, Buffer.concat([Buffer.from(`${MAGIC}${id}\n`, 'latin1'), script.createCachedData()]));
        renameSync(`${file}.part`, file);
        written.push(name);
      }
      return written;
    },
  };
}
