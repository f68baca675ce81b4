import { describe, expect, it } from 'vitest';
import { CELLS } from '../../instrument/model.js';
import { InputError, scoreAcrossVersions, scoreUnits, sharedItems, type VersionItem, type VersionItems } from '../../analysis/index.js';

/** v1: four items per cell, item 4 reverse-keyed. */
function v1(): VersionItems {
  const items: Record<string, VersionItem> = {};
  for (const cell of CELLS) for (let k = 1; k <= 4; k++) items[`${cell}_${k}`] = { cell, reverse: k === 4, text: { en: `${cell} statement ${k}` } };
  return { version: 'v1', items };
}

/** A version derived from v1: retire some ids, add others (a revision is a retire plus a new id). */
function derive(version: string, retire: string[], add: string[]): VersionItems {
  const items: Record<string, VersionItem> = { ...v1().items };
  for (const id of retire) delete items[id];
  for (const id of add) items[id] = { cell: id.slice(0, 3), reverse: false, text: { en: `new ${id}` } };
  return { version, items };
}

// v2 retires SxA_4, revises SxC_1 into SxC_5, adds TxV_5: every cell keeps at least 3 shared items.
const V2 = derive('v2', ['SxA_4', 'SxC_1'], ['SxC_5', 'TxV_5']);
// v3 replaces two RxA items: RxA keeps only RxA_3 and RxA_4 in common with v1.
const V3 = derive('v3', ['RxA_1', 'RxA_2'], ['RxA_5', 'RxA_6']);

describe('sharedItems: the items versions carry over unchanged', () => {
  it('lists the shared items and how many per cell', () => {
    const s = sharedItems([v1(), V2]);
    expect(s.comparable).toBe(true);
    expect(s.items).toHaveLength(36 - 2);
    expect(s.items).not.toContain('SxA_4');
    expect(s.items).not.toContain('SxC_1');
    expect(s.items).not.toContain('SxC_5');
    const byCell = Object.fromEntries(s.cells.map((c) => [c.cell, c]));
    expect(byCell.SxA).toMatchObject({ shared: 3, items: ['SxA_1', 'SxA_2', 'SxA_3'], perVersion: { v1: 4, v2: 3 }, comparable: true });
    expect(byCell.SxC).toMatchObject({ shared: 3, items: ['SxC_2', 'SxC_3', 'SxC_4'], perVersion: { v1: 4, v2: 4 } });
    expect(byCell.TxV).toMatchObject({ shared: 4, perVersion: { v1: 4, v2: 5 } });
    expect(s.reasons).toEqual([]);
  });

  it('refuses a comparison where a cell keeps fewer than 3 shared items, naming the cell and its items', () => {
    const s = sharedItems([v1(), V3]);
    expect(s.comparable).toBe(false);
    expect(s.reasons).toEqual(['cell RxA keeps 2 shared items (RxA_3, RxA_4) across v1, v3; comparing scores needs at least 3.']);
    expect(s.cells.find((c) => c.cell === 'RxA')).toMatchObject({ shared: 2, comparable: false });
    // Three versions: an item must be in all of them.
    const three = sharedItems([v1(), V2, V3]);
    expect(three.items).toHaveLength(36 - 4);
    expect(three.comparable).toBe(false);
    expect(sharedItems([v1(), V3], 2).comparable).toBe(true);
  });

  it('does not share an id whose wording or keying differs, and says so', () => {
    const base = v1().items;
    const changed: VersionItems = {
      version: 'v2b',
      items: { ...base, SxV_2: { ...base.SxV_2, text: { en: 'silently reworded' } }, SxV_3: { ...base.SxV_3, reverse: true } },
    };
    const s = sharedItems([v1(), changed]);
    expect(s.items).not.toContain('SxV_2');
    expect(s.items).not.toContain('SxV_3');
    expect(s.diagnostics.warnings).toEqual([
      'item SxV_2 differs in content between the versions, so it is not shared.',
      'item SxV_3 differs in content between the versions, so it is not shared.',
    ]);
    expect(s.cells.find((c) => c.cell === 'SxV')).toMatchObject({ shared: 2, comparable: false });
  });

  it('refuses malformed input naming the argument', () => {
    expect(() => sharedItems([])).toThrow(InputError);
    expect(() => sharedItems([v1(), v1()])).toThrow('versions names v1 twice.');
    expect(() => sharedItems([{ version: 'x', items: { A: { cell: 'nope' } } }])).toThrow(/item A has no SEI cell/);
    expect(() => sharedItems([v1()], 0)).toThrow(/minPerCell/);
  });
});

