/**
 * What the browser analysis page computes: one pure function from the CSV bytes a researcher
 * dropped and the form they filled to the result object the matching `seici` command prints
 * with `--json`, plus the report's charts as Vega-Lite specifications. It runs in the page's
 * Web Worker (worker.ts) and, in the tests, in Node; it reads the bytes with the library's
 * in-memory CSV reader and calls the same analysis/ entry points as cli/commands/*.ts with the
 * same defaults, so the page's numbers are the command line's.
 */
import { InputError } from '../../analysis/errors.js';
import { readCsvColumns, csvBytesHeader } from '../../analysis/data/csv_columns.js';
import { rowsFromColumns, labelsOf } from '../../analysis/data/columns.js';
import { observedColumnRange, reverseKeyColumns } from '../../analysis/data/reverse_key.js';
import { scaleReliability, type ScaleReliability } from '../../analysis/reliability/scale_reliability.js';
import { numberOfFactors, type NumberOfFactors } from '../../analysis/efa/number_of_factors.js';
import { exploratoryFactorAnalysis, type EfaResult } from '../../analysis/efa/exploratory_factor_analysis.js';
import { ROTATIONS, type Rotation } from '../../analysis/efa/factor_analysis.js';
import { agreement, type AgreementResult } from '../../analysis/agreement/agreement.js';
import { NULL_DISTRIBUTIONS, type NullDistribution } from '../../analysis/agreement/null_variance.js';
import { scoreUnits, type ScoreResult } from '../../analysis/scoring/score_units.js';
import type { ItemMap } from '../../analysis/scoring/item_map.js';
import { parseModelSyntax } from '../../analysis/sem/model_syntax.js';
import { modelVariables } from '../../analysis/sem/parameter_table.js';
import { assertLatentNamesFree } from '../../analysis/sem/latent_names.js';
import { fitSem, type SemResult } from '../../analysis/sem/fit_sem.js';
import { INVARIANCE_LEVELS, measurementInvariance, type InvarianceLevel, type InvarianceResult } from '../../analysis/sem/measurement_invariance.js';
import { screePlotSpec } from '../../server/charts/scree_plot.js';
import { cellHeatmapSpec } from '../../server/charts/cell_heatmap.js';
import { scoreBarsSpec } from '../../server/charts/score_bars.js';
import type { TopLevelSpec } from 'vega-lite';

