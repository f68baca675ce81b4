import { InputError } from '../../analysis/errors.js';

/**
 * Refuses to chart a unit-level result for fewer respondents than the minimum group size:
 * such units are invisible everywhere (shared/DESIGN.md, data ethics).
 */
export function requireReportable(n: number, minGroupSize: number, what: string): void {
  if (!Number.isInteger(minGroupSize) || minGroupSize < 1) {
    throw new InputError('minGroupSize', `minGroupSize must be a whole number of at least 1; got ${minGroupSize}.`);
  }
  if (!Number.isFinite(n) || n < minGroupSize) {
    throw new InputError('n', `${what} has ${n} respondents, fewer than the minimum group size ${minGroupSize}, so it cannot be shown.`);
  }
}

export { finiteOrNull } from '../../analysis/publication/finite.js';
