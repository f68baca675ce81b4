import { itemSkewness } from '../items/item_skewness.js';
import { fitOrdinalSem, type OrdinalFit } from '../sem/ordinal/fit_ordinal.js';
import { ordinalInvariance } from '../sem/ordinal/ordinal_invariance.js';
import { seiModelSyntax } from '../sem/sei_model_syntax.js';
import { cellDimension, DIMENSIONS, type Cell, type Dimension } from '../sei_model.js';
import { finiteOrNull } from './finite.js';
import { belowRequirement, factorAnalysisRequirement, type SkippedAnalysis } from './minimum_sample.js';

const DIMENSION_LABELS: Readonly<Record<Dimension, string>> = { S: 'Structural', R: 'Relational', T: 'Translational' };

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The nine-cell model's name in the report. */
export const NINE_CELL_MODEL = 'SEI-CI: nine correlated cell factors';

/** An ordinal (WLSMV) CFA as the scale-developer report shows it: lavaan's scaled and robust fit measures. */
export interface OrdinalFitRow {
  readonly model: string;
  /** Complete rows on the model's items (WLSMV is listwise). */
  readonly n: number;
  readonly converged: boolean;
  readonly df: number;
  /** The mean-and-variance-adjusted (scaled-shifted) χ² and its p-value. */
  readonly chisqScaled: number;
  readonly pvalueScaled: number;
  readonly cfiScaled: number;
  readonly tliScaled: number;
  readonly rmseaScaled: number;
  /** lavaan's cat-ML robust indices (null when lavaan reports none). */
  readonly cfiRobust: number | null;
  readonly tliRobust: number | null;
  readonly rmseaRobust: number | null;
  readonly srmr: number;
  readonly warnings: readonly string[];
}

/** Ordinal invariance of one dimension's cell model across contexts (Wu & Estabrook, 2016). */
export interface OrdinalInvarianceTable {
  readonly scale: string;
  readonly groups: readonly string[];
  readonly groupSizes: readonly number[];
  readonly models: readonly { level: string; df: number; chisqScaled: number; cfiScaled: number; rmseaScaled: number; cfiRobust: number | null; rmseaRobust: number | null; converged: boolean }[];
  readonly comparisons: readonly { from: string; to: string; chisqDiff: number; dfDiff: number; p: number; deltaCfi: number; deltaRmsea: number; holds: boolean }[];
  readonly warnings: readonly string[];
}

/** The ordinal path of the scale-developer run, next to its ML fits. */
export interface OrdinalMeasurement {
  readonly estimator: 'WLSMV';
  /** The largest number of distinct answers any item received. */
  readonly categories: number;
  /** Items with |skewness| ≥ 1 (psych::skew, type 3), and the largest |skewness|. */
  readonly skewedItems: number;
  readonly nItems: number;
  readonly maxAbsSkewness: number | null;
  /** Which estimates to read first, by `rule`. */
  readonly read: 'ordinal' | 'ml';
  readonly rule: string;
  /** Each dimension's three-cell model (as the ML table) and the nine-cell model. */
  readonly cfa: readonly (OrdinalFitRow | { readonly model: string; readonly error: string } | ({ readonly model: string } & SkippedAnalysis))[];
  /** Ordinal invariance of each dimension's cell model across unit contexts (empty with fewer than two contexts or when not asked). */
  readonly invariance: readonly (OrdinalInvarianceTable | { readonly scale: string; readonly error: string } | ({ readonly scale: string } & SkippedAnalysis))[];
}

/**
 * Which estimator to read: the ordinal one when the items have at most 4 categories, or at most 7
 * and at least a quarter of them are skewed (|skewness| ≥ 1); otherwise ML reads as well. After
 * Rhemtulla, Brosseau-Liard & Savalei (2012, doi:10.1037/a0029315): with 5–7 categories robust ML
 * and categorical (WLSMV) estimation agree when the thresholds are symmetric, while with
 * asymmetric thresholds (skewed items) ML's loadings and fit are biased and WLSMV's are not; with
 * fewer than 5 categories WLSMV is preferred throughout. |skewness| ≥ 1 is the conventional mark
 * of a highly skewed distribution (Bulmer, 1979, Principles of Statistics).
 */
export function ordinalReadingRule(categories: number, skewedItems: number, nItems: number): { read: 'ordinal' | 'ml'; rule: string } {
  const rule =
    'Read the ordinal (WLSMV) fit when items have at most 4 categories, or at most 7 categories and at least a quarter of the items are skewed (|skewness| ≥ 1); otherwise ML and WLSMV agree closely and either reads (Rhemtulla, Brosseau-Liard & Savalei, 2012, Psychological Methods 17, 354–373).';
  const read = categories <= 4 || (categories <= 7 && skewedItems * 4 >= nItems) ? 'ordinal' : 'ml';
  return { read, rule };
}

