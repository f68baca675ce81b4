import { InputError } from '../errors.js';
import { median } from './median.js';

/** Options of {@link detectMeanShifts}. */
export interface MeanShiftOptions {
  /** The fewest values a segment may hold: a shift must persist this long to be found (4). */
  readonly minSegment?: number;
  /** The penalty β per change point on the standardised cost; default 3·ln(n). */
  readonly penalty?: number;
}

/** A segment of a series with a constant mean, in indices of the input (NaN gaps included). */
export interface MeanSegment {
  readonly start: number;
  readonly end: number;
  /** How many values (not NaN) the segment holds. */
  readonly n: number;
  readonly mean: number;
}

export interface MeanShiftResult {
  /** Indices (into the input) where a new segment starts. */
  readonly changePoints: readonly number[];
  readonly segments: readonly MeanSegment[];
  /** The noise scale the cost was standardised by (see below). */
  readonly sigma: number;
  readonly penalty: number;
  readonly minSegment: number;
  /** Values used (NaN skipped). */
  readonly n: number;
}

/**
 * Finds abrupt, persistent shifts in the mean of a series by penalised least squares:
 * the segmentation τ₀=0 < τ₁ < … < τₘ₊₁=n minimising
 *   Σⱼ C(x[τⱼ..τⱼ₊₁)) + β·m,   C(segment) = Σ (xᵢ − segment mean)² / σ²,
 * with every segment at least `minSegment` values long, solved exactly by PELT (Killick,
 * Fearnhead & Eckley 2012, doi:10.1080/01621459.2012.737745): dynamic programming over the
 * last change point with pruning of candidates that can never again be optimal. With a
 * minimum segment length, a candidate τ found dominated at time t (F(τ)+C(τ..t) ≥ F(t)) is
 * dropped only from t + minSegment on, when t itself becomes eligible, which keeps the
 * solution exact.
 *
 * σ is estimated robustly so that the shifts themselves do not inflate it: the median
 * absolute deviation of the first differences, × 1.4826 / √2 (differences of independent
 * noise have variance 2σ²; Fryzlewicz 2014, doi:10.1214/14-AOS1245, uses the same
 * estimator). When that is 0 (a step function, or mostly constant counts) the series' SD is
 * used; when that is 0 too there is nothing to find. β defaults to 3·ln(n), the leading
 * term of the "MBIC" penalty of R's changepoint::cpt.mean; the model is that function's
 * normal mean change with known variance (x/σ, method "PELT", a manual penalty β and
 * `minseglen`). The changepoint package is not installed here, so the tests check the
 * pruned search against an exhaustive one instead of against R.
 * NaN values are skipped: a gap neither ends nor extends a segment.
 */
export function detectMeanShifts(series: ArrayLike<number>, options: MeanShiftOptions = {}): MeanShiftResult {
  const minSegment = options.minSegment ?? 4;
  if (!Number.isInteger(minSegment) || minSegment < 1) {
    throw new InputError('minSegment', `minSegment must be a whole number ≥ 1; got ${minSegment}.`);
  }
  const index: number[] = [];
  const x: number[] = [];
  for (let i = 0; i < series.length; i++) {
    if (!Number.isNaN(series[i])) {
      index.push(i);
      x.push(series[i]);
    }
  }
  const n = x.length;
  const penalty = options.penalty ?? 3 * Math.log(Math.max(n, 2));
  if (!(penalty >= 0)) throw new InputError('penalty', `penalty must be a number ≥ 0; got ${options.penalty}.`);
  const sigma = noiseScale(x);
  const oneSegment = (): MeanShiftResult => ({
    changePoints: [],
    segments: n === 0 ? [] : [{ start: index[0], end: index[n - 1], n, mean: x.reduce((a, b) => a + b, 0) / n }],
    sigma,
    penalty,
    minSegment,
    n,
  });
  if (n < 2 * minSegment || !(sigma > 0)) return oneSegment();

  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const z = x[i] / sigma;
    s1[i + 1] = s1[i] + z;
    s2[i + 1] = s2[i] + z * z;
  }
  const cost = (a: number, b: number): number => {
    const s = s1[b] - s1[a];
    return s2[b] - s2[a] - (s * s) / (b - a);
  };

  const best = new Float64Array(n + 1).fill(Infinity); // F(t): optimal cost of x[0..t) plus penalties
  const last = new Int32Array(n + 1); // the optimal last change point before t
  best[0] = -penalty;
  let candidates: number[] = [];
  const pendingDrops = new Map<number, number[]>(); // time from which → candidates to drop
  for (let t = minSegment; t <= n; t++) {
    const eligible = t - minSegment;
    if (eligible === 0 || (eligible >= minSegment && Number.isFinite(best[eligible]))) candidates.push(eligible);
    const drops = pendingDrops.get(t);
    if (drops !== undefined) {
      const gone = new Set(drops);
      candidates = candidates.filter((c) => !gone.has(c));
      pendingDrops.delete(t);
    }
    let f = Infinity;
    let arg = 0;
    const totals = new Float64Array(candidates.length);
    for (let j = 0; j < candidates.length; j++) {
      const tau = candidates[j];
      const v = best[tau] + cost(tau, t) + penalty;
      totals[j] = v - penalty;
      if (v < f) {
        f = v;
        arg = tau;
      }
    }
    best[t] = f;
    last[t] = arg;
    const dominated: number[] = [];
    for (let j = 0; j < candidates.length; j++) if (totals[j] >= f) dominated.push(candidates[j]);
    if (dominated.length > 0) {
      const at = t + minSegment;
      pendingDrops.set(at, [...(pendingDrops.get(at) ?? []), ...dominated]);
    }
  }

  const cuts: number[] = [];
  for (let t = n; t > 0; t = last[t]) cuts.push(t);
  cuts.push(0);
  cuts.reverse();
  const segments: MeanSegment[] = [];
  for (let j = 0; j + 1 < cuts.length; j++) {
    const a = cuts[j], b = cuts[j + 1];
    let sum = 0;
    for (let i = a; i < b; i++) sum += x[i];
    segments.push({ start: index[a], end: index[b - 1], n: b - a, mean: sum / (b - a) });
  }
  return { changePoints: segments.slice(1).map((s) => s.start), segments, sigma, penalty, minSegment, n };
}

/** σ̂ = 1.4826 · MAD(Δx) / √2, or the SD of x when that is 0. */
function noiseScale(x: readonly number[]): number {
  const n = x.length;
  if (n < 2) return NaN;
  const d: number[] = [];
  for (let i = 1; i < n; i++) d.push(x[i] - x[i - 1]);
  const m = median(d);
  const mad = median(d.map((v) => Math.abs(v - m)));
  const robust = (1.4826 * mad) / Math.SQRT2;
  if (robust > 0) return robust;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}
