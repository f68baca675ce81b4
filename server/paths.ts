import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The project root (where package.json, views/ and node_modules/ are), found from this file
 * whether it runs as a .ts source (vitest) or compiled under dist/.
 */
export const PROJECT_ROOT = (() => {
  let dir = here;
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('/dist')) {
    const up = dirname(dir);
    if (up === dir) return resolve(here, '..');
    dir = up;
  }
  return dir;
})();

export const VIEWS_DIR = join(PROJECT_ROOT, 'views');

/** A package's folder under node_modules (for serving survey-core and survey-js-ui). */
export function packageDir(name: string): string {
  return join(PROJECT_ROOT, 'node_modules', name);
}

/**
 * The compiled JavaScript of a server module, for worker threads: next to this file when
 * running from dist/, else under dist/ (tests run the .ts sources, and `npm test` builds first).
 */
export function compiledModule(relativeToServer: string): string {
  const js = relativeToServer.replace(/\.ts$/, '.js');
  if (import.meta.url.endsWith('.js')) return join(here, js);
  return join(PROJECT_ROOT, 'dist', 'server', js);
}
