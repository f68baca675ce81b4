import { columnsFromRows, isNumericColumns, type NumericColumns } from '../data/columns.js';

/**
 * Uncorrected item-total correlations (psych's `raw.r`): the Pearson correlation of each item
 * with the respondent's mean over the items they answered. Under `pairwise` deletion the mean uses
 * each row's answered items and each correlation the rows where both the item and the mean exist;
 * under `listwise` the rows are expected to be complete. The item is part of its own total, so
 * this correlation is inflated; `correctedItemTotal` removes the item. Matches psych::alpha
 * 2.2.9's `item.stats$raw.r`. `data`: one column per item, or rows × items.
 */
export function itemTotal(data: NumericColumns | readonly (readonly number[])[]): number[] {
  const { columns, length } = isNumericColumns(data) ? data : columnsFromRows(data, data.length > 0 ? data[0].length : 0);
  const p = columns.length;
  // each respondent's mean over the items they answered, summed item by item in order
  const sums = new Float64Array(length);
  const answered = new Int32Array(length);
  for (const col of columns) {
    for (let i = 0; i < length; i++) {
      const v = col[i];
      if (!Number.isNaN(v)) {
        sums[i] += v;
        answered[i]++;
      }
    }
  }
  const totals = new Float64Array(length);
  for (let i = 0; i < length; i++) totals[i] = answered[i] > 0 ? sums[i] / answered[i] : NaN;
  const out = new Array<number>(p);
  for (let j = 0; j < p; j++) {
    const col = columns[j];
    let k = 0;
    let sx = 0;
    let st = 0;
    for (let i = 0; i < length; i++) {
      const x = col[i];
      const t = totals[i];
      if (Number.isNaN(x) || Number.isNaN(t)) continue;
      k++;
      sx += x;
      st += t;
    }
    const mx = sx / k;
    const mt = st / k;
    let sxt = 0;
    let sxx = 0;
    let stt = 0;
    for (let i = 0; i < length; i++) {
      const x = col[i];
      const t = totals[i];
      if (Number.isNaN(x) || Number.isNaN(t)) continue;
      sxt += (x - mx) * (t - mt);
      sxx += (x - mx) * (x - mx);
      stt += (t - mt) * (t - mt);
    }
    out[j] = k > 1 ? sxt / Math.sqrt(sxx * stt) : NaN;
  }
  return out;
}
