/**
 * Sample skewness of column `j` of `data` over its answered (non-NaN) values, psych::skew's
 * default type 3: b₁ = m₃/m₂^{3/2} · ((n − 1)/n)^{3/2}, with the central moments
 * m_k = Σ(x − x̄)^k/n (Joanes & Gill, 1998, doi:10.1111/1467-9884.00122). Matches psych::skew
 * 2.2.9 (na.rm = TRUE). NaN with fewer than 2 answers or no spread.
 */
export function itemSkewness(data: readonly (readonly number[])[], j: number): number {
  let n = 0;
  let sum = 0;
  for (const row of data) {
    const v = row[j];
    if (Number.isNaN(v)) continue;
    n++;
    sum += v;
  }
  if (n < 2) return NaN;
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  for (const row of data) {
    const v = row[j];
    if (Number.isNaN(v)) continue;
    const d = v - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  if (!(m2 > 0)) return NaN;
  return (m3 / m2 ** 1.5) * ((n - 1) / n) ** 1.5;
}
