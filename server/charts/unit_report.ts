import type { TopLevelSpec } from 'vega-lite';
import { InputError } from '../../analysis/errors.js';
import { CELLS, DIMENSION_NAMES, DIMENSIONS, LEVER_NAMES, LEVERS, type Cell, type DimensionName, type LeverName } from '../../instrument/index.js';
import { cellHeatmapSpec } from './cell_heatmap.js';
import { misalignmentTrendSpec } from './misalignment_trend.js';
import { scoreBarsSpec, type DimensionLeverScores } from './score_bars.js';

/** One unit-wave of `seici score` / `scoreUnits` output (only the fields the charts use). */
export interface UnitWaveScores {
  readonly unit: string;
  readonly wave: string;
  readonly n: number;
  readonly cells: Readonly<Partial<Record<Cell, number | null>>>;
  readonly dimensions: Readonly<Partial<Record<DimensionName, number | null>>>;
  readonly levers: Readonly<Partial<Record<LeverName, number | null>>>;
  readonly misalignment: number | null;
  readonly drift?: number | null;
  readonly rwgj?: Readonly<Partial<Record<DimensionName, number | null>>>;
}

export interface UnitReportOptions {
  readonly unit: string;
  readonly wave: string;
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly minGroupSize: number;
  /** Waves in time order; defaults to their order of first appearance. */
  readonly waves?: readonly string[];
  /** How many of the weakest cells to outline on the heatmap (default 2). */
  readonly weakestCells?: number;
  /** Display name of the unit (default its key). */
  readonly unitName?: string;
}

export interface UnitReportCharts {
  readonly heatmap: TopLevelSpec;
  readonly scoreBars: TopLevelSpec;
  readonly misalignment: TopLevelSpec;
  /** The outlined weakest cells, lowest first (for the interventions list). */
  readonly weakestCells: readonly Cell[];
}

function mean(xs: readonly (number | null | undefined)[]): number | null {
  const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

function medianOf(xs: readonly (number | null | undefined)[]): number | null {
  const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/**
 * The unit report's charts from scored unit-waves: the cell heatmap and the dimension and
 * lever bars for one unit-wave, each against the organisation (the unweighted mean over the
 * wave's units with at least `minGroupSize` respondents), and the unit's misalignment and
 * drift over all waves against the organisation's median M. Units and waves below the
 * minimum group size neither appear nor count towards the organisation.
 */
export function unitReportCharts(rows: readonly UnitWaveScores[], options: UnitReportOptions): UnitReportCharts {
  const reportable = rows.filter((r) => r.n >= options.minGroupSize);
  const current = reportable.find((r) => r.unit === options.unit && r.wave === options.wave);
  if (!current) {
    throw new InputError('unit', `Unit ${options.unit} has no reportable scores in wave ${options.wave} (missing or below the minimum group size ${options.minGroupSize}).`);
  }
  const peers = reportable.filter((r) => r.wave === options.wave);
  const orgCells = Object.fromEntries(CELLS.map((c) => [c, mean(peers.map((p) => p.cells[c]))])) as Record<Cell, number | null>;
  const organisation: DimensionLeverScores = {
    dimensions: Object.fromEntries(DIMENSIONS.map((d) => [DIMENSION_NAMES[d], mean(peers.map((p) => p.dimensions[DIMENSION_NAMES[d]]))])),
    levers: Object.fromEntries(LEVERS.map((l) => [LEVER_NAMES[l], mean(peers.map((p) => p.levers[LEVER_NAMES[l]]))])),
  };
  const weakest = CELLS.filter((c) => typeof current.cells[c] === 'number' && Number.isFinite(current.cells[c]))
    .sort((a, b) => (current.cells[a] as number) - (current.cells[b] as number))
    .slice(0, options.weakestCells ?? 2);
  const name = options.unitName ?? options.unit;
  const waves = options.waves ?? [...new Set(rows.map((r) => r.wave))];
  const own = new Map(rows.filter((r) => r.unit === options.unit).map((r) => [r.wave, r]));
  const comparison = `${peers.length} reportable unit${peers.length === 1 ? '' : 's'}`;
  return {
    heatmap: cellHeatmapSpec({
      title: `${name} · cells · ${options.wave}`,
      subtitle: `n = ${current.n}; tiles compared with the organisation (${comparison}); dashed: weakest cells`,
      n: current.n,
      minGroupSize: options.minGroupSize,
      scaleMin: options.scaleMin,
      scaleMax: options.scaleMax,
      cells: current.cells,
      organisation: orgCells,
      highlight: weakest,
    }),
    scoreBars: scoreBarsSpec({
      title: `${name} · dimensions and levers · ${options.wave}`,
      subtitle: `n = ${current.n}; bars: this unit, ticks: organisation (${comparison})`,
      n: current.n,
      minGroupSize: options.minGroupSize,
      scaleMin: options.scaleMin,
      scaleMax: options.scaleMax,
      unit: { dimensions: current.dimensions, levers: current.levers },
      organisation,
      rwgj: current.rwgj,
    }),
    misalignment: misalignmentTrendSpec({
      title: `${name} · misalignment and drift`,
      minGroupSize: options.minGroupSize,
      waves: waves
        .filter((w) => own.has(w))
        .map((w) => {
          const r = own.get(w)!;
          return {
            wave: w,
            n: r.n,
            misalignment: r.misalignment,
            drift: r.drift ?? null,
            organisationMisalignment: medianOf(reportable.filter((p) => p.wave === w).map((p) => p.misalignment)),
          };
        }),
    }),
    weakestCells: weakest,
  };
}
