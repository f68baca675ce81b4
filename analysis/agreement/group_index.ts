/**
 * The row indices of each group, groups in order of first appearance. Rows whose group is
 * null (missing) belong to no group.
 */
export function groupIndex(groups: readonly (string | null)[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (g === null) continue;
    const rows = out.get(g);
    if (rows === undefined) out.set(g, [i]);
    else rows.push(i);
  }
  return out;
}

let collator: Intl.Collator | null = null;

/**
 * Orders unit names as a reader expects: numerically where they are numbers ("2" before "10").
 * One collator for every comparison (`localeCompare` with options builds one per call, which made
 * sorting 20,000 units take longer than the agreement statistics themselves).
 */
export function compareUnitNames(a: string, b: string): number {
  collator ??= new Intl.Collator('en', { numeric: true });
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
