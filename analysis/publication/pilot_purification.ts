import { correlation } from '../data/covariance.js';
import { reverseKey } from '../data/reverse_key.js';
import { InputError } from '../errors.js';
import { constructValidity } from '../sem/construct_validity.js';
import { seiModelSyntax } from '../sem/sei_model_syntax.js';
import { CELLS, DIMENSIONS, cellDimension, type Cell } from '../sei_model.js';
import { belowRequirement, factorAnalysisRequirement, isSkipped, type SkippedAnalysis } from './minimum_sample.js';
import { publishedSample, scaleAnalysis, type FitRow, type InvarianceTable, type ScaleAnalysis, type ScaleAnalysisInput } from './scale_developer.js';
import { NINE_CELL_MODEL } from './ordinal_measurement.js';
import type { WavePublication, WavePublicationInput } from './publish_wave.js';
import { finiteOrNull } from './finite.js';

/** What flagged an item in the pilot, in the order of the purification steps. */
export type PilotFlag = 'item-total' | 'floor' | 'ceiling' | 'cell-reliability' | 'wrong-cell' | 'low-loading' | 'non-invariant';

/** The rules of the pilot's verdicts (conventional cut-offs, each with its source). */
export const PILOT_THRESHOLDS = {
  /** Corrected item-total correlation within the cell below this: revise (Nunnally & Bernstein, 1994: .30). */
  rDrop: 0.3,
  /** Share of answers at the scale minimum or maximum above this: revise (a floor or ceiling effect; Terwee et al., 2007: 15%). */
  floorCeiling: 0.15,
  /** A cell's α or ω below this is too unreliable (Nunnally, 1978: .70); an item whose removal raises the cell's α: revise. */
  reliability: 0.7,
  /** Standardized CFA loading below this: revise (Hair et al., 2019: .40) … */
  loadingRevise: 0.4,
  /** … and below this: drop (the cell factor explains under 9% of the item's variance). */
  loadingDrop: 0.3,
} as const;

export interface PilotItemStatistics {
  readonly n: number | null;
  readonly mean: number | null;
  readonly sd: number | null;
  readonly floor: number | null;
  readonly ceiling: number | null;
  /** Corrected item-total correlation within the item's cell. */
  readonly rDrop: number | null;
  /** The cell's alpha without the item, and with it. */
  readonly alphaIfDropped: number | null;
  readonly cellAlpha: number | null;
  /** The cell's ω total (psych::omega). */
  readonly cellOmega: number | null;
  /** Correlation with the mean of the other items of its own cell (keyed). */
  readonly ownCellR: number | null;
  /** The other cell whose mean score the item correlates with most, and that correlation. */
  readonly nearestOtherCell: Cell | null;
  readonly nearestOtherCellR: number | null;
  /** Standardized loading on its cell factor (lavaan's std.all) in the nine-cell model, or in the CFA of its dimension when the run fell back to those ({@link PilotPurification.measurementModel}). */
  readonly loading: number | null;
  /** The EFA factor the item loads on most, and the one most of its cell loads on. */
  readonly efaFactor: number | null;
  readonly efaCellFactor: number | null;
  /** Equality constraints of the item released by the partial invariance search (`SxA=~SxA_3`, `SxA_3~1`). */
  readonly nonInvariant: readonly string[];
}

export interface PilotItemVerdict {
  readonly item: string;
  readonly cell: Cell;
  readonly verdict: 'keep' | 'revise' | 'drop';
  readonly flags: readonly PilotFlag[];
  /** One sentence per flag, with its numbers. */
  readonly reasons: readonly string[];
  readonly statistics: PilotItemStatistics;
}

/** Convergent and discriminant validity of the cell factors of one model: the nine-cell model, or one dimension's three cells. */
export interface PilotValidity {
  /** The model's name: {@link NINE_CELL_MODEL}, or the dimension's name (Structural, Relational, Translational). */
  readonly dimension: string;
  readonly factors: readonly { readonly factor: string; readonly ave: number; readonly cr: number; readonly sqrtAve: number; readonly maxCorrelation: number }[];
  readonly htmt: readonly { readonly a: string; readonly b: string; readonly value: number }[];
  readonly fornellLarcker: boolean;
}

