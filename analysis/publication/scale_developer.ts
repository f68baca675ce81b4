import { InputError } from '../errors.js';
import { exploratoryFactorAnalysis } from '../efa/exploratory_factor_analysis.js';
import { parallelAnalysis } from '../efa/parallel_analysis.js';
import { reverseKey } from '../data/reverse_key.js';
import { scaleReliability } from '../reliability/scale_reliability.js';
import type { ItemStatistics } from '../items/item_analysis.js';
import { fitSem } from '../sem/fit_sem.js';
import { measurementInvariance } from '../sem/measurement_invariance.js';
import { seiModelSyntax } from '../sem/sei_model_syntax.js';
import { CELLS, DIMENSION_NAMES, DIMENSIONS, LEVER_NAMES, LEVERS, cellDimension, cellLever, type Cell, type Dimension } from '../sei_model.js';
import { resolveItemMap } from '../scoring/item_map.js';
import { cellScoreMatrix } from '../scoring/cell_scores.js';
import { validRespondents } from './valid_respondents.js';
import { multilevelMeasurement, type MultilevelMeasurement } from './multilevel_measurement.js';
import type { WavePublication, WavePublicationInput } from './publish_wave.js';
import { belowRequirement, factorAnalysisRequirement, reliabilityRequirement, type SkippedAnalysis } from './minimum_sample.js';
import { finiteOrNull } from './finite.js';
import { guardEfa } from './efa_guards.js';
import { NINE_CELL_MODEL, ordinalMeasurement, type OrdinalMeasurement } from './ordinal_measurement.js';

const DIMENSION_LABELS: Readonly<Record<Dimension, string>> = { S: 'Structural', R: 'Relational', T: 'Translational' };

/** The answers of one wave's visible units, as the scale-developer report analyses them. */
export interface ScaleAnalysisInput {
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly items: readonly { readonly id: string; readonly cell: Cell; readonly reverse: boolean }[];
  /** One row per complete answer set (NaN = missing or not applicable), units below the minimum group size already left out. */
  readonly rows: readonly (readonly number[])[];
  /** The context of each row's unit (the grouping of the invariance table); null when the unit has none. */
  readonly contexts: readonly (string | null)[];
  /** Each row's unit: with it, the multilevel section (two-level CFA, level-specific ω) is computed. */
  readonly units?: readonly string[];
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
  /** Why the scale was not analysed (its sample is below the minimum). */
  readonly skipped?: string;
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
  /** RMSEA's 90% interval (lavaan's rmsea.ci.lower, rmsea.ci.upper); absent in runs stored before it was kept. */
  readonly rmseaLower?: number;
  readonly rmseaUpper?: number;
  readonly srmr: number;
  /** Standardized loadings (lavaan's std.all) of the items on their cell factors. */
  readonly loadings?: readonly { readonly item: string; readonly factor: string; readonly std: number }[];
  readonly warnings: readonly string[];
}

export interface InvarianceTable {
  readonly scale: string;
  readonly groups: readonly string[];
  readonly groupSizes: readonly number[];
  readonly models: readonly { level: string; chisq: number; df: number; cfi: number; rmsea: number; srmr: number; converged: boolean }[];
  readonly comparisons: readonly { from: string; to: string; chisqDiff: number; dfDiff: number; p: number; deltaCfi: number; deltaRmsea: number; holds: boolean }[];
  /** With the partial search: per level that failed, the parameters released (`F=~item`, `item~1`) and whether it then holds. */
  readonly partial?: readonly { readonly level: string; readonly freed: readonly string[]; readonly holds: boolean }[];
  readonly warnings: readonly string[];
}

