/**
 * Uncorrected item-total correlations (psych's `raw.r`): the Pearson correlation of each item
 * with the respondent's mean over the items they answered. Under `pairwise` deletion the mean uses
 * each row's answered items and each correlation the rows where both the item and the mean exist;
 * under `listwise` the rows are expected to be complete. The item is part of its own total, so
 * this correlation is inflated; `correctedItemTotal` removes the item. Matches psych::alpha
 * 2.2.9's `item.stats$raw.r`.
 */
export function itemTotal(data: readonly (readonly number[])[]): number[] {
  const p = data.length > 0 ? data[0].length : 0;
  const totals = data.map((row) => {
    let s = 0;
    let k = 0;
    for (const v of row) {
      if (!Number.isNaN(v)) {
        s += v;
        k++;
      }
    }
    return k > 0 ? s / k : NaN;
  });
  const out = new Array<number>(p);
  for (let j = 0; j < p; j++) {
    let k = 0;
    let sx = 0;
    let st = 0;
    for (const [r, row] of data.entries()) {
      const x = row[j];
      const t = totals[r];
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
    for (const [r, row] of data.entries()) {
      const x = row[j];
      const t = totals[r];
      if (Number.isNaN(x) || Number.isNaN(t)) continue;
      sxt += (x - mx) * (t - mt);
      sxx += (x - mx) * (x - mx);
      stt += (t - mt) * (t - mt);
    }
    out[j] = k > 1 ? sxt / Math.sqrt(sxx * stt) : NaN;
  }
  return out;
}
