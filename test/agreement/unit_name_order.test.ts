import { describe, expect, it } from 'vitest';
import { compareUnitNames } from '../../analysis/agreement/unit_name_order.js';
import { seededUniform } from '../../analysis/math/random.js';

/** ICU's collation for English with numeric ordering, then code units: what compareUnitNames promises. */
const icu = new Intl.Collator('en', { numeric: true });
const reference = (a: string, b: string) => Math.sign(icu.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));

function randomName(u: () => number, alphabet: string, maxLength: number): string {
  let s = '';
  const n = Math.floor(u() * (maxLength + 1));
  for (let k = 0; k < n; k++) s += alphabet[Math.floor(u() * alphabet.length)];
  return s;
}

describe('compareUnitNames orders unit names as ICU does (en, numeric), without ICU for letters and digits', () => {
  it('agrees with Intl.Collator on 200,000 random pairs of letters, digits and leading zeros', () => {
    const u = seededUniform(16);
    // few symbols, so that pairs often share a prefix, differ only in case or in leading zeros
    const alphabet = '000129aAbBzZ';
    const disagreements: string[] = [];
    for (let k = 0; k < 200_000; k++) {
      const a = randomName(u, alphabet, 6);
      const b = u() < 0.3 ? a.toUpperCase() : u() < 0.3 ? a.replace(/\d+/, (d) => `0${d}`) : randomName(u, alphabet, 6);
      if (Math.sign(compareUnitNames(a, b)) !== reference(a, b)) disagreements.push(`${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
  });

  it('agrees with Intl.Collator on names it hands to ICU: spaces, punctuation, accents, long numbers', () => {
    const u = seededUniform(17);
    const alphabet = '01aAbB -_.éÉ';
    for (let k = 0; k < 20_000; k++) {
      const a = randomName(u, alphabet, 5);
      const b = randomName(u, alphabet, 5);
      expect(Math.sign(compareUnitNames(a, b)), `${a} vs ${b}`).toBe(reference(a, b));
    }
    expect(Math.sign(compareUnitNames('1234567890123456789', '1234567890123456788'))).toBe(1);
  });

  it('sorts as a reader expects and never calls two different names equal', () => {
    const names = ['Unit10', 'unit2', 'Unit2', '1044B', '1044b', '10', '9', 'b', 'A', '02', '2', 'u 3'];
    expect([...names].sort(compareUnitNames)).toEqual(['02', '2', '9', '10', '1044b', '1044B', 'A', 'b', 'u 3', 'unit2', 'Unit2', 'Unit10']);
    for (const a of names) for (const b of names) if (a !== b) expect(compareUnitNames(a, b), `${a} vs ${b}`).not.toBe(0);
  });
});
