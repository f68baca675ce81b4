import { InputError } from '../errors.js';
import { closedForm, type Diagnostics } from '../diagnostics.js';
import {
  CELLS,
  DIMENSIONS,
  DIMENSION_NAMES,
  LEVERS,
  LEVER_NAMES,
  type Cell,
  type DimensionName,
  type LeverName,
} from '../../instrument/model.js';
import { resolveItemMap, type ItemMap } from './item_map.js';
import { cellScoreMatrix } from './cell_scores.js';
import { misalignment, dominantDimension } from './misalignment.js';
import { itemVariances, meanOf, rwgJFromVariance } from '../agreement/rwg_j.js';
import { uniformNullVariance } from '../agreement/null_variance.js';
import { oneWayIcc, type OneWayIcc } from '../agreement/icc.js';
import {
  aggregationVerdict,
  DEFAULT_AGGREGATION_CRITERIA,
  type AggregationCriteria,
  type AggregationVerdict,
} from '../agreement/aggregation_verdict.js';

/** Respondents' answers with the unit (and wave) each belongs to. */
export interface Responses {
  /** Names of the columns of `answers`; the item map refers to these. */
  readonly items: readonly string[];
  /** Respondents × items, NaN for a missing answer. */
  readonly answers: readonly (readonly number[])[];
  /** Each respondent's unit; null (missing) rows are left out with a warning. */
  readonly unit: readonly (string | null)[];
  /** Each respondent's wave; without it every respondent is in wave "1". */
  readonly wave?: readonly (string | null)[];
}

export interface ScoreOptions {
  /** The wave that z is standardized against; default the first wave in row order. */
  readonly baselineWave?: string;
  /**
   * Smallest number of respondents a unit-wave needs to be scored (privacy). A smaller
   * unit-wave is left out of the result entirely and of every statistic over units;
   * default 1 (no suppression).
   */
  readonly minGroupSize?: number;
  readonly criteria?: AggregationCriteria;
}

export type DimensionRecord<T = number> = Readonly<Record<DimensionName, T>>;

/** The aggregation verdicts of one unit-wave, one per dimension. */
export interface UnitAggregation {
  readonly justified: boolean;
  readonly dimensions: DimensionRecord<AggregationVerdict>;
}

/** The scores of one unit in one wave (shared/CONTRACT.md `score`). */
export interface UnitScore {
  readonly unit: string;
  readonly wave: string;
  readonly n: number;
  readonly cells: Readonly<Record<Cell, number>>;
  readonly dimensions: DimensionRecord;
  readonly levers: Readonly<Record<LeverName, number>>;
  readonly seiCi: number;
  readonly z: DimensionRecord;
  readonly misalignment: number;
  readonly dominant: DimensionName | null;
  /** M − M at the unit's baseline; absent when the unit has no (visible) baseline. */
  readonly drift?: number;
  readonly rwgj: DimensionRecord;
  readonly aggregation: UnitAggregation;
}

export interface ScoreResult {
  readonly baselineWave: string;
  readonly waves: readonly string[];
  readonly units: readonly UnitScore[];
  /** Respondents scored (rows with a unit and wave, in visible unit-waves). */
  readonly n: number;
  /** Number of unit-waves left out for having fewer than minGroupSize respondents. */
  readonly suppressed: number;
  /** Per wave and dimension: ANOVA of respondents' dimension scores on the visible units. */
  readonly icc: Readonly<Record<string, DimensionRecord<OneWayIcc>>>;
  readonly options: { readonly baselineWave: string; readonly minGroupSize: number; readonly criteria: AggregationCriteria };
  readonly diagnostics: Diagnostics;
}

const DIM_NAMES: readonly DimensionName[] = DIMENSIONS.map((d) => DIMENSION_NAMES[d]);
const LEVER_KEYS: readonly LeverName[] = LEVERS.map((l) => LEVER_NAMES[l]);
/** Indices (into CELLS) of each dimension's and each lever's three cells. */
const DIM_CELLS = DIMENSIONS.map((d) => CELLS.flatMap((c, i) => (c[0] === d ? [i] : [])));
const LEVER_CELLS = LEVERS.map((l) => CELLS.flatMap((c, i) => (c[2] === l ? [i] : [])));

function record<K extends string, T>(keys: readonly K[], values: readonly T[]): Readonly<Record<K, T>> {
  return Object.fromEntries(keys.map((k, i) => [k, values[i]])) as Record<K, T>;
}

function sd(values: readonly number[]): number {
  const m = meanOf(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (values.length - 1));
}

