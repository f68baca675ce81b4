import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractCase, FIXTURES, seici } from '../helpers/cli.js';
import {
  binomialCriticalCount,
  binomialMass,
  binomialUpperTail,
  contentValidity,
  contentValidityRatio,
  criticalContentValidityRatio,
  InputError,
  itemCvi,
  itemSortIndices,
  itemVerdict,
  scaleCvi,
  type ExpertRating,
} from '../../analysis/index.js';

const r = JSON.parse(readFileSync(resolve(FIXTURES, 'r/content-validity-critical.json'), 'utf8'));

describe('exact binomial kernel against R (test/fixtures/r/content-validity-critical.R)', () => {
  it('pbinom upper tails and dbinom masses to 1e-12 relative', () => {
    for (const t of r.tails) {
      const up = binomialUpperTail(t.k, t.n, t.p);
      const m = binomialMass(t.k, t.n, t.p);
      expect(Math.abs(up - t.upper), `P(X >= ${t.k} | ${t.n}, ${t.p})`).toBeLessThanOrEqual(1e-12 * Math.max(t.upper, 1e-300) + 1e-300);
      expect(Math.abs(m - t.mass), `P(X = ${t.k} | ${t.n}, ${t.p})`).toBeLessThanOrEqual(1e-12 * Math.max(t.mass, 1e-300) + 1e-300);
    }
  });

  it('critical counts equal qbinom(1 - alpha, N, .5) + 1 for N = 1…60 at alpha .10, .05, .01', () => {
    for (const c of r.critical) {
      expect(binomialCriticalCount(c.N, c.alpha), `N = ${c.N}, alpha = ${c.alpha}`).toBe(c.nCritical);
      const cvr = criticalContentValidityRatio(c.N, c.alpha);
      if (c.cvrCritical === null) expect(cvr).toBeNull();
      else expect(Math.abs(cvr! - c.cvrCritical)).toBeLessThanOrEqual(1e-12);
    }
  });
});

describe("Lawshe's CVR with the critical values of Ayre & Scally (2014)", () => {
  // Ayre, C. & Scally, A. J. (2014). Critical values for Lawshe's content validity ratio: revisiting the
  // original methods of calculation. Measurement and Evaluation in Counseling and Development, 47(1), 79–86,
  // doi:10.1177/0748175613513808. Their table of exact one-tailed binomial critical values at alpha = .05:
  // N, the minimum number of experts judging an item essential, and CVR critical (three decimals).
  const AYRE_SCALLY: [number, number, number][] = [
    [5, 5, 1.0], [6, 6, 1.0], [7, 7, 1.0], [8, 7, 0.75], [9, 8, 0.778], [10, 9, 0.8], [11, 9, 0.636], [12, 10, 0.667],
    [13, 10, 0.538], [14, 11, 0.571], [15, 12, 0.6], [16, 12, 0.5], [17, 13, 0.529], [18, 13, 0.444], [19, 14, 0.474],
    [20, 15, 0.5], [21, 15, 0.429], [22, 16, 0.455], [23, 16, 0.391], [24, 17, 0.417], [25, 18, 0.44], [26, 18, 0.385],
    [27, 19, 0.407], [28, 19, 0.357], [29, 20, 0.379], [30, 20, 0.333], [31, 21, 0.355], [32, 22, 0.375], [33, 22, 0.333],
    [34, 23, 0.353], [35, 23, 0.314], [36, 24, 0.333], [37, 24, 0.297], [38, 25, 0.316], [39, 26, 0.333], [40, 26, 0.3],
  ];

  it('reproduces the published table for N = 5…40 at alpha = .05', () => {
    for (const [n, count, cvr] of AYRE_SCALLY) {
      expect(binomialCriticalCount(n, 0.05), `N = ${n}`).toBe(count);
      expect(Number(criticalContentValidityRatio(n, 0.05)!.toFixed(3)), `N = ${n}`).toBe(cvr);
    }
  });

  it('has no critical value below five experts (½⁴ = .0625 > .05)', () => {
    for (const n of [1, 2, 3, 4]) expect(criticalContentValidityRatio(n, 0.05)).toBeNull();
  });

  it("is Lawshe's (1975) linear transform: 0 at half, 1 at all, −1 at none", () => {
    expect(contentValidityRatio(5, 10)).toBe(0);
    expect(contentValidityRatio(10, 10)).toBe(1);
    expect(contentValidityRatio(0, 10)).toBe(-1);
    expect(contentValidityRatio(7, 9)).toBeCloseTo(5 / 9, 15);
    expect(contentValidityRatio(0, 0)).toBeNull();
  });
});

