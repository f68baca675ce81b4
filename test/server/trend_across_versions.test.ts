import { describe, expect, it } from 'vitest';
import { sharedItems, type CrossVersionComparison, type VersionItems } from '../../analysis/index.js';
import { getInstrumentVersion } from '../../instrument/index.js';
import { trendAcrossVersions } from '../../server/web/reports/trend_across_versions.js';
import { misalignmentTrendSpec } from '../../server/charts/index.js';

const v1 = getInstrumentVersion('v1');
const items = (version: string, drop: readonly string[]): VersionItems => ({
  version,
  items: Object.fromEntries(v1.items.filter((i) => i.cell !== null && !drop.includes(i.id)).map((i) => [i.id, { cell: i.cell!, reverse: i.reverse, text: { ...i.text } }])),
});

/** A stored comparison as crossVersionComparison leaves it, with the shared items computed by sharedItems (the refusal reads only those). */
function stored(drop: readonly string[], units: CrossVersionComparison['units'] = [], withheld: CrossVersionComparison['withheld'] = [], changesJustified: boolean | null = null): CrossVersionComparison {
  const shared = sharedItems([items('v1', []), items('v2', drop)]);
  return {
    earlierWave: { label: '3', name: 'Spring', version: 'v1' },
    currentVersion: 'v2',
    shared: { items: shared.items, cells: shared.cells, comparable: shared.comparable, reasons: shared.reasons, minPerCell: shared.minPerCell },
    units,
    withheld,
    statement: '',
    changesJustified,
  };
}

const scores = (n: number, misalignment: number) => ({ n, misalignment, seiCi: 4, cells: {} as never, dimensions: {} as never });

describe('the unit trend across an instrument-version boundary (trendAcrossVersions)', () => {
  it('refuses with the sentence when a cell keeps fewer than 3 shared items, naming the cell and its items', () => {
    const sxa = v1.items.filter((i) => i.cell === 'SxA').map((i) => i.id);
    const t = trendAcrossVersions(stored(sxa.slice(2)), { id: 7, name: 'Autumn' }, 'u1')!;
    expect(t.comparable).toBe(false);
    expect(t.earlier).toBeNull();
    expect(t.drift).toBeNull();
    expect(t.perCell.find((c) => c.cell === 'SxA')!.shared).toBe(2);
    expect(t.statement).toBe(`The trend stops at wave Autumn (version v2): cell SxA keeps 2 shared items (${sxa[0]}, ${sxa[1]}) across v1, v2; comparing scores needs at least 3.`);
  });

  it('crosses the boundary with the unit’s M on the shared items either side and their difference, and says how many items per cell', () => {
    const cv = stored(['SxA_3'], [{ unitKey: 'u1', earlier: scores(12, 0.41), current: scores(11, 0.63), change: { seiCi: 0.1, dimensions: {} as never, misalignment: 0.63 - 0.41 } }]);
    const t = trendAcrossVersions(cv, { id: 7, name: 'Autumn' }, 'u1')!;
    expect(t).toMatchObject({ comparable: true, sharedItems: 71, earlierWave: { id: 3, name: 'Spring', version: 'v1' }, boundaryWave: { id: 7, name: 'Autumn', version: 'v2' }, earlier: { n: 12, misalignment: 0.41 }, atBoundary: { n: 11, misalignment: 0.63 } });
    expect(t.drift).toBeCloseTo(0.22, 12);
    expect(t.statement).toBe('The trend crosses from version v1 to v2 at wave Autumn: wave Spring and wave Autumn are compared on the 71 items both versions share (per cell: SxA 7, SxC 8, SxV 8, RxA 8, RxC 8, RxV 8, TxA 8, TxC 8, TxV 8), so their M is computed on those items only; drift across the versions +0.22. Waves after the boundary use all items of v2.');
    // A unit the comparison withheld stops at the boundary with the reason; one not published before has no boundary at all.
    const withheld = stored(['SxA_3'], [], [{ unitKey: 'u2', reason: 'on the shared items its scores would cover another number of respondents than its publication did, so it is not compared' }]);
    expect(trendAcrossVersions(withheld, { id: 7, name: 'Autumn' }, 'u2')!.statement).toBe('The trend stops at wave Autumn (version v2): on the shared items its scores would cover another number of respondents than its publication did, so it is not compared.');
    // When the comparison across the two waves found the shared items not scalar invariant, the sentence says the change is not justified.
    const unjustified = stored(['SxA_3'], cv.units, [], false);
    expect(trendAcrossVersions(unjustified, { id: 7, name: 'Autumn' }, 'u1')!.statement).toMatch(/Waves after the boundary use all items of v2\. The change across the boundary is not justified: the shared items are not scalar invariant across the two waves/);
    expect(t.statement).not.toMatch(/not justified/);
    expect(trendAcrossVersions(cv, { id: 7, name: 'Autumn' }, 'u9')).toBeNull();
    expect(trendAcrossVersions(null, { id: 7, name: 'Autumn' }, 'u1')).toBeNull();
  });

  it('draws the shared-items series either side of the boundary and a rule at the first wave of the new version', () => {
    const spec = misalignmentTrendSpec({
      title: 't',
      minGroupSize: 5,
      waves: [
        { wave: 'Spring', n: 12, misalignment: null, drift: null, sharedMisalignment: 0.41 },
        { wave: 'Autumn', n: 11, misalignment: 0.6, drift: 0, organisationMisalignment: 0.5, sharedMisalignment: 0.63 },
        { wave: 'Winter', n: 3, misalignment: 0.7, drift: 0.1, organisationMisalignment: 0.5 },
      ],
      versionBoundary: { wave: 'Autumn', label: 'v2 from here · 71 shared items' },
    }) as unknown as { layer: { data?: { values: Record<string, unknown>[] } }[] };
    const values = spec.layer.flatMap((l) => l.data?.values ?? []);
    expect(values.filter((v) => v.series === 'M on shared items')).toEqual([
      { wave: 'Spring', series: 'M on shared items', value: 0.41 },
      { wave: 'Autumn', series: 'M on shared items', value: 0.63 },
    ]);
    expect(values).toContainEqual({ wave: 'Autumn', label: 'v2 from here · 71 shared items' });
    // Winter is below the minimum group size: nothing of it is drawn.
    expect(values.some((v) => v.wave === 'Winter')).toBe(false);
    // No boundary given: no rule, no shared series.
    const plain = misalignmentTrendSpec({ title: 't', minGroupSize: 5, waves: [{ wave: 'Autumn', n: 11, misalignment: 0.6, drift: 0 }] }) as unknown as { layer: { data?: { values: Record<string, unknown>[] } }[] };
    expect(plain.layer.flatMap((l) => l.data?.values ?? []).some((v) => 'label' in v && String(v.label).includes('from here'))).toBe(false);
  });
});