/** The stored result of a pilot run: the purification steps and a verdict per item. */
export interface PilotPurification {
  readonly kind: 'pilot';
  readonly n: number;
  readonly contexts: readonly { readonly context: string; readonly n: number }[];
  /** Item analysis, EFA with parallel analysis, reliability per cell, CFA of the nine-cell model and per dimension, invariance (partial search). */
  readonly steps: ScaleAnalysis;
  /**
   * The CFA whose standardized loadings and AVE/CR/HTMT the verdicts use: the nine-cell model
   * (all items, nine correlated cell factors) when it was fitted and converged, else the three
   * per-dimension models, with the reason in `reason`.
   */
  readonly measurementModel: {
    readonly model: 'nine-cell' | 'per-dimension';
    readonly reason: string;
    /** The nine-cell model's fit, when it was used. */
    readonly fit: FitRow | null;
  };
  readonly validity: readonly (PilotValidity | { readonly dimension: string; readonly error: string } | ({ readonly dimension: string } & SkippedAnalysis))[];
  readonly items: readonly PilotItemVerdict[];
  /** Ids of the items whose verdict is not keep. */
  readonly flagged: readonly string[];
  readonly thresholds: typeof PILOT_THRESHOLDS;
  /** The steps that could not run on this sample, in words (their items are judged on the rest). */
  readonly warnings: readonly string[];
}

const DIMENSION_LABELS = { S: 'Structural', R: 'Relational', T: 'Translational' } as const;

const round = (x: number) => Number(x.toFixed(2));

/** The mean of the answered columns of each row (NaN when none is answered). */
function rowMeans(rows: readonly (readonly number[])[], columns: readonly number[]): number[] {
  return rows.map((row) => {
    let s = 0;
    let k = 0;
    for (const j of columns) {
      if (Number.isNaN(row[j])) continue;
      s += row[j];
      k++;
    }
    return k > 0 ? s / k : NaN;
  });
}

function pairwiseR(x: readonly number[], y: readonly number[]): number | null {
  const r = correlation(x.map((v, i) => [v, y[i]]), { missing: 'pairwise' }).r[0][1];
  return finiteOrNull(r);
}

/** The parameters that the partial invariance search released for an item, at the metric and scalar levels. */
function releasedFor(item: string, invariance: ScaleAnalysis['invariance']): string[] {
  const out: string[] = [];
  for (const t of invariance) {
    if (isSkipped(t) || 'error' in t) continue;
    for (const p of (t as InvarianceTable).partial ?? []) {
      if (p.level !== 'metric' && p.level !== 'scalar') continue;
      for (const key of p.freed) {
        const [lhs, rhs] = key.includes('=~') ? key.split('=~') : [key.replace(/~1$/, ''), ''];
        if ((key.includes('=~') && rhs === item) || (key.endsWith('~1') && lhs === item)) out.push(key);
      }
    }
  }
  return out;
}

/**
 * Pilot purification of the SEI-CI (Churchill, 1979, doi:10.1177/002224377901600110; DeVellis,
 * 2017): the steps in order, all from analysis/ — item analysis and reliability per cell (psych's
 * alpha and omega), EFA with parallel analysis (psych::fa, fa.parallel), a CFA of the nine-cell
 * model (all items, nine correlated cell factors, ML; lavaan::cfa) — or, when the sample is below
 * its minimum (5 per item), of each dimension's three cell factors, said in `warnings` — convergent and discriminant validity (AVE, CR, HTMT), and
 * measurement invariance across the contexts present with the partial search (semTools) — then a
 * verdict per item with its reasons and numbers:
 * - **wrong cell**: the item correlates more with another cell's mean score than with the rest
 *   of its own cell (an item-level discriminant check, Campbell & Fiske, 1959); the EFA factor is
 *   given as further evidence. Drop: its content belongs to another cell.
 * - **low loading**: standardized loading on its cell factor below .40 (revise), below .30 (drop).
 * - **non-invariant**: its loading or intercept was released to reach partial metric or scalar
 *   invariance across contexts (revise: the wording works differently in some context).
 * - **item statistics**: corrected item-total r within the cell below .30, or more than 15% of
 *   answers at the floor or ceiling (revise).
 * - **cell reliability**: its cell's α or ω is below .70 and α rises without the item (revise).
 * A step below its minimum sample is skipped and said so; its rule then flags nothing. No R
 * function gives these verdicts; each statistic is checked against R where it is computed.
 */
