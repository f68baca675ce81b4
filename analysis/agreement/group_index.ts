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

export { compareUnitNames } from './unit_name_order.js';