/** A CSV file the page holds: its name (for messages) and bytes. */
export interface CsvFileBytes {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** What the page shows about a file as soon as it is dropped: its columns and rows, nothing computed. */
export interface FileSummary {
  readonly name: string;
  readonly columns: readonly string[];
  /** Lines after the header: the data rows (and any empty lines, which are not rows). */
  readonly rows: number;
  /** Columns whose first 200 non-missing values are all numbers (a guess for the item pickers). */
  readonly numeric: readonly string[];
}

export type AnalysisRequest =
  | { readonly kind: 'reliability'; readonly items: readonly string[]; readonly reverse: readonly string[]; readonly scaleMin?: number; readonly scaleMax?: number; readonly missing: 'listwise' | 'pairwise'; readonly bootstrap: number; readonly seed: number }
  | { readonly kind: 'factors'; readonly items: readonly string[]; readonly nfactors: number | null; readonly fm: 'minres' | 'ml' | 'pa'; readonly rotate: Rotation; readonly cor: 'pearson' | 'poly'; readonly missing: 'listwise' | 'pairwise'; readonly iterations: number; readonly seed: number }
  | { readonly kind: 'cfa'; readonly model: string; readonly group?: string; readonly stdLv: boolean; readonly missing: 'listwise' | 'ml' }
  | { readonly kind: 'invariance'; readonly model: string; readonly group: string; readonly levels: readonly InvarianceLevel[]; readonly missing: 'listwise' | 'ml'; readonly partial: boolean }
  | { readonly kind: 'agreement'; readonly items: readonly string[]; readonly group: string; readonly scalePoints: number; readonly null: NullDistribution; readonly reverse: readonly string[] }
  | { readonly kind: 'score'; readonly map: string; readonly unit: string; readonly wave?: string; readonly minGroupSize: number };

export type AnalysisKind = AnalysisRequest['kind'];

/** The result of one request: the command's result object and the report's charts for it. */
export type AnalysisOutcome =
  | { readonly kind: 'reliability'; readonly result: ScaleReliability; readonly charts: readonly Chart[] }
  | { readonly kind: 'factors'; readonly result: { readonly numberOfFactors: NumberOfFactors; readonly efa: EfaResult }; readonly charts: readonly Chart[] }
  | { readonly kind: 'cfa'; readonly result: SemResult; readonly charts: readonly Chart[] }
  | { readonly kind: 'invariance'; readonly result: InvarianceResult; readonly charts: readonly Chart[] }
  | { readonly kind: 'agreement'; readonly result: AgreementResult; readonly charts: readonly Chart[] }
  | { readonly kind: 'score'; readonly result: ScoreResult; readonly charts: readonly Chart[] };

/** A chart of the reports (server/charts), with the sentence that describes it for screen readers. */
export interface Chart {
  readonly label: string;
  readonly spec: TopLevelSpec;
}

/** Reads a dropped file's header and counts its rows; guesses which columns hold numbers. */
export function summarizeFile(file: CsvFileBytes): FileSummary {
  const source = sourceName(file.name);
  const { columns, lines } = csvBytesHeader(file.bytes, source, 'file');
  const numeric = guessNumeric(file, columns);
  return { name: file.name, columns, rows: Math.max(0, lines - 1), numeric };
}

/** Runs one analysis on the file, as the `seici` command of the same name does. */
export function runAnalysis(file: CsvFileBytes, request: AnalysisRequest): AnalysisOutcome {
  switch (request.kind) {
    case 'reliability':
      return reliability(file, request);
    case 'factors':
      return factors(file, request);
    case 'cfa':
      return cfa(file, request);
    case 'invariance':
      return invariance(file, request);
    case 'agreement':
      return agreementOf(file, request);
    case 'score':
      return score(file, request);
  }
}

/** The cell heatmap and the dimension/lever bars of one scored unit-wave (the unit report's first two charts). */
export function unitCharts(result: ScoreResult, index: number, scale: { min: number; max: number }): Chart[] {
  const u = result.units[index];
  if (u === undefined) throw new InputError('unit', `there is no unit-wave number ${index + 1}.`);
  const title = `${u.unit} · ${u.wave}`;
  const k = result.options.minGroupSize;
  return [
    {
      label: `Cell scores of ${title}: dimensions by levers`,
      spec: cellHeatmapSpec({ title: `Cell scores · ${title}`, subtitle: `n = ${u.n}; scale ${scale.min}–${scale.max}`, n: u.n, minGroupSize: k, scaleMin: scale.min, scaleMax: scale.max, cells: u.cells }),
    },
    {
      label: `Dimension and lever scores of ${title}`,
      spec: scoreBarsSpec({ title: `Dimensions and levers · ${title}`, n: u.n, minGroupSize: k, scaleMin: scale.min, scaleMax: scale.max, unit: { dimensions: u.dimensions, levers: u.levers }, rwgj: u.rwgj }),
    },
  ];
}

/** The options of the page's forms, for the form builder and the request checks. */
export const CHOICES = {
  missing: ['listwise', 'pairwise'] as const,
  semMissing: ['listwise', 'ml'] as const,
  fm: ['minres', 'ml', 'pa'] as const,
  rotate: ROTATIONS,
  cor: ['pearson', 'poly'] as const,
  null: NULL_DISTRIBUTIONS,
  levels: INVARIANCE_LEVELS,
};

function sourceName(name: string): string {
  return `the file ${name}`;
}

function guessNumeric(file: CsvFileBytes, columns: readonly string[]): string[] {
  // read every column as text from a prefix of the file (a few hundred rows), then test the values
  const prefix = prefixLines(file.bytes, 201);
  const data = readCsvColumns(prefix, sourceName(file.name), { texts: [{ names: columns, argument: 'file' }] }, 'file');
  return columns.filter((c) => {
    const labels = data.text(c);
    return labels.levels.length > 0 && labels.levels.every((v) => Number.isFinite(Number(v)));
  });
}

/** The bytes of the first `n` lines (the header and n − 1 rows; a quoted line break may cut a record short, which only the guess sees). */
function prefixLines(bytes: Uint8Array, n: number): Uint8Array {
  let at = -1;
  for (let k = 0; k < n; k++) {
    at = bytes.indexOf(10, at + 1);
    if (at < 0) return bytes;
  }
  // keep whole records only: a line break inside quotes would leave an open quote, so cut at an even count of quotes
  let quotes = 0;
  for (let i = 0; i <= at; i++) if (bytes[i] === 34) quotes++;
  return quotes % 2 === 0 ? bytes.subarray(0, at + 1) : bytes;
}

function requireItems(items: readonly string[], min: number, what: string): void {
  if (items.length < min) throw new InputError('items', `${what} needs at least ${min} item columns; got ${items.length}.`);
}

function requireAmong(names: readonly string[], among: readonly string[], argument: string, label: string): void {
  for (const name of names) {
    if (!among.includes(name)) throw new InputError(argument, `${label} names "${name}", which is not one of the items (${among.join(', ')}).`);
  }
}

function reliability(file: CsvFileBytes, r: Extract<AnalysisRequest, { kind: 'reliability' }>): AnalysisOutcome {
  requireItems(r.items, 2, 'Reliability');
  requireAmong(r.reverse, r.items, 'reverse', 'Reverse-keyed');
  if (r.scaleMin !== undefined && r.scaleMax !== undefined && !(r.scaleMax > r.scaleMin)) {
    throw new InputError('scaleMax', `the highest answer (${r.scaleMax}) must be larger than the lowest (${r.scaleMin}).`);
  }
  const data = readCsvColumns(file.bytes, sourceName(file.name), { numbers: [{ names: r.items, argument: 'items' }] });
  const result = scaleReliability(rowsFromColumns(data.numbers(r.items)), {
    items: r.items,
    reverse: r.reverse,
    scaleMin: r.scaleMin,
    scaleMax: r.scaleMax,
    missing: r.missing,
    level: 0.95,
    bootstrap: r.bootstrap,
    seed: r.seed,
  });
  return { kind: 'reliability', result, charts: [] };
}

function factors(file: CsvFileBytes, r: Extract<AnalysisRequest, { kind: 'factors' }>): AnalysisOutcome {
  requireItems(r.items, 3, 'Factor analysis');
  const data = readCsvColumns(file.bytes, sourceName(file.name), { numbers: [{ names: r.items, argument: 'items' }] });
  const rows = rowsFromColumns(data.numbers(r.items));
  // parallel analysis and MAP as `seici factors` (its defaults: 20 data sets, 95th percentile)
  const count = numberOfFactors(rows, { items: r.items, iterations: r.iterations, seed: r.seed, quantile: 0.95, method: r.fm, missing: r.missing });
  const nfactors = r.nfactors ?? count.nfactors;
  if (!Number.isInteger(nfactors) || nfactors < 1 || nfactors > r.items.length - 1) {
    throw new InputError('nfactors', `the number of factors must be a whole number from 1 to ${r.items.length - 1}; got ${nfactors}.`);
  }
  // the solution as `seici efa`
  const efa = exploratoryFactorAnalysis(rows, { items: r.items, nfactors, method: r.fm, rotate: r.rotate, cor: r.cor, missing: r.missing });
  const pa = count.parallel;
  const charts: Chart[] = [
    {
      label: 'Scree plot of the observed eigenvalues against parallel analysis',
      spec: screePlotSpec({
        title: 'Scree plot',
        subtitle: `${r.items.length} items, n = ${pa.n}; dashed: 95th percentile of resampled data (${pa.iterations} sets); parallel analysis suggests ${pa.nfactors} factors, ${pa.ncomponents} components`,
        eigenvalues: pa.eigenvalues,
        parallel: pa.resampled.components.quantile,
        suggestedFactors: pa.ncomponents,
        maxFactors: 20,
      }),
    },
  ];
  return { kind: 'factors', result: { numberOfFactors: count, efa }, charts };
}

/** The model's variables as rows (and the group column's labels), as `seici cfa` reads them. */
function modelData(file: CsvFileBytes, model: string, group: string | undefined) {
  const statements = parseModelSyntax(model, 'model');
  const variables = modelVariables(statements);
  const source = sourceName(file.name);
  const { columns } = csvBytesHeader(file.bytes, source, 'file');
  assertLatentNamesFree(statements, columns, 'model', file.name);
  for (const v of variables) {
    if (!columns.includes(v)) throw new InputError('model', `the model names "${v}", which is neither a latent variable nor a column of ${file.name}.`);
  }
  const data = readCsvColumns(file.bytes, source, {
    numbers: [{ names: variables, argument: 'model' }],
    texts: group === undefined ? [] : [{ names: [group], argument: 'group' }],
  });
  return {
    statements,
    data: { columns: variables, rows: rowsFromColumns(data.numbers(variables)), groups: group === undefined ? undefined : labelsOf(data.text(group)) },
  };
}

function cfa(file: CsvFileBytes, r: Extract<AnalysisRequest, { kind: 'cfa' }>): AnalysisOutcome {
  const { statements, data } = modelData(file, r.model, r.group);
  const result = fitSem(data, statements, { stdLv: r.stdLv, missing: r.missing, fixedX: true, estimator: 'ml' });
  return { kind: 'cfa', result, charts: [] };
}

function invariance(file: CsvFileBytes, r: Extract<AnalysisRequest, { kind: 'invariance' }>): AnalysisOutcome {
  if (r.group === '') throw new InputError('group', 'invariance needs a grouping column.');
  const { statements, data } = modelData(file, r.model, r.group);
  const result = measurementInvariance(data, statements, { levels: r.levels, missing: r.missing, partial: r.partial });
  return { kind: 'invariance', result, charts: [] };
}

function agreementOf(file: CsvFileBytes, r: Extract<AnalysisRequest, { kind: 'agreement' }>): AnalysisOutcome {
  requireItems(r.items, 1, 'Agreement');
  requireAmong(r.reverse, r.items, 'reverse', 'Reverse-keyed');
  if (!Number.isInteger(r.scalePoints) || r.scalePoints < 2) throw new InputError('scalePoints', `the number of answer options must be a whole number of at least 2; got ${r.scalePoints}.`);
  const data = readCsvColumns(file.bytes, sourceName(file.name), { numbers: [{ names: r.items, argument: 'items' }], texts: [{ names: [r.group], argument: 'group' }] });
  const x = data.numbers(r.items);
  if (r.reverse.length > 0) {
    // as `seici agreement`: the scale is min … min + A − 1, its lowest option 1, or the data's minimum when below 1
    const lowest = Math.min(1, observedColumnRange(x.columns).min);
    reverseKeyColumns(x.columns, r.reverse.map((n) => r.items.indexOf(n)), { min: lowest, max: lowest + r.scalePoints - 1 });
  }
  const result = agreement(x, data.text(r.group), { scalePoints: r.scalePoints, null: r.null });
  return { kind: 'agreement', result, charts: [] };
}

/** Parses the item map typed or pasted into the page (shared/CONTRACT.md `score`). */
export function parseItemMap(text: string): ItemMap {
  let map: unknown;
  try {
    map = JSON.parse(text);
  } catch {
    throw new InputError('map', 'the item map is not valid JSON.');
  }
  if (typeof map !== 'object' || map === null || typeof (map as { items?: unknown }).items !== 'object' || (map as { items?: unknown }).items === null) {
    throw new InputError('map', 'the item map must be an object with "scaleMin", "scaleMax" and "items": {"<column>": {"cell": "SxA", "reverse": false}, …}.');
  }
  return map as ItemMap;
}

function score(file: CsvFileBytes, r: Extract<AnalysisRequest, { kind: 'score' }>): AnalysisOutcome {
  const map = parseItemMap(r.map);
  if (!Number.isInteger(r.minGroupSize) || r.minGroupSize < 1) throw new InputError('minGroupSize', `the minimum group size must be a whole number of at least 1; got ${r.minGroupSize}.`);
  const source = sourceName(file.name);
  const { columns } = csvBytesHeader(file.bytes, source, 'file');
  const items = Object.keys(map.items);
  for (const name of items) {
    if (!columns.includes(name)) throw new InputError('map', `the item map names "${name}", which is not a column of ${file.name}.`);
  }
  const data = readCsvColumns(file.bytes, source, {
    numbers: [{ names: items, argument: 'map' }],
    texts: [{ names: [r.unit], argument: 'unit' }, ...(r.wave === undefined ? [] : [{ names: [r.wave], argument: 'wave' }])],
  });
  const result = scoreUnits(
    { items, answers: data.numbers(items), unit: data.text(r.unit), wave: r.wave === undefined ? undefined : data.text(r.wave) },
    map,
    { minGroupSize: r.minGroupSize },
  );
  const charts = result.units.length > 0 ? unitCharts(result, 0, { min: map.scaleMin, max: map.scaleMax }) : [];
  return { kind: 'score', result, charts };
}
