import { describe, expect, it } from 'vitest';
import { InputError, ORGANISATION, publicationPolicy, publishAggregates, type AggregateNode, type AggregatePublication } from '../../analysis/index.js';
import { seeded } from './fixtures.js';

/**
 * Every difference a reader can form from published aggregates: an aggregate minus any set of
 * disjoint published aggregates nested in it. None may leave 1 … k − 1 people. Brute force over
 * all subsets, independent of the algorithm's residuals.
 */
function leaks(nodes: readonly AggregateNode[], publication: AggregatePublication, k: number): string[] {
  const own = new Map(nodes.map((n) => [n.key, n.own]));
  const size = (units: readonly string[]) => units.reduce((s, u) => s + (own.get(u) ?? 0), 0);
  const published = [...publication.members];
  const found: string[] = [];
  for (const [key, units] of published) {
    const inside = published.filter(([other, u]) => other !== key && u.every((x) => units.includes(x)));
    const subsets = 1 << inside.length;
    for (let mask = 1; mask < subsets && inside.length <= 14; mask++) {
      const chosen = inside.filter((_, i) => mask & (1 << i));
      const covered = chosen.flatMap(([, u]) => u);
      if (new Set(covered).size !== covered.length) continue; // not disjoint
      const left = size(units) - size(covered);
      if (left >= 1 && left < k) found.push(`${key} − {${chosen.map(([c]) => c).join(', ')}} = ${left}`);
    }
  }
  return found;
}

