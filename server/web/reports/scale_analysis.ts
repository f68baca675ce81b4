import {
  exploratoryFactorAnalysis,
  fitSem,
  measurementInvariance,
  parallelAnalysis,
  reverseKey,
  scaleReliability,
  seiModelSyntax,
  type ItemStatistics,
} from '../../../analysis/index.js';
import { DIMENSION_LABELS } from '../../charts/theme.js';
import { CELLS, DIMENSION_NAMES, DIMENSIONS, LEVER_NAMES, LEVERS, cellDimension, cellLever, type Cell } from '../../../instrument/index.js';

/** The answers of one wave's visible units, as the scale-developer report analyses them. */
export interface ScaleAnalysisInput {
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly items: readonly { readonly id: string; readonly cell: Cell; readonly reverse: boolean }[];
  /** One row per complete answer set (NaN = missing or not applicable), units below the minimum group size already left out. */
  readonly rows: readonly (readonly number[])[];
  /** The context of each row's unit (the grouping of the invariance table); null when the unit has none. */
  readonly contexts: readonly (string | null)[];
  readonly seed: number;
}

export interface ReliabilityRow {
  readonly scale: string;
  readonly kind: 'cell' | 'dimension' | 'lever';
  readonly nItems: number;
  readonly n: number | null;
  readonly alpha: number | null;
  readonly alphaStd: number | null;
  readonly averageR: number | null;
  readonly omegaTotal: number | null;
  readonly nOmega: number | null;
  readonly error?: string;
}

export interface ItemRow extends Omit<ItemStatistics, 'item'> {
  readonly item: string;
  readonly cell: Cell;
  readonly reverse: boolean;
}

export interface LoadingRow {
  readonly item: string;
  readonly cell: Cell;
  readonly loadings: readonly number[];
  readonly communality: number;
  readonly primaryFactor: number;
  readonly primaryLoading: number;
  readonly crossLoading: number | null;
  readonly verdict: 'keep' | 'revise' | 'drop';
  readonly reason: string;
}

export interface FitRow {
  readonly model: string;
  readonly n: number;
  readonly converged: boolean;
  readonly chisq: number;
  readonly df: number;
  readonly pvalue: number;
  readonly cfi: number;
  readonly tli: number;
  readonly rmsea: number;
  readonly srmr: number;
  readonly warnings: readonly string[];
}

export interface InvarianceTable {
  readonly scale: string;
  readonly groups: readonly string[];
  readonly groupSizes: readonly number[];
  readonly models: readonly { level: string; chisq: number; df: number; cfi: number; rmsea: number; srmr: number; converged: boolean }[];
  readonly comparisons: readonly { from: string; to: string; chisqDiff: number; dfDiff: number; p: number; deltaCfi: number; deltaRmsea: number; holds: boolean }[];
  readonly warnings: readonly string[];
}