describe('scoreAcrossVersions: scores on the shared items only', () => {
  // Two units, two waves of four respondents: wave 1 answered v1, wave 2 answered v2.
  const columns = [...new Set([...Object.keys(v1().items), ...Object.keys(V2.items)])];
  function responses(noise: number) {
    const answers: number[][] = [];
    const unit: string[] = [];
    const wave: string[] = [];
    let r = 0;
    for (const w of ['1', '2']) {
      for (const u of ['a', 'b']) {
        for (let k = 0; k < 4; k++, r++) {
          const items = w === '1' ? v1().items : V2.items;
          answers.push(
            columns.map((id, j) => {
              if (!(id in items)) return NaN;
              const onlyOne = !(id in v1().items) || !(id in V2.items);
              // Items that are not shared get values that would move every score if they were used.
              if (onlyOne) return 1 + ((r * 3 + j + noise) % 7);
              return 1 + ((r + 2 * j + (u === 'a' ? 2 : 0)) % 6);
            }),
          );
          unit.push(u);
          wave.push(w);
        }
      }
    }
    return { items: columns, answers, unit, wave };
  }
  const versionsOf = { '1': 'v1', '2': 'v2' };

  it('equals scoring with a map of the shared items, whatever the other items hold', () => {
    const res = scoreAcrossVersions(responses(0), versionsOf, [v1(), V2], { scaleMin: 1, scaleMax: 7 });
    expect(res.shared.comparable).toBe(true);
    const shared = sharedItems([v1(), V2]).items;
    const map = { scaleMin: 1, scaleMax: 7, items: Object.fromEntries(shared.map((id) => [id, { cell: v1().items[id].cell, reverse: v1().items[id].reverse }])) };
    const direct = scoreUnits(responses(0), map);
    expect(res.scores!.units).toEqual(direct.units);
    const moved = scoreAcrossVersions(responses(5), versionsOf, [v1(), V2], { scaleMin: 1, scaleMax: 7 });
    expect(moved.scores!.units).toEqual(res.scores!.units);
    expect(res.scores!.diagnostics.warnings.at(-1)).toMatch(/^scores use the 34 items that versions v1, v2 share \(SxA 3, SxC 3, SxV 4/);
  });

  it('computes a cell as the mean of its shared items (SxA_1…SxA_3 with SxA_4 left out)', () => {
    const data = responses(0);
    const res = scoreAcrossVersions(data, versionsOf, [v1(), V2], { scaleMin: 1, scaleMax: 7 });
    const cols = ['SxA_1', 'SxA_2', 'SxA_3'].map((id) => data.items.indexOf(id));
    const rows = data.answers.filter((_, i) => data.unit[i] === 'a' && data.wave[i] === '1');
    const expected = rows.reduce((s, row) => s + cols.reduce((t, j) => t + row[j], 0) / 3, 0) / rows.length;
    const got = res.scores!.units.find((u) => u.unit === 'a' && u.wave === '1')!.cells.SxA;
    expect(Math.abs(got! - expected)).toBeLessThanOrEqual(1e-12);
  });

  it('refuses the comparison when a cell keeps fewer than 3 shared items, and says why', () => {
    const res = scoreAcrossVersions(responses(0), { '1': 'v1', '2': 'v3' }, [v1(), V3], { scaleMin: 1, scaleMax: 7 });
    expect(res.scores).toBeNull();
    expect(res.shared.reasons[0]).toMatch(/cell RxA keeps 2 shared items/);
  });

  it('names a wave without a version', () => {
    expect(() => scoreAcrossVersions(responses(0), { '1': 'v1' }, [v1(), V2], { scaleMin: 1, scaleMax: 7 })).toThrow('waveVersions gives no instrument version for wave 2.');
    expect(() => scoreAcrossVersions(responses(0), { '1': 'v1', '2': 'v9' }, [v1(), V2], { scaleMin: 1, scaleMax: 7 })).toThrow(/version v9, which versions does not hold/);
  });
});
