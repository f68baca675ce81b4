/**
 * Blanks quasi-identifiers in exported rows: in each group (a unit), a value of a
 * quasi-identifier column (role, locale, context, any demographic) shared by fewer than k rows
 * of the group is replaced by the empty string, so that no combination of unit and value
 * singles out fewer than k respondents (k-anonymity per attribute, Sweeney, 2002,
 * doi:10.1142/S0218488502001648; attributes are blanked one by one, which is enough here because
 * each exported row carries at most one rare value per column and the unit already has ≥ k rows).
 * Returns new rows; the input is left as it is.
 */
export function blankRareValues(rows: readonly (readonly string[])[], groupColumn: number, columns: readonly number[], k: number): string[][] {
  const out = rows.map((r) => [...r]);
  for (const c of columns) {
    const counts = new Map<string, number>();
    for (const r of rows) {
      const key = `${r[groupColumn]}\u0000${r[c]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    rows.forEach((r, i) => {
      if (r[c] !== '' && counts.get(`${r[groupColumn]}\u0000${r[c]}`)! < k) out[i][c] = '';
    });
  }
  return out;
}