/** Everything computed for the scale-developer report; plain data, safe to pass between threads. */
export interface ScaleAnalysis {
  readonly n: number;
  readonly nItems: number;
  readonly items: readonly ItemRow[];
  readonly reliability: readonly ReliabilityRow[];
  readonly parallel: {
    readonly eigenvalues: readonly number[];
    readonly simulated: readonly number[];
    readonly resampled: readonly number[];
    readonly nfactors: number;
    readonly ncomponents: number;
    readonly iterations: number;
    readonly warnings: readonly string[];
  } | { readonly error: string };
  readonly efa: {
    readonly nfactors: number;
    readonly kmo: number;
    readonly bartlett: { readonly chisq: number; readonly df: number; readonly p: number };
    readonly rmsea: number;
    readonly tli: number;
    readonly loadings: readonly LoadingRow[];
    readonly warnings: readonly string[];
  } | { readonly error: string };
  readonly cfa: readonly (FitRow | { readonly model: string; readonly error: string })[];
  readonly invariance: readonly (InvarianceTable | { readonly scale: string; readonly error: string })[];
  readonly seconds: number;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const nullable = (x: number | undefined) => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/**
 * The scale-developer analyses of one wave, all from analysis/ (nothing is computed here):
 * item statistics and alpha/omega per cell, dimension and lever (scaleReliability: alpha
 * pairwise as the server's wave analysis does, omega total on the complete rows), parallel
 * analysis with the scree (parallelAnalysis, pairwise), a minres/oblimin EFA with one factor
 * per SEI cell and its item-retention flags (exploratoryFactorAnalysis), CFA fits of the cell
 * model per dimension (fitSem, FIML; a model of all 72 items has more moments than a wave's
 * sample can carry), and
 * measurement invariance of each dimension's cell model across unit contexts
 * (measurementInvariance, FIML). A step that fails is reported with its error; the others stand.
 */
export function scaleAnalysis(input: ScaleAnalysisInput): ScaleAnalysis {
  const started = Date.now();
  const ids = input.items.map((i) => i.id);
  const scale = { min: input.scaleMin, max: input.scaleMax };
  const columnsWhere = (keep: (cell: Cell) => boolean) => input.items.flatMap((item, j) => (keep(item.cell) ? [j] : []));
  const pick = (rows: readonly (readonly number[])[], columns: readonly number[]) => rows.map((row) => columns.map((j) => row[j]));

  const scales: { name: string; kind: ReliabilityRow['kind']; columns: number[] }[] = [
    ...CELLS.map((c) => ({ name: c, kind: 'cell' as const, columns: columnsWhere((x) => x === c) })),
    ...DIMENSIONS.map((d) => ({ name: DIMENSION_NAMES[d], kind: 'dimension' as const, columns: columnsWhere((x) => cellDimension(x) === d) })),
    ...LEVERS.map((l) => ({ name: LEVER_NAMES[l], kind: 'lever' as const, columns: columnsWhere((x) => cellLever(x) === l) })),
  ];
  const items: ItemRow[] = [];
  const reliability: ReliabilityRow[] = scales.map(({ name, kind, columns }) => {
    const options = {
      items: columns.map((j) => ids[j]),
      reverse: columns.filter((j) => input.items[j].reverse).map((j) => ids[j]),
      scaleMin: input.scaleMin,
      scaleMax: input.scaleMax,
    };
    const data = pick(input.rows, columns);
    try {
      const pairwise = scaleReliability(data, { ...options, missing: 'pairwise' });
      if (kind === 'cell') {
        for (const stat of pairwise.items) {
          const item = input.items.find((i) => i.id === stat.item)!;
          items.push({ ...stat, cell: item.cell, reverse: item.reverse });
        }
      }
      let omegaTotal: number | null = null;
      let nOmega: number | null = null;
      try {
        const listwise = scaleReliability(data, { ...options, missing: 'listwise', bootstrap: 0 });
        omegaTotal = nullable(listwise.omegaTotal);
        nOmega = listwise.n ?? null;
      } catch {
        // Too few complete rows for the one-factor model: omega stays empty.
      }
      return { scale: name, kind, nItems: columns.length, n: pairwise.nRows, alpha: nullable(pairwise.alpha), alphaStd: nullable(pairwise.alphaStd), averageR: nullable(pairwise.averageR), omegaTotal, nOmega };
    } catch (err) {
      return { scale: name, kind, nItems: columns.length, n: null, alpha: null, alphaStd: null, averageR: null, omegaTotal: null, nOmega: null, error: message(err) };
    }
  });

  const keyed = reverseKey(input.rows, input.items.flatMap((item, j) => (item.reverse ? [j] : [])), scale);

  let parallel: ScaleAnalysis['parallel'];
  try {
    const pa = parallelAnalysis(keyed, { missing: 'pairwise', iterations: 20, seed: input.seed });
    parallel = {
      eigenvalues: pa.eigenvalues,
      simulated: pa.simulated.components.quantile,
      resampled: pa.resampled.components.quantile,
      nfactors: pa.nfactors,
      ncomponents: pa.ncomponents,
      iterations: pa.iterations,
      warnings: pa.diagnostics.warnings,
    };
  } catch (err) {
    parallel = { error: message(err) };
  }

  let efa: ScaleAnalysis['efa'];
  try {
    const result = exploratoryFactorAnalysis(keyed, { items: ids, nfactors: CELLS.length, method: 'minres', rotate: 'oblimin', missing: 'pairwise' });
    efa = {
      nfactors: result.nfactors,
      kmo: result.kmo,
      bartlett: result.bartlett,
      rmsea: result.fit.rmsea,
      tli: result.fit.tli,
      loadings: result.retention.map((r) => ({
        item: r.item,
        cell: input.items.find((i) => i.id === r.item)!.cell,
        loadings: result.loadings[r.item],
        communality: r.communality,
        primaryFactor: r.primaryFactor,
        primaryLoading: r.primaryLoading,
        crossLoading: r.crossLoading,
        verdict: r.verdict,
        reason: r.reason,
      })),
      warnings: result.diagnostics.warnings,
    };
  } catch (err) {
    efa = { error: message(err) };
  }

  const dimensionItems = (d: (typeof DIMENSIONS)[number]) => input.items.filter((i) => cellDimension(i.cell) === d).map((i) => ({ item: i.id, cell: i.cell }));
  const fitRow = (model: string, syntax: string): FitRow | { model: string; error: string } => {
    try {
      const r = fitSem({ columns: ids, rows: keyed }, syntax, { missing: 'ml' });
      return { model, n: r.n, converged: r.converged, chisq: r.fit.chisq, df: r.fit.df, pvalue: r.fit.pvalue, cfi: r.fit.cfi, tli: r.fit.tli, rmsea: r.fit.rmsea, srmr: r.fit.srmr, warnings: r.diagnostics.warnings };
    } catch (err) {
      return { model, error: message(err) };
    }
  };
  const cfa = DIMENSIONS.map((d) => fitRow(`${DIMENSION_LABELS[d]}: three correlated cell factors`, seiModelSyntax(dimensionItems(d), 'cells')));

  const groups = [...new Set(input.contexts.filter((c): c is string => c !== null))];
  const invariance: ScaleAnalysis['invariance'] =
    groups.length < 2
      ? []
      : DIMENSIONS.map((d) => {
          const name = DIMENSION_LABELS[d];
          try {
            const rows = keyed.filter((_, r) => input.contexts[r] !== null);
            const r = measurementInvariance(
              { columns: ids, rows, groups: input.contexts.filter((c) => c !== null) },
              seiModelSyntax(dimensionItems(d), 'cells'),
              { missing: 'ml' },
            );
            return {
              scale: name,
              groups: r.groups,
              groupSizes: r.groupSizes,
              models: r.models.map((m) => ({ level: m.level, chisq: m.chisq, df: m.df, cfi: m.cfi, rmsea: m.rmsea, srmr: m.srmr, converged: m.converged })),
              comparisons: r.comparisons.map((c) => ({ ...c })),
              warnings: r.diagnostics.warnings,
            };
          } catch (err) {
            return { scale: name, error: message(err) };
          }
        });
  return { n: input.rows.length, nItems: ids.length, items, reliability, parallel, efa, cfa, invariance, seconds: (Date.now() - started) / 1000 };
}