/** Options of {@link scaleAnalysis}. */
export interface ScaleAnalysisOptions {
  /** Search for partial invariance where a level fails (measurementInvariance's `partial`). Default false. */
  readonly partialInvariance?: boolean;
  /**
   * Add the ordinal path (ordinalMeasurement: WLSMV CFA of each dimension's cell model and of the
   * nine-cell model, ordinal invariance across contexts). Default false; the scale-developer run asks for it.
   */
  readonly ordinal?: boolean;
  /**
   * Also fit the nine-cell model: all items, nine correlated cell factors, ML (FIML), when the
   * sample meets the CFA rule for all items (5 per item, at least 100). Its row comes first in
   * `cfa`, named {@link NINE_CELL_MODEL}. Default false; the pilot purification asks for it.
   */
  readonly nineCellModel?: boolean;
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
  } | { readonly error: string } | SkippedAnalysis;
  readonly efa: {
    readonly nfactors: number;
    readonly kmo: number;
    /** Null when the statistic would be negative (no test then). */
    readonly bartlett: { readonly chisq: number; readonly df: number; readonly p: number } | null;
    readonly rmsea: number;
    readonly tli: number;
    readonly loadings: readonly LoadingRow[];
    readonly warnings: readonly string[];
  } | { readonly error: string } | SkippedAnalysis;
  readonly cfa: readonly (FitRow | { readonly model: string; readonly error: string } | ({ readonly model: string } & SkippedAnalysis))[];
  readonly invariance: readonly (InvarianceTable | { readonly scale: string; readonly error: string } | ({ readonly scale: string } & SkippedAnalysis))[];
  /** Two-level CFA per dimension, level-specific ω and ICC(2) per cell, and the verdict on cell means as unit scores (with `units`). */
  readonly multilevel?: MultilevelMeasurement | SkippedAnalysis | { readonly error: string };
  /** The WLSMV counterpart of `cfa` and `invariance` for the ordered answers, with which to read (with `ordinal`). */
  readonly ordinal?: OrdinalMeasurement;
  /** The smallest n of each analysis, as the report states it. */
  readonly requirements: readonly { readonly analysis: string; readonly minimum: number; readonly rule: string }[];
  readonly seconds: number;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}


/**
 * The scale-developer analyses of one wave, all from analysis/ (nothing is computed here):
 * item statistics and alpha/omega per cell, dimension and lever (scaleReliability: alpha
 * pairwise as the server's wave analysis does, omega total on the complete rows), parallel
 * analysis with the scree (parallelAnalysis, pairwise), a minres/oblimin EFA with one factor
 * per SEI cell and its item-retention flags (exploratoryFactorAnalysis), CFA fits of the cell
 * model per dimension (fitSem, FIML) and, with `nineCellModel`, of all items on nine correlated
 * cell factors (72 items need n ≥ 360 by the 5-per-item rule; below it the row says so), and
 * measurement invariance of each dimension's cell model across unit contexts
 * (measurementInvariance, FIML), and with `ordinal` their WLSMV counterparts on the ordered
 * answers (ordinalMeasurement). A step that fails is reported with its error; the others stand.
 */
