/**
 * The item-level content validity index (Lynn, 1986, doi:10.1097/00006199-198611000-00017):
 * the share of experts who rate an item's relevance 3 or 4 on the four-point scale
 * (1 not, 2 somewhat, 3 quite, 4 highly relevant),
 *
 *   I-CVI = #{ratings ≥ 3} / #{ratings}.
 *
 * The denominator is the experts who rated the item (a skipped rating is not a "no").
 * Returns null when nobody rated it. Ratings must be whole numbers 1–4 (the entry point checks).
 */
export function itemCvi(relevance: readonly number[]): number | null {
  if (relevance.length === 0) return null;
  let relevant = 0;
  for (const r of relevance) if (r >= 3) relevant++;
  return relevant / relevance.length;
}

/** The two scale-level indices of Polit & Beck (2006) over a set of items' I-CVIs. */
export interface ScaleCvi {
  /** S-CVI/Ave: the mean I-CVI. */
  readonly sCviAve: number | null;
  /** S-CVI/UA: the share of items that every expert who rated them judged relevant (I-CVI = 1). */
  readonly sCviUa: number | null;
  /** Items that entered (those with an I-CVI). */
  readonly items: number;
}

/**
 * Scale-level content validity (Polit & Beck, 2006, doi:10.1002/nur.20147): S-CVI/Ave is the
 * average of the item-level indices, S-CVI/UA the proportion of items on which the experts
 * agree universally (I-CVI = 1). Items without an I-CVI (nobody rated them) are left out;
 * with none left both indices are null.
 */
export function scaleCvi(iCvis: readonly (number | null)[]): ScaleCvi {
  const present = iCvis.filter((v): v is number => v !== null);
  if (present.length === 0) return { sCviAve: null, sCviUa: null, items: 0 };
  let sum = 0;
  let universal = 0;
  for (const v of present) {
    sum += v;
    if (v === 1) universal++;
  }
  return { sCviAve: sum / present.length, sCviUa: universal / present.length, items: present.length };
}
