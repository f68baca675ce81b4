import { InputError } from '../errors.js';
import { missingCode, type AnswerColumn } from './columns.js';

/** The smallest and largest observed value over all cells of `data` (NaN ignored). */
export function observedRange(data: readonly (readonly number[])[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const row of data) {
    for (const v of row) {
      if (Number.isNaN(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { min, max };
}

/**
 * Reverse-keys the columns at `columns` as `min + max − x`; missing values stay missing.
 * With no explicit scale bounds, psych::alpha uses the smallest and largest value over all the
 * selected items, and so does `observedRange`.
 */
export function reverseKey(
  data: readonly (readonly number[])[],
  columns: readonly number[],
  scale: { min: number; max: number },
): number[][] {
  if (!(scale.max > scale.min)) {
    throw new InputError('scale', `the scale maximum (${scale.max}) must be larger than its minimum (${scale.min}).`);
  }
  const flip = new Set(columns);
  const total = scale.min + scale.max;
  return data.map((row) => row.map((v, j) => (flip.has(j) && !Number.isNaN(v) ? total - v : v)));
}

/** {@link observedRange} of column-stored data (Float64Array or one-byte answer columns). */
export function observedColumnRange(columns: readonly AnswerColumn[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const col of columns) {
    const missing = missingCode(col);
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (v === missing) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { min, max };
}

/**
 * {@link reverseKey} on column-stored data, in place (the caller owns the columns): each column
 * at `columns` becomes `min + max − x`; missing values (NaN) stay missing.
 */
export function reverseKeyColumns(data: readonly Float64Array[], columns: readonly number[], scale: { min: number; max: number }): void {
  if (!(scale.max > scale.min)) {
    throw new InputError('scale', `the scale maximum (${scale.max}) must be larger than its minimum (${scale.min}).`);
  }
  const total = scale.min + scale.max;
  for (const j of new Set(columns)) {
    const col = data[j];
    for (let i = 0; i < col.length; i++) col[i] = total - col[i];
  }
}
