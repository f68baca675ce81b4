import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
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

/**
 * The values a module reaches from the analysis library through the server's own modules: its
 * value imports (not `import type`) followed transitively through relative imports inside the
 * project, with every name imported from analysis/ listed as `module: name`.
 */
function reachableAnalysisValues(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const found: string[] = [];
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/import\s+(type\s+)?(\{[^}]*\}|\*\s+as\s+\w+|\w+)\s+from\s+'(\.[^']+)'/g)) {
    if (m[1]) continue;
    const names = m[2].startsWith('{') ? m[2].slice(1, -1).split(',').map((x) => x.trim()).filter((x) => x && !x.startsWith('type ')) : [m[2]];
    if (names.length === 0) continue;
    const target = resolve(dirname(file), m[3].replace(/\.js$/, '.ts'));
    if (relative(ROOT, target).startsWith('analysis/')) found.push(...names.map((n) => `${relative(ROOT, file)}: ${n}`));
    else if (existsSync(target)) found.push(...reachableAnalysisValues(target, seen));
  }
  return found;
}

/** Analysis values a report may reach: guards, the NaN/null boundary, typed errors, the breakpoint rules' identity, the default sprint anchor of the run options, and model-syntax writers (the scale report names the models its commitment is compared with): no statistic. */
const NOT_STATISTICS = new Set(['isSkipped', 'finiteOrNull', 'InputError', 'DEFAULT_RULES', 'canonicalRuleSet', 'ruleSetFingerprint', 'validateRuleSet', 'parseModelSyntax', 'seiModelSyntax', 'DEFAULT_SPRINT_ANCHOR']);

/** The API handlers that only read stored runs (issue 10): the unit diagnosis is the run's, under the run's options. */
const READ_ONLY_HANDLERS = ['server/handlers/analyses.ts', 'server/web/queries/analysed_waves.ts', 'server/dynamics/handlers/diagnosis.ts'];

describe('report views', () => {
  it('reach no statistic through the server either: the diagnosis (breakpoints, weakest cells, interventions) is read from the run', () => {
    const dir = join(ROOT, 'server/web/reports');
    const files = [...readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)), ...READ_ONLY_HANDLERS.map((f) => join(ROOT, f))];
    for (const f of files) {
      const statistics = reachableAnalysisValues(f).filter((entry) => !NOT_STATISTICS.has(entry.split(': ')[1]));
      expect(statistics, relative(ROOT, f)).toEqual([]);
    }
  });

  it('compute no statistic: the report modules import only types and the skipped-analysis guard from analysis/', () => {
    const dir = join(ROOT, 'server/web/reports');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files).toEqual(expect.arrayContaining(['unit_report.ts', 'scale_report.ts', 'scale_jobs.ts']));
    for (const f of files) expect(analysisValueImports(join(dir, f)), f).toEqual(f === 'scale_report.ts' ? ['isSkipped', 'seiModelSyntax'] : []);
    for (const f of READ_ONLY_HANDLERS) expect(analysisValueImports(join(ROOT, f)), f).toEqual([]);
  });
});