export function pilotPurification(input: ScaleAnalysisInput): PilotPurification {
  if (input.rows.length < 2) throw new InputError('rows', `a pilot analysis needs at least 2 valid respondents; got ${input.rows.length}.`);
  const steps = scaleAnalysis(input, { partialInvariance: true, nineCellModel: true });
  const ids = input.items.map((i) => i.id);
  const keyed = reverseKey(input.rows, input.items.flatMap((item, j) => (item.reverse ? [j] : [])), { min: input.scaleMin, max: input.scaleMax });
  const columnsOf = (cell: Cell) => input.items.flatMap((item, j) => (item.cell === cell ? [j] : []));
  const cellScores = new Map(CELLS.map((c) => [c, rowMeans(keyed, columnsOf(c))]));
  const measurementModel = chooseMeasurementModel(steps.cfa);
  const loadings = new Map<string, number>();
  const fromModel = (fit: ScaleAnalysis['cfa'][number]) => (fit.model === NINE_CELL_MODEL) === (measurementModel.model === 'nine-cell');
  for (const fit of steps.cfa) if (fromModel(fit) && !isSkipped(fit) && !('error' in fit)) for (const l of fit.loadings ?? []) if (l.factor === input.items.find((i) => i.id === l.item)?.cell) loadings.set(l.item, l.std);
  const efa = 'loadings' in steps.efa ? steps.efa.loadings : null;
  const efaCellFactor = new Map<Cell, number>();
  if (efa) {
    for (const cell of CELLS) {
      const counts = new Map<number, number>();
      for (const l of efa) if (l.cell === cell) counts.set(l.primaryFactor, (counts.get(l.primaryFactor) ?? 0) + 1);
      const modal = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
      if (modal) efaCellFactor.set(cell, modal[0]);
    }
  }
  const warnings: string[] = [];
  if (isSkipped(steps.efa)) warnings.push(`${steps.efa.reason} The EFA is given as evidence only, so no verdict depends on it.`);
  if (measurementModel.model === 'per-dimension') warnings.push(measurementModel.reason);
  for (const fit of steps.cfa) if (fit.model !== NINE_CELL_MODEL && isSkipped(fit)) warnings.push(`${fit.reason} Its items get no loading verdict.`);
  for (const t of steps.invariance) if (isSkipped(t)) warnings.push(`${t.reason} Its items get no invariance verdict.`);
  const groups = [...new Set(input.contexts.filter((c): c is string => c !== null))];
  if (groups.length < 2) warnings.push('The respondents come from fewer than two contexts, so invariance across contexts was not tested.');

  const items = input.items.map((item, j): PilotItemVerdict => {
    const stat = steps.items.find((s) => s.item === item.id);
    const cellRow = steps.reliability.find((r) => r.kind === 'cell' && r.scale === item.cell);
    const own = columnsOf(item.cell).filter((k) => k !== j);
    const x = keyed.map((row) => row[j]);
    const ownCellR = own.length > 0 ? pairwiseR(x, rowMeans(keyed, own)) : null;
    let nearestOtherCell: Cell | null = null;
    let nearestOtherCellR: number | null = null;
    for (const c of CELLS) {
      if (c === item.cell || columnsOf(c).length === 0) continue;
      const r = pairwiseR(x, cellScores.get(c)!);
      if (r !== null && (nearestOtherCellR === null || r > nearestOtherCellR)) {
        nearestOtherCell = c;
        nearestOtherCellR = r;
      }
    }
    const efaRow = efa?.find((l) => l.item === item.id);
    const statistics: PilotItemStatistics = {
      n: finiteOrNull(stat?.n),
      mean: finiteOrNull(stat?.mean),
      sd: finiteOrNull(stat?.sd),
      floor: finiteOrNull(stat?.floor),
      ceiling: finiteOrNull(stat?.ceiling),
      rDrop: finiteOrNull(stat?.rDrop),
      alphaIfDropped: finiteOrNull(stat?.alphaIfDropped),
      cellAlpha: finiteOrNull(cellRow?.alpha),
      cellOmega: finiteOrNull(cellRow?.omegaTotal),
      ownCellR,
      nearestOtherCell,
      nearestOtherCellR,
      loading: finiteOrNull(loadings.get(item.id)),
      efaFactor: efaRow ? efaRow.primaryFactor : null,
      efaCellFactor: efaCellFactor.get(item.cell) ?? null,
      nonInvariant: releasedFor(item.id, steps.invariance),
    };
    const flags: PilotFlag[] = [];
    const reasons: string[] = [];
    let drop = false;
    const t = PILOT_THRESHOLDS;
    if (statistics.rDrop !== null && statistics.rDrop < t.rDrop) {
      flags.push('item-total');
      reasons.push(`its corrected item-total correlation within ${item.cell} is ${round(statistics.rDrop)} (below ${t.rDrop})`);
    }
    if (statistics.floor !== null && statistics.floor > t.floorCeiling) {
      flags.push('floor');
      reasons.push(`${Math.round(statistics.floor * 100)}% of answers are at the scale minimum (more than ${t.floorCeiling * 100}%)`);
    }
    if (statistics.ceiling !== null && statistics.ceiling > t.floorCeiling) {
      flags.push('ceiling');
      reasons.push(`${Math.round(statistics.ceiling * 100)}% of answers are at the scale maximum (more than ${t.floorCeiling * 100}%)`);
    }
    const weakCell = (statistics.cellAlpha !== null && statistics.cellAlpha < t.reliability) || (statistics.cellOmega !== null && statistics.cellOmega < t.reliability);
    if (weakCell && statistics.cellAlpha !== null && statistics.alphaIfDropped !== null && statistics.alphaIfDropped > statistics.cellAlpha) {
      flags.push('cell-reliability');
      const omega = statistics.cellOmega === null ? '' : ` and ω = ${round(statistics.cellOmega)}`;
      reasons.push(`its cell ${item.cell} has α = ${round(statistics.cellAlpha)}${omega} (the target is ${t.reliability}), and without it α would rise to ${round(statistics.alphaIfDropped)}`);
    }
    if (ownCellR !== null && nearestOtherCellR !== null && nearestOtherCellR > ownCellR) {
      flags.push('wrong-cell');
      drop = true;
      const efaNote = statistics.efaFactor !== null && statistics.efaCellFactor !== null && statistics.efaFactor !== statistics.efaCellFactor ? `; in the EFA it loads on factor ${statistics.efaFactor + 1}, not on its cell's factor ${statistics.efaCellFactor + 1}` : '';
      reasons.push(`it correlates more with ${nearestOtherCell}'s score (r = ${round(nearestOtherCellR)}) than with the rest of ${item.cell} (r = ${round(ownCellR)})${efaNote}`);
    }
    if (statistics.loading !== null && statistics.loading < t.loadingRevise) {
      flags.push('low-loading');
      if (statistics.loading < t.loadingDrop) drop = true;
      reasons.push(`its standardized loading on ${item.cell} is ${round(statistics.loading)} (below ${statistics.loading < t.loadingDrop ? t.loadingDrop : t.loadingRevise})`);
    }
    if (statistics.nonInvariant.length > 0) {
      flags.push('non-invariant');
      const what = statistics.nonInvariant.map((k) => (k.includes('=~') ? 'loading' : 'intercept'));
      reasons.push(`its ${[...new Set(what)].join(' and ')} differ${what.length === 1 ? 's' : ''} across contexts (${groups.join(', ')}): released to reach partial invariance (${statistics.nonInvariant.join(', ')})`);
    }
    const verdict = drop ? 'drop' : flags.length > 0 ? 'revise' : 'keep';
    return { item: item.id, cell: item.cell, verdict, flags, reasons, statistics };
  });

  const validityModels: { dimension: string; items: { item: string; cell: Cell }[] }[] =
    measurementModel.model === 'nine-cell'
      ? [{ dimension: NINE_CELL_MODEL, items: input.items.map((i) => ({ item: i.id, cell: i.cell })) }]
      : DIMENSIONS.map((d) => ({ dimension: DIMENSION_LABELS[d], items: input.items.filter((i) => cellDimension(i.cell) === d).map((i) => ({ item: i.id, cell: i.cell })) }));
  const validity: PilotPurification['validity'] = validityModels.map(({ dimension, items: dimItems }) => {
    const small = belowRequirement(`The validity of ${dimension}`, input.rows.length, factorAnalysisRequirement(dimItems.length));
    if (small) return { dimension, ...small };
    try {
      const v = constructValidity({ columns: ids, rows: keyed }, seiModelSyntax(dimItems, 'cells'), { missing: 'ml' });
      return {
        dimension,
        factors: v.factors.map((f) => ({ factor: f.factor, ave: f.ave, cr: f.cr, sqrtAve: f.sqrtAve, maxCorrelation: f.maxCorrelation })),
        htmt: v.htmt.map((h) => ({ ...h })),
        fornellLarcker: v.fornellLarcker,
      };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      return { dimension, error: err.message };
    }
  });

  return {
    kind: 'pilot',
    n: input.rows.length,
    contexts: groups.map((context) => ({ context, n: input.contexts.filter((c) => c === context).length })),
    steps,
    measurementModel,
    validity,
    items,
    flagged: items.filter((i) => i.verdict !== 'keep').map((i) => i.item),
    thresholds: PILOT_THRESHOLDS,
    warnings,
  };
}