describe('I-CVI (Lynn, 1986) and S-CVI (Polit & Beck, 2006)', () => {
  it("Lynn's (1986) proportions of agreement: 5 of 6 experts = .83, 7 of 9 = .78, 8 of 10 = .80", () => {
    // Lynn, M. R. (1986). Determination and quantification of content validity. Nursing Research, 35(6),
    // 382–385: an item's CVI is the proportion of experts rating it 3 or 4 on the four-point scale; the
    // proportions are those of her table of agreement needed (as widely reproduced, e.g. .78 for 7 of 9).
    expect(itemCvi([4, 3, 4, 4, 3, 2])!.toFixed(2)).toBe('0.83');
    expect(itemCvi([4, 4, 3, 3, 4, 4, 3, 1, 2])!.toFixed(2)).toBe('0.78');
    expect(itemCvi([3, 3, 3, 3, 4, 4, 4, 4, 2, 1])!.toFixed(2)).toBe('0.80');
    expect(itemCvi([])).toBeNull();
  });

  it("Polit & Beck's (2006) two definitions part ways: two experts each judge 9 of 10 items relevant and differ on two: UA .80, Ave .90", () => {
    // Polit, D. F. & Beck, C. T. (2006). The content validity index: are you sure you know what's being
    // reported? Research in Nursing & Health, 29, 489–497, doi:10.1002/nur.20147. Their point (S-CVI/UA
    // falls below S-CVI/Ave as soon as experts disagree on different items) in a small example of ours:
    // the paper's own tables could not be consulted here; the published 12-item table below is quoted.
    const expertA = [4, 4, 4, 3, 4, 3, 4, 4, 4, 2];
    const expertB = [4, 3, 4, 4, 4, 4, 3, 4, 1, 4];
    const cvis = expertA.map((a, i) => itemCvi([a, expertB[i]]));
    const s = scaleCvi(cvis);
    expect(s.sCviUa).toBeCloseTo(0.8, 15);
    expect(s.sCviAve).toBeCloseTo(0.9, 15);
  });

  it('a published 6-expert, 12-item table: I-CVI .83 for items 6 and 9, S-CVI/Ave .97, S-CVI/UA .83', () => {
    // Table 4 of https://pmc.ncbi.nlm.nih.gov/articles/PMC7253559/ (relevance 1–4 by six experts).
    const table = [
      [4, 4, 4, 4, 4, 4], [4, 3, 4, 4, 3, 4], [4, 4, 4, 4, 4, 4], [4, 4, 4, 4, 4, 4], [3, 4, 4, 4, 4, 4], [2, 3, 4, 3, 3, 4],
      [4, 4, 4, 4, 4, 4], [4, 4, 4, 4, 4, 4], [3, 3, 4, 2, 3, 4], [4, 4, 4, 3, 4, 4], [4, 4, 4, 3, 4, 4], [4, 4, 4, 3, 4, 4],
    ];
    const cvis = table.map((row) => itemCvi(row));
    expect(cvis.map((v) => v!.toFixed(2))).toEqual(['1.00', '1.00', '1.00', '1.00', '1.00', '0.83', '1.00', '1.00', '0.83', '1.00', '1.00', '1.00']);
    const s = scaleCvi(cvis);
    expect(s.sCviAve!.toFixed(2)).toBe('0.97');
    expect(s.sCviUa!.toFixed(2)).toBe('0.83');
    expect(s.sCviAve).toBeCloseTo((10 + 10 / 6) / 12, 15);
  });

  it('leaves unrated items out of S-CVI and gives null when none is rated', () => {
    expect(scaleCvi([1, null, 0.5])).toEqual({ sCviAve: 0.75, sCviUa: 0.5, items: 2 });
    expect(scaleCvi([null])).toEqual({ sCviAve: null, sCviUa: null, items: 0 });
  });
});