export function scaleAnalysis(input: ScaleAnalysisInput, options: ScaleAnalysisOptions = {}): ScaleAnalysis {
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
    const small = belowRequirement(`Reliability of ${name}`, input.rows.length, reliabilityRequirement());
    if (small) {
      // Item means, SDs and item-total correlations still describe the items; alpha-if-dropped is a reliability and is left out.
      if (kind === 'cell' && input.rows.length >= 2) {
        try {
          for (const stat of scaleReliability(data, { ...options, missing: 'pairwise' }).items) {
            const item = input.items.find((i) => i.id === stat.item)!;
            items.push({ ...stat, alphaIfDropped: NaN, cell: item.cell, reverse: item.reverse });
          }
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
        }
      }
      return { scale: name, kind, nItems: columns.length, n: null, alpha: null, alphaStd: null, averageR: null, omegaTotal: null, nOmega: null, skipped: small.reason };
    }
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
        omegaTotal = finiteOrNull(listwise.omegaTotal);
        nOmega = listwise.n ?? null;
      } catch {
        // Too few complete rows for the one-factor model: omega stays empty.
      }
      return { scale: name, kind, nItems: columns.length, n: pairwise.nRows, alpha: finiteOrNull(pairwise.alpha), alphaStd: finiteOrNull(pairwise.alphaStd), averageR: finiteOrNull(pairwise.averageR), omegaTotal, nOmega };
    } catch (err) {
      return { scale: name, kind, nItems: columns.length, n: null, alpha: null, alphaStd: null, averageR: null, omegaTotal: null, nOmega: null, error: message(err) };
    }
  });

  const keyed = reverseKey(input.rows, input.items.flatMap((item, j) => (item.reverse ? [j] : [])), scale);

  const efaNeeds = factorAnalysisRequirement(ids.length);
  const efaSmall = belowRequirement('The EFA and parallel analysis', input.rows.length, efaNeeds);
  let parallel: ScaleAnalysis['parallel'];
  if (efaSmall) parallel = efaSmall;
  else try {
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
  if (efaSmall) efa = efaSmall;
  else try {
    const result = exploratoryFactorAnalysis(keyed, { items: ids, nfactors: CELLS.length, method: 'minres', rotate: 'oblimin', missing: 'pairwise' });
    const guarded = guardEfa(result.loadings, result.retention, result.bartlett);
    efa = {
      nfactors: result.nfactors,
      kmo: result.kmo,
      bartlett: guarded.bartlett,
      rmsea: result.fit.rmsea,
      tli: result.fit.tli,
      loadings: guarded.retention.map((r) => ({
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
      warnings: [...result.diagnostics.warnings, ...guarded.warnings],
    };
  } catch (err) {
    efa = { error: message(err) };
  }

  const dimensionItems = (d: (typeof DIMENSIONS)[number]) => input.items.filter((i) => cellDimension(i.cell) === d).map((i) => ({ item: i.id, cell: i.cell }));
  const fitRow = (model: string, syntax: string, nItems: number): ScaleAnalysis['cfa'][number] => {
    const small = belowRequirement(`The CFA of ${model}`, input.rows.length, factorAnalysisRequirement(nItems));
    if (small) return { model, ...small };
    try {
      const r = fitSem({ columns: ids, rows: keyed }, syntax, { missing: 'ml' });
      const loadings = r.estimates.filter((e) => e.op === '=~').map((e) => ({ item: e.rhs, factor: e.lhs, std: e.std }));
      return { model, n: r.n, converged: r.converged, chisq: r.fit.chisq, df: r.fit.df, pvalue: r.fit.pvalue, cfi: r.fit.cfi, tli: r.fit.tli, rmsea: r.fit.rmsea, rmseaLower: r.fit.rmseaLower, rmseaUpper: r.fit.rmseaUpper, srmr: r.fit.srmr, loadings, warnings: r.diagnostics.warnings };
    } catch (err) {
      return { model, error: message(err) };
    }
  };
  const cfa = DIMENSIONS.map((d) => fitRow(`${DIMENSION_LABELS[d]}: three correlated cell factors`, seiModelSyntax(dimensionItems(d), 'cells'), dimensionItems(d).length));
  if (options.nineCellModel) cfa.unshift(fitRow(NINE_CELL_MODEL, seiModelSyntax(input.items.map((i) => ({ item: i.id, cell: i.cell })), 'cells'), ids.length));

  const invariance = contextInvariance(input, keyed, options);
  const requirements = [
    { analysis: 'Reliability (alpha, omega)', ...reliabilityRequirement() },
    { analysis: 'EFA and parallel analysis', ...efaNeeds },
    ...(options.nineCellModel ? [{ analysis: 'CFA of the nine-cell model', ...factorAnalysisRequirement(ids.length) }] : []),
    ...DIMENSIONS.map((d) => ({ analysis: `CFA of ${DIMENSION_LABELS[d]}`, ...factorAnalysisRequirement(dimensionItems(d).length) })),
    ...DIMENSIONS.map((d) => ({ analysis: `Invariance of ${DIMENSION_LABELS[d]} (per group)`, ...factorAnalysisRequirement(dimensionItems(d).length) })),
  ];
  let multilevel: ScaleAnalysis['multilevel'];
  if (input.units) {
    try {
      multilevel = multilevelMeasurement(input.items, input.rows, input.units, scale);
    } catch (err) {
      multilevel = { error: message(err) };
    }
  }
  const ordinal = options.ordinal ? ordinalMeasurement(input.items, keyed, input.contexts, { invariance: true }) : undefined;
  return { n: input.rows.length, nItems: ids.length, items, reliability, parallel, efa, cfa, invariance, ...(multilevel ? { multilevel } : {}), ...(ordinal ? { ordinal } : {}), requirements, seconds: (Date.now() - started) / 1000 };
}

/**
 * Measurement invariance of each dimension's three-cell model across the contexts of the rows'
 * units (measurementInvariance, FIML), skipped where the smallest context is below the CFA's
 * minimum sample; empty with fewer than two contexts. `keyed` are the rows reverse-keyed.
 * `contexts` may hold any grouping of the rows (the invariance gate also passes locales and
 * waves); `across` names it in a skip's reason.
 */
export function contextInvariance(
  input: ScaleAnalysisInput,
  keyed: readonly (readonly number[])[],
  options: ScaleAnalysisOptions = {},
  across = 'contexts',
): ScaleAnalysis['invariance'] {
  const ids = input.items.map((i) => i.id);
  const dimensionItems = (d: (typeof DIMENSIONS)[number]) => input.items.filter((i) => cellDimension(i.cell) === d).map((i) => ({ item: i.id, cell: i.cell }));
  const groups = [...new Set(input.contexts.filter((c): c is string => c !== null))];
  if (groups.length < 2) return [];
  return DIMENSIONS.map((d) => {
    const name = DIMENSION_LABELS[d];
    const needs = factorAnalysisRequirement(dimensionItems(d).length);
    const smallest = Math.min(...groups.map((g) => input.contexts.filter((c) => c === g).length));
    const small = belowRequirement(`Invariance of ${name} across ${across} (in every group)`, smallest, needs);
    if (small) return { scale: name, ...small };
    try {
      const rows = keyed.filter((_, r) => input.contexts[r] !== null);
      const r = measurementInvariance(
        { columns: ids, rows, groups: input.contexts.filter((c) => c !== null) },
        seiModelSyntax(dimensionItems(d), 'cells'),
        // With the partial search (pilot purification, the invariance gate), the levels that item verdicts and mean comparisons need.
        options.partialInvariance ? { missing: 'ml', partial: true, levels: ['configural', 'metric', 'scalar'] } : { missing: 'ml' },
      );
      return {
        scale: name,
        groups: r.groups,
        groupSizes: r.groupSizes,
        models: r.models.map((m) => ({ level: m.level, chisq: m.chisq, df: m.df, cfi: m.cfi, rmsea: m.rmsea, srmr: m.srmr, converged: m.converged })),
        comparisons: r.comparisons.map((c) => ({ ...c })),
        ...(r.partial ? { partial: r.partial.map((p) => ({ level: p.level, freed: [...p.freed], holds: p.holds })) } : {}),
        warnings: r.diagnostics.warnings,
      };
    } catch (err) {
      return { scale: name, error: message(err) };
    }
  });
}

/** The published units' valid respondents of a wave, as scale analyses take them. */
export interface PublishedSample {
  readonly rows: number[][];
  /** Each row's unit context (null when the unit has none). */
  readonly contexts: (string | null)[];
  /** Each row's unit key. */
  readonly units: string[];
  /** Each row's position among the wave's answer sets (to join what the sets carry beside their answers, such as a locale). */
  readonly sets: number[];
}

/**
 * The valid respondents of the wave's published units (those whose aggregate covers only their
 * own members), the same sample as the publication's reliability and ICC, so that no
 * respondent of a suppressed unit enters any statistic.
 */
export function publishedSample(
  input: Pick<WavePublicationInput, 'scaleMin' | 'scaleMax' | 'items' | 'waves'> & { readonly contexts: Readonly<Record<string, string | null>> },
  publication: Pick<WavePublication, 'units'>,
): PublishedSample {
  const current = input.waves.at(-1)!;
  const units = new Set(publication.units.filter((u) => !u.suppressed && !u.rollup).map((u) => u.unitKey));
  const columns = input.items.map((i) => i.id);
  const resolved = resolveItemMap(
    { scaleMin: input.scaleMin, scaleMax: input.scaleMax, items: Object.fromEntries(input.items.map((i) => [i.id, { cell: i.cell, reverse: i.reverse }])) },
    columns,
  );
  const kept = current.answerSets.flatMap((set, index) => (units.has(set.unitKey) ? [{ set, index }] : []));
  const all = kept.map(({ set }) => columns.map((id) => (typeof set.answers[id] === 'number' ? (set.answers[id] as number) : NaN)));
  const valid = validRespondents(cellScoreMatrix(all, resolved), all.length);
  const sets = kept.filter((_, r) => valid[r]);
  return {
    rows: all.filter((_, r) => valid[r]),
    contexts: sets.map(({ set }) => input.contexts[set.unitKey] ?? null),
    units: sets.map(({ set }) => set.unitKey),
    sets: sets.map(({ index }) => index),
  };
}

/**
 * The scale-developer analyses of a published wave: scaleAnalysis over {@link publishedSample}.
 * `contexts` gives each unit's context (the invariance groups).
 * With the ordinal path (WLSMV CFA and ordinal invariance), computed here in the job, never at request time.
 */
export function scaleDeveloperAnalyses(
  input: WavePublicationInput & { readonly contexts: Readonly<Record<string, string | null>>; readonly seed: number },
  publication: WavePublication,
): ScaleAnalysis {
  const sample = publishedSample(input, publication);
  return scaleAnalysis({
    scaleMin: input.scaleMin,
    scaleMax: input.scaleMax,
    items: input.items,
    rows: sample.rows,
    contexts: sample.contexts,
    units: sample.units,
    seed: input.seed,
  }, { ordinal: true });
}
