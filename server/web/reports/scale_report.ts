import { DIMENSION_NAMES, DIMENSIONS } from '../../../instrument/index.js';
import { DIMENSION_LABELS, renderSvg, screePlotSpec } from '../../charts/index.js';
import type { AnalysedWave } from '../queries/analysed_waves.js';
import { isSkipped, type LoadingRow, type ScaleAnalysis } from '../../../analysis/index.js';
import { finiteOrNull } from '../../../analysis/publication/finite.js';
import { seiModelSyntax } from '../../../analysis/index.js';
import { cellDimension, isCell, type Cell } from '../../../instrument/model.js';
import { scalePreregistration, type ReportPreregistration } from '../../prereg/report_commitments.js';
import type { Services } from '../../services.js';

export interface AgreementRow {
  readonly dimension: string;
  readonly icc1: number | null;
  readonly icc2: number | null;
  readonly F: number | null;
  readonly df1: number | null;
  readonly df2: number | null;
  readonly p: number | null;
  readonly meanRwgj: number | null;
}

/** Everything the scale-developer report shows (also its JSON download). */
export interface ScaleReport {
  readonly wave: { readonly id: number; readonly name: string; readonly analysisId: number; readonly analysedAt: string | null };
  readonly minGroupSize: number;
  /** Visible units (at or over the minimum group size); the only ones analysed. */
  readonly units: number;
  readonly computedAt: string;
  readonly analysis: ScaleAnalysis;
  readonly agreement: readonly AgreementRow[];
  readonly unitAgreement: readonly { readonly unitKey: string; readonly n: number; readonly rwgj: Readonly<Record<string, number | null>> }[];
  /** The measurement-model commitments of the wave the run followed, or how it deviated (issue 18). */
  readonly preregistration?: ReportPreregistration;
}

/**
 * The scale-developer run's pre-registration: the models it fits (each dimension's three
 * correlated cell factors, ML, invariance across unit contexts from configural to strict)
 * against the wave's measurement-model commitments.
 */
export async function scaleReportPreregistration(s: Services, wave: { readonly id: number; readonly instrumentVersion: string }): Promise<ReportPreregistration> {
  const instrument = await s.instruments.get(wave.instrumentVersion);
  const items = (instrument?.definition.items ?? []).flatMap((i) => (i.cell !== null && isCell(i.cell) ? [{ item: i.id, cell: i.cell as Cell }] : []));
  return scalePreregistration(s, wave.id, {
    models: DIMENSIONS.map((d) => ({ name: DIMENSION_LABELS[d], syntax: seiModelSyntax(items.filter((i) => cellDimension(i.cell) === d), 'cells') })),
    estimator: 'ML',
    groups: 'context',
    invariance: ['configural', 'metric', 'scalar', 'strict'],
  });
}

/** The report data of a finished scale analysis, with the agreement of the stored wave analysis. */
export function scaleReport(analysed: AnalysedWave, analysis: ScaleAnalysis, computedAt: string): ScaleReport {
  const stored: Partial<Record<string, { icc1: number; icc2: number; F: number; df1: number; df2: number; p: number; meanRwgj: number | null }>> = isSkipped(analysed.results.agreement) ? {} : analysed.results.agreement;
  return {
    wave: { id: analysed.wave.id, name: analysed.wave.name, analysisId: analysed.analysisId, analysedAt: analysed.analysedAt },
    minGroupSize: analysed.wave.minGroupSize,
    units: analysed.visible.length,
    computedAt,
    analysis,
    agreement: DIMENSIONS.map((d) => {
      const a = stored[DIMENSION_NAMES[d]];
      return {
        dimension: DIMENSION_LABELS[d],
        icc1: finiteOrNull(a?.icc1),
        icc2: finiteOrNull(a?.icc2),
        F: finiteOrNull(a?.F),
        df1: finiteOrNull(a?.df1),
        df2: finiteOrNull(a?.df2),
        p: finiteOrNull(a?.p),
        meanRwgj: finiteOrNull(a?.meanRwgj),
      };
    }),
    unitAgreement: analysed.visible.map((u) => ({
      unitKey: u.unitKey,
      n: u.n,
      rwgj: Object.fromEntries(DIMENSIONS.map((d) => [DIMENSION_NAMES[d], finiteOrNull(u.rwgj?.[DIMENSION_NAMES[d]])])),
    })),
  };
}