/**
 * The ordinal counterpart of the run's ML CFA and invariance, on the reverse-keyed answers `keyed`
 * (rows × items, NaN missing): lavaan's WLSMV CFA (fitOrdinalSem: polychorics, DWLS, robust SEs,
 * scaled-shifted χ², scaled and cat-ML robust CFI/TLI/RMSEA) of each dimension's three-cell model
 * and of the nine-cell model, listwise on each model's items, each skipped below the CFA's
 * minimum sample; with `invariance`, ordinalInvariance of each dimension's cell model across the
 * rows' contexts (configural, thresholds, + loadings, + intercepts), skipped where the smallest
 * context's complete rows are below the minimum. A step that fails is reported with its error
 * (an empty answer category in a context, for one), as the run's ML steps are; the others stand.
 */
export function ordinalMeasurement(
  items: readonly { readonly id: string; readonly cell: Cell }[],
  keyed: readonly (readonly number[])[],
  contexts: readonly (string | null)[],
  options: { readonly invariance: boolean },
): OrdinalMeasurement {
  const ids = items.map((i) => i.id);
  const categories = Math.max(0, ...ids.map((_, j) => new Set(keyed.map((r) => r[j]).filter((v) => !Number.isNaN(v))).size));
  const skew = ids.map((_, j) => itemSkewness(keyed, j)).filter((s) => Number.isFinite(s));
  const skewedItems = skew.filter((s) => Math.abs(s) >= 1).length;
  const complete = (columns: readonly number[], rows: readonly (readonly number[])[]) => rows.filter((r) => columns.every((j) => !Number.isNaN(r[j]))).length;
  const columnsOf = (keep: (c: Cell) => boolean) => items.flatMap((i, j) => (keep(i.cell) ? [j] : []));
  const modelItems = (keep: (c: Cell) => boolean) => items.filter((i) => keep(i.cell)).map((i) => ({ item: i.id, cell: i.cell }));

  const fitRow = (model: string, keep: (c: Cell) => boolean): OrdinalMeasurement['cfa'][number] => {
    const columns = columnsOf(keep);
    const small = belowRequirement(`The WLSMV CFA of ${model} (complete answers)`, complete(columns, keyed), factorAnalysisRequirement(columns.length));
    if (small) return { model, ...small };
    try {
      const r = fitOrdinalSem({ columns: ids, rows: keyed }, seiModelSyntax(modelItems(keep), 'cells'), { estimator: 'wlsmv' });
      const f = r.fit as OrdinalFit;
      return {
        model,
        n: r.n,
        converged: r.converged,
        df: f.df,
        chisqScaled: f.chisqScaled!,
        pvalueScaled: f.pvalueScaled!,
        cfiScaled: f.cfiScaled!,
        tliScaled: f.tliScaled!,
        rmseaScaled: f.rmseaScaled!,
        cfiRobust: finiteOrNull(f.cfiRobust),
        tliRobust: finiteOrNull(f.tliRobust),
        rmseaRobust: finiteOrNull(f.rmseaRobust),
        srmr: f.srmr,
        warnings: r.diagnostics.warnings,
      };
    } catch (err) {
      return { model, error: message(err) };
    }
  };
  const cfa = [
    ...DIMENSIONS.map((d) => fitRow(`${DIMENSION_LABELS[d]}: three correlated cell factors`, (c) => cellDimension(c) === d)),
    fitRow(NINE_CELL_MODEL, () => true),
  ];

  const groups = [...new Set(contexts.filter((c): c is string => c !== null))];
  const invariance: OrdinalMeasurement['invariance'] =
    !options.invariance || groups.length < 2
      ? []
      : DIMENSIONS.map((d) => {
          const scale = DIMENSION_LABELS[d];
          const keep = (c: Cell) => cellDimension(c) === d;
          const columns = columnsOf(keep);
          const rows = keyed.filter((_, r) => contexts[r] !== null);
          const rowContexts = contexts.filter((c): c is string => c !== null);
          const smallest = Math.min(...groups.map((g) => complete(columns, rows.filter((_, r) => rowContexts[r] === g))));
          const small = belowRequirement(`Ordinal invariance of ${scale} across contexts (complete answers, in every group)`, smallest, factorAnalysisRequirement(columns.length));
          if (small) return { scale, ...small };
          try {
            const r = ordinalInvariance({ columns: ids, rows, groups: rowContexts }, seiModelSyntax(modelItems(keep), 'cells'));
            return {
              scale,
              groups: r.groups,
              groupSizes: r.groupSizes,
              models: r.models.map((m) => ({ level: m.level, df: m.df, chisqScaled: m.chisqScaled, cfiScaled: m.cfiScaled, rmseaScaled: m.rmseaScaled, cfiRobust: finiteOrNull(m.cfiRobust), rmseaRobust: finiteOrNull(m.rmseaRobust), converged: m.converged })),
              comparisons: r.comparisons.map((c) => ({ ...c })),
              warnings: r.diagnostics.warnings,
            };
          } catch (err) {
            return { scale, error: message(err) };
          }
        });
  const { read, rule } = ordinalReadingRule(categories, skewedItems, skew.length);
  return {
    estimator: 'WLSMV',
    categories,
    skewedItems,
    nItems: ids.length,
    maxAbsSkewness: skew.length > 0 ? Math.max(...skew.map(Math.abs)) : null,
    read,
    rule,
    cfa,
    invariance,
  };
}