describe('item-sort indices (Anderson & Gerbing, 1991)', () => {
  // Anderson, J. C. & Gerbing, D. W. (1991). Predicting the performance of measures in a confirmatory factor
  // analysis with a pretest assessment of their substantive validities. Journal of Applied Psychology, 76(5),
  // 732–740, doi:10.1037/0021-9010.76.5.732: p_sa = n_c / N ranges 0…1, c_sv = (n_c − n_o) / N ranges −1…1.
  it('computes p_sa and c_sv from the intended and the strongest other assignment (an example of ours)', () => {
    const s = itemSortIndices(['SxA', 'SxA', 'SxA', 'SxA', 'SxA', 'SxA', 'SxA', 'SxC', 'SxC', 'TxA'], 'SxA');
    expect(s.psa).toBeCloseTo(0.7, 15);
    expect(s.csv).toBeCloseTo(0.5, 15);
    expect(s.strongestOtherCell).toBe('SxC');
  });

  it('reaches its bounds: all sorters agree (1, 1), all choose one other cell (0, −1)', () => {
    expect(itemSortIndices(['RxC', 'RxC', 'RxC'], 'RxC')).toMatchObject({ psa: 1, csv: 1 });
    expect(itemSortIndices(['RxA', 'RxA', 'RxA'], 'RxC')).toMatchObject({ psa: 0, csv: -1 });
    expect(itemSortIndices([], 'RxC')).toMatchObject({ psa: null, csv: null, n: 0 });
  });
});

describe('verdict rules (Zamanzadeh et al., 2015, with the CVR and p_sa checks)', () => {
  const base = { cvr: null, cvrCritical: null, essentialN: 0, psa: null };
  it('keeps above .79, revises from .70 to .79, drops below .70', () => {
    expect(itemVerdict({ ...base, iCvi: 0.8 }).verdict).toBe('keep');
    expect(itemVerdict({ ...base, iCvi: 0.79 }).verdict).toBe('revise');
    expect(itemVerdict({ ...base, iCvi: 0.7 }).verdict).toBe('revise');
    expect(itemVerdict({ ...base, iCvi: 0.69 }).verdict).toBe('drop');
  });
  it('turns a keep into a revise for a CVR below its critical value or p_sa below .50, naming each rule', () => {
    const cvr = itemVerdict({ ...base, iCvi: 1, cvr: 1 / 9, cvrCritical: 7 / 9, essentialN: 9 });
    expect(cvr.verdict).toBe('revise');
    expect(cvr.reasons.join(' ')).toMatch(/CVR 0\.11 is below its critical value 0\.78 for N = 9/);
    const psa = itemVerdict({ ...base, iCvi: 1, psa: 0.4 });
    expect(psa.verdict).toBe('revise');
    expect(psa.reasons.join(' ')).toMatch(/p_sa 0\.40/);
    const both = itemVerdict({ ...base, iCvi: 0.6, cvr: 0, cvrCritical: 7 / 9, essentialN: 9, psa: 0.2 });
    expect(both.verdict).toBe('drop');
    expect(both.reasons).toHaveLength(3);
  });
  it('keeps a CVR equal to its critical value, and says when no count can reach significance', () => {
    expect(itemVerdict({ ...base, iCvi: 1, cvr: 7 / 9, cvrCritical: 7 / 9, essentialN: 9 }).verdict).toBe('keep');
    const few = itemVerdict({ ...base, iCvi: 1, cvr: 1, cvrCritical: null, essentialN: 4 });
    expect(few.verdict).toBe('keep');
    expect(few.reasons.join(' ')).toMatch(/cannot be tested/);
  });
});

