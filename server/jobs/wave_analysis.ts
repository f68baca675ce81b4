import { scaleReliability, scoreUnits, type ItemMap, type ScaleReliability, type ScoreResult, type UnitScore } from '../../analysis/index.js';
import { CELLS, DIMENSIONS, DIMENSION_NAMES, type Cell } from '../../instrument/model.js';

/** What the analysis of a wave needs: the instrument's SEI-CI items and the complete answer sets of each wave, oldest first. */
export interface WaveAnalysisInput {
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly items: readonly { readonly id: string; readonly cell: Cell; readonly reverse: boolean }[];
  /** The waves to score together (the first is the baseline of z and drift); the last is the wave analysed. */
  readonly waves: readonly { readonly label: string; readonly answerSets: readonly { readonly unitKey: string; readonly answers: Record<string, number | null> }[] }[];
  readonly minGroupSize: number;
}

/** A unit of the analysed wave: its scores, or only its size when it is below the minimum group size. */
export type ReportedUnit =
  | ({ readonly unitKey: string; readonly n: number; readonly suppressed: false } & Omit<UnitScore, 'unit' | 'n'>)
  | { readonly unitKey: string; readonly n: number; readonly suppressed: true };

export interface WaveAnalysisResults {
  readonly wave: string;
  readonly minGroupSize: number;
  /** Respondents in units at or over the minimum group size (the only ones analysed). */
  readonly n: number;
  readonly baselineWave: string | null;
  readonly units: readonly ReportedUnit[];
  /** Raw alpha and its companions per dimension and per cell, over the analysed respondents (pairwise). */
  readonly reliability: Readonly<Record<string, Omit<ScaleReliability, 'items'> | { readonly error: string }>> | null;
  /** Per dimension: ICC(1), ICC(2) and the F test of the wave, and mean rwg(j) over its units. */
  readonly agreement: Readonly<Record<string, { icc1: number; icc2: number; F: number; df1: number; df2: number; p: number; meanRwgj: number | null }>> | null;
  readonly warnings: readonly string[];
}

/**
 * Analyses one wave from stored answer sets: unit scores with `scoreUnits` (the contract's
 * `score`, z and drift against the first wave given), reliability per dimension and cell, and
 * agreement. Units below the minimum group size are dropped before any statistic is computed,
 * so nothing about them but their size reaches the results.
 */
export function analyseWave(input: WaveAnalysisInput): WaveAnalysisResults {
  const columns = input.items.map((i) => i.id);
  const map: ItemMap = {
    scaleMin: input.scaleMin,
    scaleMax: input.scaleMax,
    items: Object.fromEntries(input.items.map((i) => [i.id, { cell: i.cell, reverse: i.reverse }])),
  };
  const current = input.waves.at(-1)!;
  const answers: number[][] = [];
  const unit: string[] = [];
  const wave: string[] = [];
  const sizes = new Map<string, number>();
  for (const w of input.waves) {
    const byUnit = new Map<string, Record<string, number | null>[]>();
    for (const set of w.answerSets) {
      const list = byUnit.get(set.unitKey) ?? [];
      list.push(set.answers);
      byUnit.set(set.unitKey, list);
    }
    for (const [unitKey, sets] of byUnit) {
      if (w === current) sizes.set(unitKey, sets.length);
      if (sets.length < input.minGroupSize) continue;
      for (const a of sets) {
        answers.push(columns.map((id) => a[id] ?? NaN));
        unit.push(unitKey);
        wave.push(w.label);
      }
    }
  }
  const currentRows = wave.flatMap((w, r) => (w === current.label ? [r] : []));
  if (currentRows.length === 0) {
    return {
      wave: current.label,
      minGroupSize: input.minGroupSize,
      n: 0,
      baselineWave: null,
      units: [...sizes].sort(([a], [b]) => a.localeCompare(b)).map(([unitKey, n]) => ({ unitKey, n, suppressed: true as const })),
      reliability: null,
      agreement: null,
      warnings: ['No unit of this wave reached the minimum group size; nothing was scored.'],
    };
  }
  const baseline = input.waves.find((w) => wave.includes(w.label))!.label;
  const scores: ScoreResult = scoreUnits({ items: columns, answers, unit, wave }, map, { baselineWave: baseline, minGroupSize: input.minGroupSize });
  const scored = new Map(scores.units.filter((u) => u.wave === current.label).map((u) => [u.unit, u]));
  const units: ReportedUnit[] = [...sizes]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([unitKey, n]) => {
      const s = scored.get(unitKey);
      if (!s) return { unitKey, n, suppressed: true as const };
      const { unit: _unit, n: _n, ...rest } = s;
      return { unitKey, n, suppressed: false as const, ...rest };
    });
  const currentAnswers = currentRows.map((r) => answers[r]);
  return {
    wave: current.label,
    minGroupSize: input.minGroupSize,
    n: currentRows.length,
    baselineWave: scores.baselineWave,
    units,
    reliability: reliabilityTable(currentAnswers, input),
    agreement: agreementTable(scores, current.label, [...scored.values()]),
    warnings: [...scores.diagnostics.warnings],
  };
}

function reliabilityTable(data: number[][], input: WaveAnalysisInput) {
  const scales: [string, (cell: Cell) => boolean][] = [
    ...DIMENSIONS.map((d) => [DIMENSION_NAMES[d], (c: Cell) => c[0] === d] as [string, (cell: Cell) => boolean]),
    ...CELLS.map((cell) => [cell, (c: Cell) => c === cell] as [string, (cell: Cell) => boolean]),
  ];
  const table: Record<string, Omit<ScaleReliability, 'items'> | { error: string }> = {};
  for (const [name, includes] of scales) {
    const positions = input.items.flatMap((item, j) => (includes(item.cell) ? [j] : []));
    const items = positions.map((j) => input.items[j]);
    try {
      const { items: _items, ...summary } = scaleReliability(
        data.map((row) => positions.map((j) => row[j])),
        {
          items: items.map((i) => i.id),
          reverse: items.filter((i) => i.reverse).map((i) => i.id),
          scaleMin: input.scaleMin,
          scaleMax: input.scaleMax,
          missing: 'pairwise',
        },
      );
      table[name] = summary;
    } catch (err) {
      table[name] = { error: (err as Error).message };
    }
  }
  return table;
}

function agreementTable(scores: ScoreResult, wave: string, units: readonly UnitScore[]) {
  const icc = scores.icc[wave];
  if (!icc) return null;
  const table: Record<string, { icc1: number; icc2: number; F: number; df1: number; df2: number; p: number; meanRwgj: number | null }> = {};
  for (const d of DIMENSIONS) {
    const name = DIMENSION_NAMES[d];
    const a = icc[name];
    const rwg = units.map((u) => u.rwgj[name]).filter((v) => Number.isFinite(v));
    table[name] = {
      icc1: a.icc1,
      icc2: a.icc2,
      F: a.F,
      df1: a.df1,
      df2: a.df2,
      p: a.p,
      meanRwgj: rwg.length > 0 ? rwg.reduce((x, y) => x + y, 0) / rwg.length : null,
    };
  }
  return table;
}
