import { InputError } from '../errors.js';
import type { NumericColumns } from '../data/columns.js';
import { bootstrapInterval, type BootstrapInterval, type BootstrapOptions } from './bootstrap_interval.js';
import { oneFactorOmega } from './omega_total.js';
import { centreRows, resampledCovariance } from './resampled_covariance.js';

/**
 * A seeded percentile bootstrap interval for one-factor omega total (`oneFactorOmega`): the
 * complete rows are resampled with replacement, each resample's N-divisor covariance matrix is
 * refitted by maximum likelihood, and the interval is the percentiles of the resampled omegas.
 * A resample that cannot be fitted (an item without variance in it, or no maximum of the
 * likelihood) is left out and counted in `valid`. Kelley & Pornprasertmanit (2016, doi:10.1037/a0040086) recommend bootstrap intervals
 * for omega; semTools/MBESS's `ci.reliability(type = "omega", interval.type = "perc")` is the R
 * counterpart (R's random stream differs, so the limits agree only within Monte Carlo error).
 */
export function omegaBootstrapInterval(data: NumericColumns | readonly (readonly number[])[], options: BootstrapOptions = {}): BootstrapInterval {
  const rows = centreRows(data);
  return bootstrapInterval(rows.n, (counts) => resampledOmega(resampledCovariance(rows, counts)), options);
}

function resampledOmega(cov: number[][]): number {
  try {
    // a resample without a maximum of the likelihood gives no omega (as lavaan's bootstrap drops non-converged fits)
    const fit = oneFactorOmega(cov, 100, undefined, false);
    return fit.diagnostics.converged ? fit.omegaTotal : NaN;
  } catch (err) {
    if (err instanceof InputError) return NaN;
    throw err;
  }
}
