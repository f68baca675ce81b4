import type { CrossVersionComparison } from '../../../analysis/index.js';
import { finiteOrNull } from '../../../analysis/publication/finite.js';

/**
 * Where a unit's trend crosses an instrument-version boundary: the earlier wave (on the other
 * version) and the first wave of this version, both scored on the items the two versions share, as
 * the first wave's run stored them (crossVersionComparison). Nothing is computed here.
 */
export interface TrendAcrossVersions {
  /** The wave before the boundary, on the earlier version. */
  readonly earlierWave: { readonly id: number; readonly name: string; readonly version: string };
  /** The first wave on this version (the boundary). */
  readonly boundaryWave: { readonly id: number; readonly name: string; readonly version: string };
  /** True when the versions share at least 3 items in every cell and the unit was compared. */
  readonly comparable: boolean;
  /** Shared items in all and per cell (as stored). */
  readonly sharedItems: number;
  readonly perCell: readonly { readonly cell: string; readonly shared: number }[];
  /** The unit's misalignment M on the shared items in each of the two waves, and their difference (the drift across the versions). */
  readonly earlier: { readonly n: number; readonly misalignment: number | null } | null;
  readonly atBoundary: { readonly n: number; readonly misalignment: number | null } | null;
  readonly drift: number | null;
  /** The sentence the report prints: what was compared and on how many items, or why it was not. */
  readonly statement: string;
}

/**
 * The unit's trend across the version boundary from the stored comparison of the first wave on
 * its version (`crossVersion` of that wave's run): comparable when the versions keep at least 3
 * shared items in every cell and the unit was published (and not withheld) in both waves; else
 * the refusal with its reason. Null when the wave's run stored no comparison (the earlier wave is
 * on the same version, or there is none) or when the unit was not published in the earlier wave.
 */
export function trendAcrossVersions(
  stored: CrossVersionComparison | null | undefined,
  boundaryWave: { readonly id: number; readonly name: string },
  unitKey: string,
): TrendAcrossVersions | null {
  if (!stored) return null;
  const base = {
    earlierWave: { id: Number(stored.earlierWave.label), name: stored.earlierWave.name, version: stored.earlierWave.version },
    boundaryWave: { id: boundaryWave.id, name: boundaryWave.name, version: stored.currentVersion },
    sharedItems: stored.shared.items.length,
    perCell: stored.shared.cells.map((c) => ({ cell: c.cell, shared: c.shared })),
  };
  const refused = { ...base, comparable: false, earlier: null, atBoundary: null, drift: null };
  if (!stored.shared.comparable) {
    return { ...refused, statement: `The trend stops at wave ${boundaryWave.name} (version ${stored.currentVersion}): ${stored.shared.reasons.join(' ')}` };
  }
  const withheld = stored.withheld.find((w) => w.unitKey === unitKey);
  if (withheld) return { ...refused, statement: `The trend stops at wave ${boundaryWave.name} (version ${stored.currentVersion}): ${withheld.reason}.` };
  const unit = stored.units.find((u) => u.unitKey === unitKey);
  if (!unit) return null;
  const perCell = base.perCell.map((c) => `${c.cell} ${c.shared}`).join(', ');
  const drift = finiteOrNull(unit.change.misalignment);
  return {
    ...base,
    comparable: true,
    earlier: { n: unit.earlier.n, misalignment: finiteOrNull(unit.earlier.misalignment) },
    atBoundary: { n: unit.current.n, misalignment: finiteOrNull(unit.current.misalignment) },
    drift,
    statement:
      `The trend crosses from version ${stored.earlierWave.version} to ${stored.currentVersion} at wave ${boundaryWave.name}: wave ${stored.earlierWave.name} and wave ${boundaryWave.name} are compared on the ${base.sharedItems} items both versions share (per cell: ${perCell}), ` +
      `so their M is computed on those items only${drift === null ? '' : `; drift across the versions ${drift >= 0 ? '+' : '−'}${Math.abs(drift).toFixed(2)}`}. Waves after the boundary use all items of ${stored.currentVersion}.` +
      (stored.changesJustified === false ? ' The change across the boundary is not justified: the shared items are not scalar invariant across the two waves (see the comparison across waves).' : ''),
  };
}
