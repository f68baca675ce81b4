import { InputError } from '../errors.js';
import { levelReliability } from '../multilevel/level_reliability.js';
import { fitTwoLevel } from '../sem/two_level/fit_two_level.js';
import { seiTwoLevelSyntax } from '../sem/two_level/sei_two_level_syntax.js';
import { CELLS, DIMENSIONS, cellDimension, type Cell } from '../sei_model.js';
import type { SkippedAnalysis } from './minimum_sample.js';
import { finiteOrNull } from './finite.js';

/** Units a two-level model needs: the unit level's covariances are estimated from the units (Maas & Hox, 2005: at least 30, better 50). */
export const MIN_UNITS_TWO_LEVEL = 30;
/** ω between and ICC(2) from which a cell's unit means count as reliable unit scores (the SEI-CI's reliability target). */
const UNIT_SCORE_RELIABILITY = 0.7;

export interface TwoLevelDimension {
  readonly dimension: string;
  readonly n: number;
  readonly units: number;
  readonly converged: boolean;
  readonly fit: { readonly chisq: number; readonly df: number; readonly pvalue: number; readonly cfi: number; readonly rmsea: number; readonly srmrWithin: number; readonly srmrBetween: number };
  /** Standardized loadings (lavaan's std.all) of each item on its cell factor at both levels, keyed (reverse-keyed items with their sign turned). */
  readonly loadings: readonly { readonly item: string; readonly cell: Cell; readonly within: number | null; readonly between: number | null }[];
  readonly warnings: readonly string[];
}

export interface CellLevelReliability {
  readonly cell: Cell;
  readonly omegaWithin: number | null;
  readonly omegaBetween: number | null;
  readonly icc1: number | null;
  readonly icc2: number | null;
  /** True when the cell's unit means are reliable unit scores (ω between and ICC(2) ≥ .70, its dimension's model fitted); null when not assessed. */
  readonly supportsUnitScores: boolean | null;
  readonly reason: string;
}

/** The multilevel section of the scale-developer report. */
export interface MultilevelMeasurement {
  readonly dimensions: readonly (TwoLevelDimension | { readonly dimension: string; readonly error: string })[];
  readonly cells: readonly CellLevelReliability[];
  /** The plain verdict on using cell means as unit scores. */
  readonly verdict: string;
}

const DIMENSION_LABELS = { S: 'Structural', R: 'Relational', T: 'Translational' } as const;

/**
 * Multilevel measurement of the SEI-CI for the scale-developer report: per dimension, the
 * two-level CFA of its three cell factors at both levels (configural; fitTwoLevel, as
 * lavaan::sem(cluster = "unit") by ML with listwise deletion — two-level FIML is not available),
 * its fit with the SRMR of each level and the standardized loadings at both levels, then per cell
 * the level-specific ω (Geldhof, Preacher & Zyphur, 2014, doi:10.1037/a0032138) next to the
 * ICC(2) of the cell score. A cell's unit means are supported as unit scores when ω between and
 * ICC(2) both reach .70 in a converged model (Dyer, Hanges & Hall, 2005,
 * doi:10.1016/j.leaqua.2004.09.009; LeBreton & Senter, 2008). Rows are the respondents, `units`
 * their units; `keyed` is false: the model is fitted to the answers as given, reverse-keyed items
 * loading negatively, and the loadings are reported keyed.
 */
