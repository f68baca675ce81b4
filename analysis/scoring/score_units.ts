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
} from '../sei_model.js';
import { resolveItemMap, type ItemMap, type ResolvedItemMap } from './item_map.js';
import { cellScoreMatrix } from './cell_scores.js';
import { misalignment, dominantDimension } from './misalignment.js';
import { columnVariances, meanOf, rwgJFromVariance } from '../agreement/rwg_j.js';
import {
  codeLabels,
  columnsFromRows,
  groupMembers,
  isCodedLabels,
  isNumericColumns,
  type CodedLabels,
  type NumericColumns,
} from '../data/columns.js';
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
  /** Respondents × items, NaN for a missing answer: rows, or columns as the streaming CSV reader gives them. */
  readonly answers: readonly (readonly number[])[] | NumericColumns;
  /** Each respondent's unit (strings or codes); null (missing) rows are left out with a warning. */
  readonly unit: readonly (string | null)[] | CodedLabels;
  /** Each respondent's wave (strings or codes); without it every respondent is in wave "1". */
  readonly wave?: readonly (string | null)[] | CodedLabels;
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
  const { items } = responses;
  const minGroupSize = options.minGroupSize ?? 1;
  const criteria = options.criteria ?? DEFAULT_AGGREGATION_CRITERIA;
  if (!Number.isInteger(minGroupSize) || minGroupSize < 1) {
    throw new InputError('minGroupSize', `minGroupSize must be a whole number of at least 1; got ${minGroupSize}.`);
  }
  const N = responses.answers.length;
  const unit = isCodedLabels(responses.unit) ? responses.unit : codeLabels(responses.unit);
  const wave = responses.wave === undefined ? undefined : isCodedLabels(responses.wave) ? responses.wave : codeLabels(responses.wave);
  if (unit.codes.length !== N) {
    throw new InputError('unit', `unit must have one entry per respondent (${N}); got ${unit.codes.length}.`);
  }
  if (wave !== undefined && wave.codes.length !== N) {
    throw new InputError('wave', `wave must have one entry per respondent (${N}); got ${wave.codes.length}.`);
  }
  if (N === 0) throw new InputError('answers', 'answers must hold at least one respondent.');
  const resolved = resolveItemMap(map, items);
  const answers = answerColumns(responses.answers, items);
  checkScale(answers, resolved, items);
  const warnings: string[] = [];
  const cellScores = cellScoreMatrix(answers, resolved);

  // Unit-waves in order of first appearance, each with its respondents (ascending).
  const waveLevels = wave === undefined ? ['1'] : wave.levels;
  const groupOf = new Int32Array(N);
  const groupKey = new Map<number, number>();
  const groupUnit: string[] = [];
  const groupWave: string[] = [];
  const waveSeen = new Uint8Array(waveLevels.length);
  const waves: string[] = [];
  let unlabelled = 0;
  let lastKey = -1;
  let lastGroup = -1;
  for (let r = 0; r < N; r++) {
    const u = unit.codes[r];
    const w = wave === undefined ? 0 : wave.codes[r];
    if (u < 0 || w < 0) {
      unlabelled++;
      groupOf[r] = -1;
      continue;
    }
    const key = u * waveLevels.length + w;
    if (key !== lastKey) {
      let g = groupKey.get(key);
      if (g === undefined) {
        g = groupUnit.length;
        groupKey.set(key, g);
        groupUnit.push(unit.levels[u]);
        groupWave.push(waveLevels[w]);
        if (waveSeen[w] === 0) {
          waveSeen[w] = 1;
          waves.push(waveLevels[w]);
        }
      }
      lastKey = key;
      lastGroup = g;
    }
    groupOf[r] = lastGroup;
  }
  const { offsets, members } = groupMembers(groupOf, groupUnit.length);
  if (unlabelled > 0) warnings.push(`${unlabelled} respondent${unlabelled === 1 ? ' has' : 's have'} no unit or wave and were left out.`);
  if (groupUnit.length === 0) throw new InputError('unit', 'no respondent has a unit (and wave).');
  const baselineWave = options.baselineWave ?? waves[0];
  if (!waves.includes(baselineWave)) {
    throw new InputError('baselineWave', `baselineWave "${baselineWave}" is not a wave of the responses (${waves.join(', ')}).`);
  }

  const nullVar = uniformNullVariance(resolved.scaleMax - resolved.scaleMin + 1);
  const dimColumns = DIMENSIONS.map((d) =>
    CELLS.filter((c) => c[0] === d).flatMap((c) => resolved.cellColumns[c].map((j) => answers.columns[j])),
  );

  interface Partial {
    unit: string;
    wave: string;
    /** The unit-wave's respondents are members[from … to). */
    from: number;
    to: number;
    cells: number[];
    dims: number[];
    levers: number[];
    rwgj: number[];
  }
  const visible: Partial[] = [];
  let suppressed = 0;
  let scored = 0;
  const complete = new Int32Array(members.length);
  for (let g = 0; g < groupUnit.length; g++) {
    const from = offsets[g];
    const to = offsets[g + 1];
    if (to - from < minGroupSize) {
      suppressed++;
      continue;
    }
    scored += to - from;
    const cells = new Array<number>(9);
    for (let c = 0; c < 9; c++) {
      let s = 0;
      let k = 0;
      for (let i = from; i < to; i++) {
        const v = cellScores[members[i] * 9 + c];
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
      let m = 0;
      for (let i = from; i < to; i++) {
        const r = members[i];
        let ok = true;
        for (const x of cols) {
          const v = x[r];
          if (v !== v) {
            ok = false;
            break;
          }
        }
        if (ok) complete[m++] = r;
      }
      if (m < 2) return NaN;
      return rwgJFromVariance(meanOf(columnVariances(cols, complete, 0, m)), cols.length, nullVar);
    });
    visible.push({ unit: groupUnit[g], wave: groupWave[g], from, to, cells, dims, levers, rwgj });
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
        let total = 0;
        for (const v of inWave) total += v.to - v.from;
        const scores = new Float64Array(total);
        const position = new Int32Array(total);
        for (let i = 0; i < total; i++) position[i] = i;
        const groups: Int32Array[] = [];
        let at = 0;
        for (const v of inWave) {
          const first = at;
          for (let i = v.from; i < v.to; i++) {
            const r = members[i];
            const s = (cellScores[r * 9 + ix[0]] + cellScores[r * 9 + ix[1]] + cellScores[r * 9 + ix[2]]) / 3;
            if (!Number.isNaN(s)) scores[at++] = s;
          }
          if (at > first) groups.push(position.subarray(first, at));
        }
        return oneWayIcc(scores, groups);
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
      n: v.to - v.from,
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

/** The answers as columns; a row array is checked for one value per item first. */
function answerColumns(answers: readonly (readonly number[])[] | NumericColumns, items: readonly string[]): NumericColumns {
  if (isNumericColumns(answers)) {
    if (answers.columns.length !== items.length) {
      throw new InputError('answers', `answers has ${answers.columns.length} columns; items names ${items.length}.`);
    }
    return answers;
  }
  for (let r = 0; r < answers.length; r++) {
    const row = answers[r];
    if (row.length !== items.length) {
      throw new InputError('answers', `answers row ${r + 1} has ${row.length} values; items names ${items.length}.`);
    }
  }
  return columnsFromRows(answers, items.length);
}

/**
 * Every answer to a mapped item lies on the map's scale; the error names the first row at fault
 * (and, in that row, the first such item in map order), as a row-by-row check would.
 */
function checkScale(answers: NumericColumns, map: ResolvedItemMap, items: readonly string[]): void {
  let worstRow = Infinity;
  let worstColumn = -1;
  for (const j of CELLS.flatMap((c) => map.cellColumns[c])) {
    const x = answers.columns[j];
    const stop = Math.min(worstRow, answers.length);
    for (let r = 0; r < stop; r++) {
      const v = x[r];
      if (v < map.scaleMin || v > map.scaleMax) {
        worstRow = r;
        worstColumn = j;
        break;
      }
    }
  }
  if (worstColumn >= 0) {
    const v = answers.columns[worstColumn][worstRow];
    throw new InputError(
      'answers',
      `row ${worstRow + 1}, column ${items[worstColumn]}: ${v} lies outside the scale ${map.scaleMin}–${map.scaleMax} of the item map.`,
    );
  }
}