/**
 * Scores SEI-CI units wave by wave as shared/CONTRACT.md `score` defines: reverse keying,
 * respondent cell scores (half-answered rule), unit-wave cells, dimensions, levers and SEI-CI,
 * dimension z against the baseline wave's units (SD n − 1), misalignment M = SD(z), the dominant
 * dimension, drift = M − M at baseline, rwg(j) per dimension (uniform null with
 * A = scaleMax − scaleMin + 1, among respondents who answered all the dimension's items), and
 * each unit-wave's aggregation verdict (rwg(j) ≥ .70 and a significant between-unit F with
 * ICC(1) > 0 in that wave). Unit-waves below `minGroupSize` carry no scores and appear nowhere.
 * No R package computes this; the contract's R oracle (shared/oracle/lib.R `score_ref`) does.
 */
export function scoreUnits(responses: Responses, map: ItemMap, options: ScoreOptions = {}): ScoreResult {
  const { items, answers, unit, wave } = responses;
  const minGroupSize = options.minGroupSize ?? 1;
  const criteria = options.criteria ?? DEFAULT_AGGREGATION_CRITERIA;
  if (!Number.isInteger(minGroupSize) || minGroupSize < 1) {
    throw new InputError('minGroupSize', `minGroupSize must be a whole number of at least 1; got ${minGroupSize}.`);
  }
  if (unit.length !== answers.length) {
    throw new InputError('unit', `unit must have one entry per respondent (${answers.length}); got ${unit.length}.`);
  }
  if (wave !== undefined && wave.length !== answers.length) {
    throw new InputError('wave', `wave must have one entry per respondent (${answers.length}); got ${wave.length}.`);
  }
  if (answers.length === 0) throw new InputError('answers', 'answers must hold at least one respondent.');
  const resolved = resolveItemMap(map, items);
  const mapColumns = CELLS.flatMap((c) => resolved.cellColumns[c]);
  for (let r = 0; r < answers.length; r++) {
    const row = answers[r];
    if (row.length !== items.length) {
      throw new InputError('answers', `answers row ${r + 1} has ${row.length} values; items names ${items.length}.`);
    }
    for (const j of mapColumns) {
      const v = row[j];
      if (v < resolved.scaleMin || v > resolved.scaleMax) {
        throw new InputError(
          'answers',
          `row ${r + 1}, column ${items[j]}: ${v} lies outside the scale ${resolved.scaleMin}–${resolved.scaleMax} of the item map.`,
        );
      }
    }
  }
  const warnings: string[] = [];
  const cellScores = cellScoreMatrix(answers, resolved);

  // Unit-waves in order of first appearance.
  const groups = new Map<string, { unit: string; wave: string; rows: number[] }>();
  const waves: string[] = [];
  let unlabelled = 0;
  for (let r = 0; r < answers.length; r++) {
    const u = unit[r];
    const w = wave === undefined ? '1' : wave[r];
    if (u === null || w === null) {
      unlabelled++;
      continue;
    }
    const key = `${u}\u0000${w}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = { unit: u, wave: w, rows: [] };
      groups.set(key, g);
      if (!waves.includes(w)) waves.push(w);
    }
    g.rows.push(r);
  }
  if (unlabelled > 0) warnings.push(`${unlabelled} respondent${unlabelled === 1 ? ' has' : 's have'} no unit or wave and were left out.`);
  if (groups.size === 0) throw new InputError('unit', 'no respondent has a unit (and wave).');
  const baselineWave = options.baselineWave ?? waves[0];
  if (!waves.includes(baselineWave)) {
    throw new InputError('baselineWave', `baselineWave "${baselineWave}" is not a wave of the responses (${waves.join(', ')}).`);
  }

  const nullVar = uniformNullVariance(resolved.scaleMax - resolved.scaleMin + 1);
  const dimColumns = DIMENSIONS.map((d) => CELLS.filter((c) => c[0] === d).flatMap((c) => resolved.cellColumns[c]));

  interface Partial {
    unit: string;
    wave: string;
    rows: number[];
    cells: number[];
    dims: number[];
    levers: number[];
    rwgj: number[];
  }
  const visible: Partial[] = [];
  let suppressed = 0;
  let scored = 0;
  for (const g of groups.values()) {
    if (g.rows.length < minGroupSize) {
      suppressed++;
      continue;
    }
    scored += g.rows.length;
    const cells = new Array<number>(9);
    for (let c = 0; c < 9; c++) {
      let s = 0;
      let k = 0;
      for (const r of g.rows) {
        const v = cellScores[r * 9 + c];
        if (v === v) {
          s += v;
          k++;
        }
      }
      cells[c] = k > 0 ? s / k : NaN;
    }
    const dims = DIM_CELLS.map((ix) => (cells[ix[0]] + cells[ix[1]] + cells[ix[2]]) / 3);
    const levers = LEVER_CELLS.map((ix) => (cells[ix[0]] + cells[ix[1]] + cells[ix[2]]) / 3);
    // rwg(j) on the answers as given: reverse keying (a reflection) leaves every item variance unchanged
    const rwgj = dimColumns.map((cols) => {
      const complete = g.rows.filter((r) => {
        const row = answers[r];
        for (const j of cols) if (row[j] !== row[j]) return false;
        return true;
      });
      if (complete.length < 2) return NaN;
      return rwgJFromVariance(meanOf(itemVariances(answers, complete, cols)), cols.length, nullVar);
    });
    visible.push({ unit: g.unit, wave: g.wave, rows: g.rows, cells, dims, levers, rwgj });
  }
  if (suppressed > 0) {
    warnings.push(`${suppressed} unit-wave${suppressed === 1 ? ' has' : 's have'} fewer than ${minGroupSize} respondents and ${suppressed === 1 ? 'is' : 'are'} suppressed.`);
  }

  // Baseline standardization over the visible units of the baseline wave.
  const base = visible.filter((v) => v.wave === baselineWave);
  const baseMean: number[] = [];
  const baseSd: number[] = [];
  for (let d = 0; d < 3; d++) {
    const xs = base.map((v) => v.dims[d]).filter((x) => !Number.isNaN(x));
    baseMean.push(xs.length > 0 ? meanOf(xs) : NaN);
    baseSd.push(xs.length > 1 ? sd(xs) : NaN);
  }
  if (base.length < 2) warnings.push(`the baseline wave ${baselineWave} has fewer than two scored units, so z, misalignment and drift are undefined.`);
  else if (baseSd.some((s) => s === 0)) warnings.push(`a dimension does not vary over the baseline units, so its z is undefined.`);

  // Sample-level ANOVA per wave and dimension on respondents' dimension scores.
  const icc: Record<string, DimensionRecord<OneWayIcc>> = {};
  for (const w of waves) {
    const inWave = visible.filter((v) => v.wave === w);
    icc[w] = record(
      DIM_NAMES,
      DIM_CELLS.map((ix) => {
        const scores: number[] = [];
        const members: number[][] = [];
        for (const v of inWave) {
          const m: number[] = [];
          for (const r of v.rows) {
            const s = (cellScores[r * 9 + ix[0]] + cellScores[r * 9 + ix[1]] + cellScores[r * 9 + ix[2]]) / 3;
            if (!Number.isNaN(s)) {
              m.push(scores.length);
              scores.push(s);
            }
          }
          if (m.length > 0) members.push(m);
        }
        return oneWayIcc(scores, members);
      }),
    );
  }

  const zOf = (v: Partial) => v.dims.map((x, d) => (x - baseMean[d]) / baseSd[d]) as [number, number, number];
  const baselineM = new Map<string, number>();
  for (const v of base) baselineM.set(v.unit, misalignment(zOf(v)));

  const units: UnitScore[] = visible.map((v) => {
    const z = zOf(v);
    const m = misalignment(z);
    const verdicts = DIM_NAMES.map((name, d) => aggregationVerdict(v.rwgj[d], icc[v.wave][name], criteria));
    const out: UnitScore = {
      unit: v.unit,
      wave: v.wave,
      n: v.rows.length,
      cells: record(CELLS, v.cells),
      dimensions: record(DIM_NAMES, v.dims),
      levers: record(LEVER_KEYS, v.levers),
      seiCi: meanOf(v.cells),
      z: record(DIM_NAMES, z),
      misalignment: m,
      dominant: dominantDimension(DIM_NAMES, z),
      rwgj: record(DIM_NAMES, v.rwgj),
      aggregation: { justified: verdicts.every((x) => x.justified), dimensions: record(DIM_NAMES, verdicts) },
    };
    const mBase = baselineM.get(v.unit);
    return mBase === undefined ? out : { ...out, drift: m - mBase };
  });

  return {
    baselineWave,
    waves,
    units,
    n: scored,
    suppressed,
    icc,
    options: { baselineWave, minGroupSize, criteria },
    diagnostics: closedForm(warnings),
  };
}