describe('contentValidity entry point', () => {
  const map = { items: { SxA_1: { cell: 'SxA' }, RxC_1: { cell: 'RxC' } } };
  const row = (expert: string, item: string, relevance: number | null, essential: boolean | null = null, sortedCell: string | null = null): ExpertRating => ({
    expert,
    item,
    relevance,
    essential,
    sortedCell,
  });

  it('counts experts, uses per-item denominators and lists all nine cells', () => {
    const res = contentValidity(
      [row('a', 'SxA_1', 4, true, 'SxA'), row('b', 'SxA_1', 2, true, 'SxC'), row('c', 'SxA_1', null, false, null), row('a', 'RxC_1', 3)],
      map,
    );
    expect(res.experts).toBe(3);
    const s = res.items[0];
    expect(s).toMatchObject({ item: 'SxA_1', iCvi: 0.5, nRelevance: 2, nEssential: 3, cvrCritical: null, psa: 0.5, csv: 0, verdict: 'drop' });
    expect(s.cvr).toBeCloseTo(1 / 3, 15);
    expect(res.cells.map((c) => c.cell)).toEqual(['SxA', 'SxC', 'SxV', 'RxA', 'RxC', 'RxV', 'TxA', 'TxC', 'TxV']);
    expect(res.cells[1]).toMatchObject({ items: 0, sCviAve: null, sCviUa: null });
    expect(res.sCviAve).toBeCloseTo(0.75, 15);
  });

  it('refuses bad input with the row at fault', () => {
    const bad = (rows: ExpertRating[], re: RegExp) => {
      expect(() => contentValidity(rows, map)).toThrow(InputError);
      expect(() => contentValidity(rows, map)).toThrow(re);
    };
    bad([row('a', 'SxA_1', 4), row('a', 'XxY', 4)], /row 2: item "XxY" is not in the map/);
    bad([row('a', 'SxA_1', 5)], /row 1: relevance must be 1, 2, 3 or 4; got 5/);
    bad([row('a', 'SxA_1', 4), row('a', 'SxA_1', 3)], /row 2: expert a rates item SxA_1 a second time/);
    bad([row('a', 'SxA_1', 4, null, 'SxZ')], /row 1: sortedCell must be one of/);
    expect(() => contentValidity([row('a', 'SxA_1', 4)], { items: { SxA_1: { cell: 'nope' } } })).toThrow(/map item "SxA_1"/);
    expect(() => contentValidity([row('a', 'SxA_1', 4)], map, { alpha: 0 })).toThrow(/alpha/);
  });
});

describe('seici content-validity: contract cases', () => {
  for (const name of ['cv-ratings', 'cv-ratings-skips']) {
    it(`${name} matches the contract at 1e-12`, () => {
      const { args, expected } = contractCase(name);
      const res = seici([...args, '--json']);
      expect(res.status, res.stderr).toBe(0);
      const got = res.json;
      expect(got.experts).toBe(expected.experts);
      expect(got.items.map((i: any) => i.item)).toEqual(expected.items.map((i: any) => i.item));
      expected.items.forEach((e: any, k: number) => {
        const g = got.items[k];
        expect(g.cell).toBe(e.cell);
        expect(g.verdict, e.item).toBe(e.verdict);
        expect(Array.isArray(g.reasons) && g.reasons.length > 0).toBe(true);
        for (const key of ['iCvi', 'cvr', 'cvrCritical', 'psa', 'csv']) {
          if (e[key] === null) expect(g[key], `${e.item}.${key}`).toBeNull();
          else expect(Math.abs(g[key] - e[key]), `${e.item}.${key}`).toBeLessThanOrEqual(1e-12);
        }
      });
      expect(Math.abs(got.sCviAve - expected.sCviAve)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(got.sCviUa - expected.sCviUa)).toBeLessThanOrEqual(1e-12);
      for (const c of expected.cells) {
        const g = got.cells.find((x: any) => x.cell === c.cell);
        expect(Math.abs(g.sCviAve - c.sCviAve), c.cell).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(g.sCviUa - c.sCviUa), c.cell).toBeLessThanOrEqual(1e-12);
      }
    });
  }

  it('prints a readable table without --json', () => {
    const res = seici(['content-validity', '--csv', 'cv-ratings.csv', '--map', 'cv-map.json']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/9 experts; S-CVI\/Ave 0\.938/);
    expect(res.stdout).toMatch(/RxC_2: I-CVI 0\.56 is below 0\.70/);
  });

  it('exits 2 with one line naming the row and column at fault', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seici-cv-'));
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'expert,item,relevance,essential\nE1,SxA_1,4,1\nE2,SxA_1,7,1\n');
    let res = seici(['content-validity', '--csv', csv, '--map', 'cv-map.json', '--json']);
    expect(res.status).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/row 2, column relevance: "7" is not 1, 2, 3 or 4/);
    writeFileSync(csv, 'expert,item,relevance\nE1,SxA_1,4\nE2,Nope_1,3\n');
    res = seici(['content-validity', '--csv', csv, '--map', 'cv-map.json', '--json']);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/row 2: item "Nope_1" is not in the map/);
    writeFileSync(csv, 'expert,item\nE1,SxA_1\n');
    res = seici(['content-validity', '--csv', csv, '--map', 'cv-map.json']);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/relevance/);
    res = seici(['content-validity', '--csv', 'cv-ratings.csv', '--map', 'cv-map.json', '--alpha', '2']);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/--alpha/);
  });
});
