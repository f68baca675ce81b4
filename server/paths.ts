import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the file running this code: server/ (vitest), dist/server/ (tsc) or dist/seici/ (the CLI bundle). */
const here = dirname(fileURLToPath(import.meta.url));

/** Whether `dir` holds seici's own package.json (not one of a folder below it, nor of a package it sits in). */
function isProjectRoot(dir: string): boolean {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'seici';
  } catch {
    return false;
  }
}

/**
 * The project root (where package.json, views/ and node_modules/ are): the nearest folder above
 * the running file whose package.json is seici's. It is found the same way whether this code runs
 * as a .ts source (vitest), compiled under dist/ by tsc, or inside a bundle of the CLI under
 * dist/seici/ (scripts/build-cli.mjs), which moves it to another depth.
 */
export const PROJECT_ROOT = (() => {
  for (let dir = here; ; ) {
    if (isProjectRoot(dir)) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`seici's package.json was not found in any folder above ${here}`);
    dir = up;
  }
})();

export const VIEWS_DIR = join(PROJECT_ROOT, 'views');

/** A package's folder under node_modules (for serving survey-core and survey-js-ui). */
export function packageDir(name: string): string {
  return join(PROJECT_ROOT, 'node_modules', name);
}

/**
 * The compiled JavaScript of a server module, for worker threads: tsc's output under
 * dist/server/, whether the caller runs from there, from the .ts sources (tests run them, and
 * `npm test` builds first) or from the CLI bundle (which bundles no worker module).
 */
export function compiledModule(relativeToServer: string): string {
  return join(PROJECT_ROOT, 'dist', 'server', relativeToServer.replace(/\.ts$/, '.js'));
}
