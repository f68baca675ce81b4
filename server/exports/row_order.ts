/**
 * The order of an export's rows: by content alone. Rows are sorted on their cells left to right
 * (numbers as numbers, text by code point, an empty cell first), so the order is a function of the
 * multiset of rows as published and of nothing else. Any other order would carry information the
 * rows do not show: the order of stored token hashes links rows to the invitation links an
 * administrator issued (and so to the people they went to), and the order of storage or submission
 * links them to times. Sort the rows as they are published, after rare quasi-identifier values are
 * blanked, so that a blanked value cannot be read back from where its row stands.
 */
export function contentOrder<T extends readonly (string | number | null)[]>(rows: readonly T[]): T[] {
  return [...rows].sort(compareRows);
}

function compareRows(a: readonly (string | number | null)[], b: readonly (string | number | null)[]): number {
  const n = Math.max(a.length, b.length);
  for (let j = 0; j < n; j++) {
    const c = compareCells(a[j] ?? null, b[j] ?? null);
    if (c !== 0) return c;
  }
  return 0;
}

function compareCells(x: string | number | null, y: string | number | null): number {
  const ex = x === null || x === '';
  const ey = y === null || y === '';
  if (ex || ey) return ex === ey ? 0 : ex ? -1 : 1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const sx = String(x);
  const sy = String(y);
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}
