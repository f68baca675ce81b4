import { describe, expect, it } from 'vitest';
import { contractCase, seici } from '../helpers/cli.js';
import { CLOSED, OPTIMISER, expectNear } from './references.js';

// shared/CONTRACT.md `reliability`, with R's values from shared/oracle (copied to test/fixtures/cases).
const cases = [
  'bfi-reliability-A-listwise',
  'bfi-reliability-A-pairwise',
  'bfi-reliability-C-listwise',
  'hs1939-reliability-visual',
  'lq2002-reliability-LEAD',
];

describe('seici reliability matches the contract cases', () => {
  for (const name of cases) {
    it(name, () => {
      const { args, expected } = contractCase(name);
      const r = seici([...args, '--json']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const got = r.json;
      if ('n' in expected) expect(got.n).toBe(expected.n);
      else expect(got.n).toBeUndefined();
      expect(got.nItems).toBe(expected.nItems);
      for (const key of ['alpha', 'alphaStd', 'averageR'] as const) expectNear(got[key], expected[key], CLOSED, `${name} ${key}`);
      if ('omegaTotal' in expected) expectNear(got.omegaTotal, expected.omegaTotal, OPTIMISER, `${name} omegaTotal`);
      else expect(got.omegaTotal).toBeUndefined();
      expect(got.items.map((s: { item: string }) => s.item)).toEqual(expected.items.map((s: { item: string }) => s.item));
      for (const [j, want] of expected.items.entries()) {
        for (const key of ['mean', 'sd', 'rDrop', 'alphaIfDropped']) {
          expectNear(got.items[j][key], want[key], CLOSED, `${name} ${want.item} ${key}`);
        }
      }
    });
  }

  it('prints a readable table without --json', () => {
    const { args } = contractCase('hs1939-reliability-visual');
    const r = seici(args);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/alpha 0\.626/);
    expect(r.stdout).toMatch(/x1 .*0\.449/);
  });
});