/**
 * The measurement model of the verdicts: the nine-cell model when `cfa` holds its converged fit;
 * otherwise the per-dimension models, with the reason (its sample is below the CFA rule for all
 * items, it failed, or it did not converge).
 */
function chooseMeasurementModel(cfa: ScaleAnalysis['cfa']): PilotPurification['measurementModel'] {
  const nine = cfa.find((f) => f.model === NINE_CELL_MODEL);
  const fallback = 'The loadings and AVE/CR/HTMT come from the CFA of each dimension (three correlated cell factors) instead.';
  if (!nine) return { model: 'per-dimension', reason: `The nine-cell model was not fitted. ${fallback}`, fit: null };
  if (isSkipped(nine)) return { model: 'per-dimension', reason: `${nine.reason} ${fallback}`, fit: null };
  if ('error' in nine) return { model: 'per-dimension', reason: `The CFA of the nine-cell model failed: ${nine.error} ${fallback}`, fit: null };
  if (!nine.converged) return { model: 'per-dimension', reason: `The CFA of the nine-cell model did not converge. ${fallback}`, fit: null };
  return { model: 'nine-cell', reason: `The loadings and AVE/CR/HTMT come from the CFA of the nine-cell model (${nine.n} respondents, ${nine.loadings?.length ?? 0} items on nine correlated cell factors).`, fit: nine };
}

/** The pilot analysis of a published wave: {@link pilotPurification} over its published units' valid respondents. */
export function pilotAnalysis(
  input: WavePublicationInput & { readonly contexts: Readonly<Record<string, string | null>>; readonly seed: number },
  publication: WavePublication,
): PilotPurification {
  const sample = publishedSample(input, publication);
  return pilotPurification({ scaleMin: input.scaleMin, scaleMax: input.scaleMax, items: input.items, rows: sample.rows, contexts: sample.contexts, seed: input.seed });
}