export function multilevelMeasurement(
  items: readonly { readonly id: string; readonly cell: Cell; readonly reverse: boolean }[],
  rows: readonly (readonly number[])[],
  units: readonly string[],
  scale: { readonly min: number; readonly max: number },
): MultilevelMeasurement | SkippedAnalysis {
  const unitCount = new Set(units).size;
  if (unitCount < MIN_UNITS_TWO_LEVEL) {
    return {
      skipped: true,
      reason: `The two-level CFA needs at least ${MIN_UNITS_TWO_LEVEL} published units (the unit level is estimated from the units); this wave has ${unitCount}.`,
      minimum: MIN_UNITS_TWO_LEVEL,
      n: unitCount,
    };
  }
  const cells: CellLevelReliability[] = [];
  const dimensions = DIMENSIONS.map((d) => {
    const dimension = DIMENSION_LABELS[d];
    const dimItems = items.filter((i) => cellDimension(i.cell) === d);
    const columns = dimItems.map((i) => i.id);
    const index = columns.map((id) => items.findIndex((i) => i.id === id));
    const data = { columns, rows: rows.map((r) => index.map((j) => r[j])), clusters: [...units] };
    const dimCells = CELLS.filter((c) => dimItems.some((i) => i.cell === c));
    try {
      const fit = fitTwoLevel(data, seiTwoLevelSyntax(dimItems.map((i) => ({ item: i.id, cell: i.cell }))), { standardErrors: false });
      const reverse = dimItems.filter((i) => i.reverse).map((i) => i.id);
      const rel = levelReliability(fit, data, dimCells.map((c) => ({ name: c, items: dimItems.filter((i) => i.cell === c).map((i) => i.id), reverse })), scale);
      const loading = (item: string, cell: Cell, level: 1 | 2) => {
        const e = fit.estimates.find((x) => x.level === level && x.op === '=~' && x.rhs === item && x.lhs === `${cell}_${level === 1 ? 'w' : 'b'}`);
        return e ? finiteOrNull(reverse.includes(item) ? -e.std : e.std) : null;
      };
      for (const c of rel.composites) {
        const ok = fit.converged && c.omegaBetween >= UNIT_SCORE_RELIABILITY && c.omegaBetween <= 1 && c.icc2 >= UNIT_SCORE_RELIABILITY;
        const why = !fit.converged
          ? `the two-level model of ${dimension} did not converge`
          : c.omegaBetween > 1 || c.omegaBetween < 0
            ? `ω between is ${c.omegaBetween.toFixed(2)}, outside 0–1 (a negative unit-level residual variance), so it cannot be read`
            : ok
              ? `ω between ${c.omegaBetween.toFixed(2)} and ICC(2) ${c.icc2.toFixed(2)} both reach ${UNIT_SCORE_RELIABILITY}`
              : `${[c.omegaBetween < UNIT_SCORE_RELIABILITY ? `ω between is ${c.omegaBetween.toFixed(2)}` : '', c.icc2 < UNIT_SCORE_RELIABILITY ? `ICC(2) is ${c.icc2.toFixed(2)}` : ''].filter(Boolean).join(' and ')}, below ${UNIT_SCORE_RELIABILITY}`;
        cells.push({ cell: c.name as Cell, omegaWithin: finiteOrNull(c.omegaWithin), omegaBetween: finiteOrNull(c.omegaBetween), icc1: finiteOrNull(c.icc1), icc2: finiteOrNull(c.icc2), supportsUnitScores: ok, reason: why });
      }
      return {
        dimension,
        n: fit.n,
        units: fit.clusters,
        converged: fit.converged,
        fit: { chisq: fit.fit.chisq, df: fit.fit.df, pvalue: fit.fit.pvalue, cfi: fit.fit.cfi, rmsea: fit.fit.rmsea, srmrWithin: fit.fit.srmrWithin, srmrBetween: fit.fit.srmrBetween },
        loadings: dimItems.map((i) => ({ item: i.id, cell: i.cell, within: loading(i.id, i.cell, 1), between: loading(i.id, i.cell, 2) })),
        warnings: [...fit.diagnostics.warnings, ...rel.diagnostics.warnings],
      };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      for (const c of dimCells) cells.push({ cell: c, omegaWithin: null, omegaBetween: null, icc1: null, icc2: null, supportsUnitScores: null, reason: `the two-level model of ${dimension} could not be fitted` });
      return { dimension, error: err.message };
    }
  });
  const supported = cells.filter((c) => c.supportsUnitScores === true).map((c) => c.cell);
  const not = cells.filter((c) => c.supportsUnitScores !== true);
  const verdict =
    not.length === 0
      ? `The unit-level structure supports using cell means as unit scores: in all ${cells.length} cells ω between and ICC(2) reach ${UNIT_SCORE_RELIABILITY}.`
      : supported.length === 0
        ? `The unit-level structure does not support using cell means as unit scores: ${not.map((c) => `${c.cell} (${c.reason})`).join('; ')}.`
        : `The unit-level structure supports cell means as unit scores for ${supported.join(', ')}, not for ${not.map((c) => `${c.cell} (${c.reason})`).join('; ')}; read those cells' unit means with care.`;
  return { dimensions, cells, verdict };
}
