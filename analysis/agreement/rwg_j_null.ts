import { InputError } from '../errors.js';
import { Prng } from '../math/random.js';
import { rwgJFromVariance } from './rwg_j.js';
import { uniformNullVariance } from './null_variance.js';

/** The sampling distribution of rwg(j) when a unit's members answer at random. */
export interface RwgJNullDistribution {
  readonly groupSize: number;
  readonly items: number;
  readonly scalePoints: number;
  readonly replications: number;
  readonly seed: number;
  /** Mean rwg(j) under the null. */
  readonly mean: number;
  /** The smallest value v with P(null ≥ v) ≤ .05: an observed rwg(j) ≥ it is significant at .05. */
  readonly critical95: number;
  /** Sorted simulated values. */
  readonly values: readonly number[];
}

/**
 * Simulates rwg(j) for a unit of `groupSize` members answering `items` independent items uniformly
 * at random over A options (Cohen, Doveh & Eick, 2001, doi:10.1037/1082-989X.6.3.297; Dunlap,
 * Burke & Smith-Crowe, 2003): rwg(j)'s null distribution depends strongly on group size and J, so
 * a fixed .70 cut-off means different things for a unit of 4 and a unit of 40. `critical95` is
 * defined as multilevel::rwg.j.sim's `rwg.j.95` (and rwg.sim's `rwg.95` for one item); the values
 * agree with R's within Monte Carlo error, not digit for digit (a different random stream).
 */
export function rwgJNullDistribution(
  groupSize: number,
  items: number,
  scalePoints: number,
  { replications = 10_000, seed = 1 }: { replications?: number; seed?: number } = {},
): RwgJNullDistribution {
  if (!Number.isInteger(groupSize) || groupSize < 2) throw new InputError('groupSize', `groupSize must be a whole number of at least 2; got ${groupSize}.`);
  if (!Number.isInteger(items) || items < 1) throw new InputError('items', `items must be a whole number of at least 1; got ${items}.`);
  if (!Number.isInteger(replications) || replications < 100) {
    throw new InputError('replications', `replications must be a whole number of at least 100; got ${replications}.`);
  }
  const sigma2 = uniformNullVariance(scalePoints);
  const rng = new Prng(seed);
  const values = new Array<number>(replications);
  for (let r = 0; r < replications; r++) {
    let varianceSum = 0;
    for (let j = 0; j < items; j++) {
      let sum = 0;
      let sq = 0;
      for (let i = 0; i < groupSize; i++) {
        const x = 1 + rng.int(scalePoints);
        sum += x;
        sq += x * x;
      }
      varianceSum += (sq - (sum * sum) / groupSize) / (groupSize - 1);
    }
    values[r] = rwgJFromVariance(varianceSum / items, items, sigma2);
  }
  values.sort((a, b) => a - b);
  // smallest v with P(X ≥ v) ≤ .05, i.e. the first value after the cumulative share reaches .95
  let critical95 = NaN;
  let below = 0;
  for (let i = 0; i < replications; ) {
    let k = i;
    while (k < replications && values[k] === values[i]) k++;
    if (below / replications >= 0.95) {
      critical95 = values[i];
      break;
    }
    below = k;
    i = k;
  }
  if (Number.isNaN(critical95)) critical95 = values[replications - 1];
  return {
    groupSize,
    items,
    scalePoints,
    replications,
    seed,
    mean: values.reduce((a, b) => a + b, 0) / replications,
    critical95,
    values,
  };
}