describe('publishAggregates', () => {
  const policy = publicationPolicy(5);

  it('refuses a minimum group size below 3 or not whole', () => {
    expect(() => publicationPolicy(2)).toThrow(InputError);
    expect(() => publicationPolicy(2)).toThrow(/^minGroupSize must be a whole number of at least 3; got 2\.$/);
    expect(() => publicationPolicy(4.5)).toThrow(/got 4.5/);
  });

  it('rolls a parent up over its teams, so small teams count in their department', () => {
    const nodes = [
      { key: 'dept', parentKey: null, own: 0 },
      { key: 'a', parentKey: 'dept', own: 3 },
      { key: 'b', parentKey: 'dept', own: 3 },
    ];
    const p = publishAggregates(nodes, policy);
    const byKey = Object.fromEntries(p.aggregates.map((a) => [a.key, a]));
    expect(byKey.dept).toEqual({ key: 'dept', published: true, n: 6, rollup: true });
    expect(byKey.a).toEqual({ key: 'a', published: false, reason: 'below-minimum', rollup: false });
    expect(p.members.get('dept')).toEqual(['a', 'b']);
    expect(leaks(nodes, p, 5)).toEqual([]);
  });

  it('suppresses a complement so that a parent minus its reportable children leaves no small group', () => {
    const nodes = [
      { key: 'dept', parentKey: null, own: 0 },
      { key: 'a', parentKey: 'dept', own: 6 },
      { key: 'b', parentKey: 'dept', own: 7 },
      { key: 'c', parentKey: 'dept', own: 2 },
    ];
    const p = publishAggregates(nodes, policy);
    const status = Object.fromEntries(p.aggregates.map((a) => [a.key, a.published ? 'published' : a.reason]));
    // dept (15) − a − b would be c's 2 people: the smallest child that closes the gap (a, 6) is withheld.
    expect(status).toEqual({ a: 'complementary', b: 'published', c: 'below-minimum', dept: 'published', [ORGANISATION]: 'published' });
    expect(leaks(nodes, p, 5)).toEqual([]);
  });

  it('withholds a reportable child whose own members close the gap of a parent with direct members', () => {
    const nodes = [
      { key: 'dept', parentKey: null, own: 2 },
      { key: 'a', parentKey: 'dept', own: 5 },
      { key: 'other', parentKey: null, own: 9 },
    ];
    const p = publishAggregates(nodes, policy);
    const status = Object.fromEntries(p.aggregates.map((a) => [a.key, a.published ? 'published' : a.reason]));
    // dept − a = 2 and a's own residual is 5 ≥ k: a is withheld; the organisation − dept − other = 0.
    expect(status.a).toBe('complementary');
    expect(status.dept).toBe('published');
    expect(leaks(nodes, p, 5)).toEqual([]);
  });

  it('suppresses the parent itself when no child can close the gap', () => {
    const nodes = [
      { key: 'dept', parentKey: null, own: 2 },
      { key: 'a', parentKey: 'dept', own: 0 },
      { key: 'g1', parentKey: 'a', own: 5 },
      { key: 'g2', parentKey: 'a', own: 5 },
    ];
    const p = publishAggregates(nodes, policy);
    const status = Object.fromEntries(p.aggregates.map((a) => [a.key, a.published ? 'published' : a.reason]));
    // dept − a = 2, and a adds nothing of its own (a = g1 + g2): dept is withheld; the organisation is what stays published (a).
    expect(status).toEqual({ g1: 'published', g2: 'published', a: 'published', dept: 'complementary', [ORGANISATION]: 'published' });
    expect(p.aggregates.find((x) => x.key === ORGANISATION)).toMatchObject({ n: 10 });
    expect(leaks(nodes, p, 5)).toEqual([]);
  });

  it('keeps the organisation total from revealing its small units', () => {
    const nodes = [
      { key: 'x', parentKey: null, own: 6 },
      { key: 'y', parentKey: null, own: 8 },
      { key: 'z', parentKey: null, own: 1 },
    ];
    const p = publishAggregates(nodes, policy);
    expect(leaks(nodes, p, 5)).toEqual([]);
    // The organisation covers the published units only (14), so it never costs x its publication.
    expect(p.aggregates.filter((a) => a.published).map((a) => a.key)).toEqual(['x', 'y', ORGANISATION]);
    expect(p.aggregates.at(-1)).toEqual({ key: ORGANISATION, published: true, n: 14, rollup: true });
  });

  it('withholds a republication that differs from an earlier one by 1 … k − 1', () => {
    const nodes = [{ key: 'a', parentKey: null, own: 6 }];
    const again = publishAggregates(nodes, policy, { previous: [{ a: 5 }] });
    expect(again.aggregates.find((a) => a.key === 'a')).toEqual({ key: 'a', published: false, reason: 'republication', rollup: false });
    expect(publishAggregates(nodes, policy, { previous: [{ a: 6 }] }).aggregates[0].published).toBe(true);
    expect(publishAggregates([{ key: 'a', parentKey: null, own: 10 }], policy, { previous: [{ a: 5 }] }).aggregates[0].published).toBe(true);
  });

  it('leaves no small group derivable in random hierarchies', () => {
    const random = seeded(3);
    for (let trial = 0; trial < 300; trial++) {
      const k = 3 + Math.floor(random() * 4);
      const nodes: AggregateNode[] = [];
      const count = 2 + Math.floor(random() * 9);
      for (let i = 0; i < count; i++) {
        const parentKey = i === 0 || random() < 0.2 ? null : `u${Math.floor(random() * i)}`;
        nodes.push({ key: `u${i}`, parentKey, own: random() < 0.3 ? 0 : Math.floor(random() * 9) });
      }
      const p = publishAggregates(nodes, publicationPolicy(k));
      expect(leaks(nodes, p, k), `trial ${trial}: ${JSON.stringify(nodes)} k=${k}`).toEqual([]);
      for (const a of p.aggregates) if (a.published) expect(a.n).toBeGreaterThanOrEqual(k);
    }
  });

  it('refuses a cyclic hierarchy and the reserved key with one sentence', () => {
    expect(() => publishAggregates([{ key: 'a', parentKey: 'b', own: 1 }, { key: 'b', parentKey: 'a', own: 1 }], policy)).toThrow(/own ancestor/);
    expect(() => publishAggregates([{ key: ORGANISATION, parentKey: null, own: 1 }], policy)).toThrow(/reserved/);
  });
});
