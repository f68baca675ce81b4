import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** The values (not types) a module imports from the analysis library. */
function analysisValueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const names: string[] = [];
  for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'[./]*analysis\/index\.js'/g)) {
    if (m[1]) continue;
    for (const part of m[2].split(',').map((x) => x.trim()).filter(Boolean)) if (!part.startsWith('type ')) names.push(part);
  }
  return names;
}

describe('report views', () => {
  it('compute no statistic: the report modules import only types and the skipped-analysis guard from analysis/', () => {
    const dir = join(ROOT, 'server/web/reports');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files).toEqual(expect.arrayContaining(['unit_report.ts', 'scale_report.ts', 'scale_jobs.ts']));
    for (const f of files) expect(analysisValueImports(join(dir, f)), f).toEqual(f === 'scale_report.ts' ? ['isSkipped'] : []);
    for (const f of ['server/handlers/analyses.ts', 'server/web/queries/analysed_waves.ts']) expect(analysisValueImports(join(ROOT, f)), f).toEqual([]);
  });
});