/** The scree plot with parallel analysis, or null when parallel analysis failed. */
export async function screeChart(r: ScaleReport): Promise<string | null> {
  const pa = r.analysis.parallel;
  if ('error' in pa || isSkipped(pa)) return null;
  return renderSvg(
    screePlotSpec({
      title: `Scree plot · ${r.wave.name}`,
      subtitle: `${r.analysis.nItems} SEI-CI items, n = ${r.analysis.n}; dashed: 95th percentile of resampled data (${pa.iterations} sets); parallel analysis suggests ${pa.nfactors} factors, ${pa.ncomponents} components`,
      eigenvalues: pa.eigenvalues,
      parallel: pa.resampled,
      suggestedFactors: pa.ncomponents,
      maxFactors: 20,
    }),
  );
}

/**
 * The report's tables as one tidy CSV: `table, row, column, value`, one line per number or label
 * (e.g. `item, SxA_1, mean, 5.21`), so that R's or a spreadsheet's pivot rebuilds any table.
 */
export function scaleReportRows(r: ScaleReport): string[][] {
  const rows: string[][] = [['table', 'row', 'column', 'value']];
  const put = (table: string, row: string, values: Record<string, unknown>) => {
    for (const [column, value] of Object.entries(values)) {
      if (value === undefined) continue;
      rows.push([table, row, column, typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value === null ? '' : String(value)]);
    }
  };
  const a = r.analysis;
  for (const i of a.items) put('items', i.item, { cell: i.cell, reverse: i.reverse, n: i.n, mean: i.mean, sd: i.sd, rTotal: i.rTotal, rDrop: i.rDrop, alphaIfDropped: i.alphaIfDropped, floor: i.floor, ceiling: i.ceiling });
  for (const s of a.reliability) put('reliability', s.scale, { kind: s.kind, nItems: s.nItems, n: s.n, alpha: s.alpha, alphaStd: s.alphaStd, averageR: s.averageR, omegaTotal: s.omegaTotal, nOmega: s.nOmega, error: s.error, skipped: s.skipped });
  if (isSkipped(a.parallel)) put('parallel', 'all', { skipped: a.parallel.reason });
  else if ('error' in a.parallel) put('parallel', 'all', { error: a.parallel.error });
  else {
    const pa = a.parallel;
    pa.eigenvalues.forEach((e, k) => put('parallel', String(k + 1), { observed: e, resampled95: pa.resampled[k], simulated95: pa.simulated[k] }));
    put('parallel', 'suggested', { factors: pa.nfactors, components: pa.ncomponents });
  }
  if (isSkipped(a.efa)) put('loadings', 'all', { skipped: a.efa.reason });
  else if ('error' in a.efa) put('loadings', 'all', { error: a.efa.error });
  else {
    for (const l of loadingViews(a.efa.loadings)) {
      put('loadings', l.item, { cell: l.cell, ...Object.fromEntries(l.loadings.map((x, k) => [`F${k + 1}`, x])), communality: l.communality, primaryFactor: l.primaryFactor, primaryLoading: l.primaryLoading, crossLoading: l.crossLoading, verdict: l.verdict, reason: l.reason, cellFactor: l.cellFactor, strays: l.strays });
    }
  }
  for (const c of a.cfa) put('cfa', c.model, isSkipped(c) ? { skipped: c.reason } : 'error' in c ? { error: c.error } : { n: c.n, converged: c.converged, chisq: c.chisq, df: c.df, pvalue: c.pvalue, cfi: c.cfi, tli: c.tli, rmsea: c.rmsea, srmr: c.srmr });
  for (const t of a.invariance) {
    if (isSkipped(t)) {
      put('invariance', t.scale, { skipped: t.reason });
      continue;
    }
    if ('error' in t) {
      put('invariance', t.scale, { error: t.error });
      continue;
    }
    for (const m of t.models) put('invariance', `${t.scale} ${m.level}`, { chisq: m.chisq, df: m.df, cfi: m.cfi, rmsea: m.rmsea, srmr: m.srmr, converged: m.converged });
    for (const c of t.comparisons) put('invariance_tests', `${t.scale} ${c.from}->${c.to}`, { chisqDiff: c.chisqDiff, dfDiff: c.dfDiff, p: c.p, deltaCfi: c.deltaCfi, deltaRmsea: c.deltaRmsea, holds: c.holds });
  }
  if (a.ordinal) {
    const o = a.ordinal;
    put('ordinal', 'rule', { read: o.read, categories: o.categories, skewedItems: o.skewedItems, nItems: o.nItems, maxAbsSkewness: o.maxAbsSkewness, rule: o.rule });
    for (const c of o.cfa) put('ordinal_cfa', c.model, isSkipped(c) ? { skipped: c.reason } : 'error' in c ? { error: c.error } : { n: c.n, converged: c.converged, chisqScaled: c.chisqScaled, df: c.df, pvalueScaled: c.pvalueScaled, cfiScaled: c.cfiScaled, tliScaled: c.tliScaled, rmseaScaled: c.rmseaScaled, cfiRobust: c.cfiRobust, tliRobust: c.tliRobust, rmseaRobust: c.rmseaRobust, srmr: c.srmr });
    for (const t of o.invariance) {
      if (isSkipped(t)) put('ordinal_invariance', t.scale, { skipped: t.reason });
      else if ('error' in t) put('ordinal_invariance', t.scale, { error: t.error });
      else {
        for (const m of t.models) put('ordinal_invariance', `${t.scale} ${m.level}`, { chisqScaled: m.chisqScaled, df: m.df, cfiScaled: m.cfiScaled, rmseaScaled: m.rmseaScaled, cfiRobust: m.cfiRobust, rmseaRobust: m.rmseaRobust, converged: m.converged });
        for (const c of t.comparisons) put('ordinal_invariance_tests', `${t.scale} ${c.from}->${c.to}`, { chisqDiff: c.chisqDiff, dfDiff: c.dfDiff, p: c.p, deltaCfi: c.deltaCfi, deltaRmsea: c.deltaRmsea, holds: c.holds });
      }
    }
  }
  const ml = a.multilevel;
  if (ml && isSkipped(ml)) put('multilevel', 'all', { skipped: ml.reason });
  else if (ml && 'error' in ml) put('multilevel', 'all', { error: ml.error });
  else if (ml) {
    put('multilevel', 'verdict', { text: ml.verdict });
    for (const d of ml.dimensions) {
      if ('error' in d) {
        put('multilevel_fit', d.dimension, { error: d.error });
        continue;
      }
      put('multilevel_fit', d.dimension, { n: d.n, units: d.units, converged: d.converged, ...d.fit });
      for (const l of d.loadings) put('multilevel_loadings', l.item, { cell: l.cell, within: l.within, between: l.between });
    }
    for (const c of ml.cells) put('multilevel_reliability', c.cell, { omegaWithin: c.omegaWithin, omegaBetween: c.omegaBetween, icc1: c.icc1, icc2: c.icc2, supportsUnitScores: c.supportsUnitScores, reason: c.reason });
  }
  for (const g of r.agreement) put('agreement', g.dimension, { icc1: g.icc1, icc2: g.icc2, F: g.F, df1: g.df1, df2: g.df2, p: g.p, meanRwgj: g.meanRwgj });
  for (const u of r.unitAgreement) put('unit_rwgj', u.unitKey, { n: u.n, ...u.rwgj });
  return rows;
}

/** A loadings row as the report shows it: with whether the item loads with the rest of its cell. */
export interface LoadingView extends LoadingRow {
  /** The factor most of the cell's items load on primarily. */
  readonly cellFactor: number;
  /** True when the item's primary factor is not its cell's factor. */
  readonly strays: boolean;
}

/**
 * Marks the items whose primary factor differs from their cell's (the factor most of the cell's
 * items load on): for a scale developer, items that measure another cell than intended.
 */
export function loadingViews(loadings: readonly LoadingRow[]): LoadingView[] {
  const modal = new Map<string, number>();
  for (const cell of new Set(loadings.map((l) => l.cell))) {
    const counts = new Map<number, number>();
    for (const l of loadings) if (l.cell === cell) counts.set(l.primaryFactor, (counts.get(l.primaryFactor) ?? 0) + 1);
    modal.set(cell, [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0]);
  }
  return loadings.map((l) => ({ ...l, cellFactor: modal.get(l.cell)!, strays: l.primaryFactor !== modal.get(l.cell) }));
}
