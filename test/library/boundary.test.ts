import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The analysis library must stand alone (DESIGN: it could be published by itself and bundled for
// the browser): every import it makes resolves inside analysis/, so no cycle with instrument/
// or server/ can come back unnoticed.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const library = join(root, 'analysis');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g;

describe('the analysis library', () => {
  it('imports only its own modules (relative paths inside analysis/)', () => {
    const outside: string[] = [];
    for (const file of sources(library)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(importPattern)) {
        const spec = m[1];
        const name = relative(root, file);
        if (!spec.startsWith('.')) {
          outside.push(`${name} imports the package '${spec}'`);
          continue;
        }
        const target = relative(library, resolve(dirname(file), spec));
        if (target.startsWith('..')) outside.push(`${name} imports '${spec}', outside analysis/`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('finds the imports it checks (the pattern is not vacuous)', () => {
    const text = readFileSync(join(library, 'scoring', 'item_map.ts'), 'utf8');
    expect([...text.matchAll(importPattern)].map((m) => m[1])).toContain('../sei_model.js');
  });
});
