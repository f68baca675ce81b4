import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seici } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'seici-reliability-'));
writeFileSync(join(dir, 'letters.csv'), 'a,b,c\n1,2,3\n2,x,4\n3,4,5\n');
writeFileSync(join(dir, 'ok.csv'), 'a,b,c,d\n1,2,3,1\n2,3,4,1\n3,4,5,1\n4,4,4,1\n5,2,1,1\n,3,2,1\n');
writeFileSync(join(dir, 'apart.csv'), 'a,b\n1,\n2,\n,3\n,4\n');

/** Runs seici in the scratch folder and asserts exit 2, one stderr line, nothing on stdout. */
function inputError(args: string[]): string {
  const r = seici(['reliability', ...args, '--json'], dir);
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  return lines[0];
}

describe('seici reliability: bad input exits 2 with one clear line', () => {
  it('a CSV file that does not exist', () => {
    expect(inputError(['--csv', 'nosuch.csv', '--items', 'a,b'])).toMatch(/--csv nosuch\.csv: no such file/);
  });

  it('a letter in an item column, naming its row and column', () => {
    const line = inputError(['--csv', 'letters.csv', '--items', 'a,b,c']);
    expect(line).toMatch(/row 2/);
    expect(line).toMatch(/column b/);
    expect(line).toMatch(/"x" is not a number/);
  });

  it('one item only', () => {
    expect(inputError(['--csv', 'ok.csv', '--items', 'a'])).toMatch(/--items must name at least 2 columns; got 1/);
  });

  it('an item that is not a column', () => {
    expect(inputError(['--csv', 'ok.csv', '--items', 'a,zz'])).toMatch(/--items names column "zz"/);
  });

  it('an item named twice', () => {
    expect(inputError(['--csv', 'ok.csv', '--items', 'a,b,a'])).toMatch(/--items names "a" twice/);
  });

  it('--reverse naming a column that is not among --items', () => {
    expect(inputError(['--csv', 'ok.csv', '--items', 'a,b', '--reverse', 'c'])).toMatch(/--reverse names "c", which is not one of --items/);
  });

  it('--scale-max not above --scale-min', () => {
    expect(inputError(['--csv', 'ok.csv', '--items', 'a,b', '--scale-min', '5', '--scale-max', '1'])).toMatch(/--scale-max \(1\) must be larger than --scale-min \(5\)/);
  });

  it('an answer outside the stated scale, naming row and column', () => {
    expect(inputError(['--csv', 'ok.csv', '--items', 'a,b', '--scale-min', '1', '--scale-max', '4'])).toMatch(/row 5, column a: 5 is above the scale maximum \(4\)/);
  });

  it('a scale bound that is not a number', () => {
    expect(inputError(['--csv', 'ok.csv', '--items', 'a,b', '--scale-min', 'one'])).toMatch(/--scale-min must be a number/);
  });

  it('an unknown --missing', () => {
    expect(inputError(['--csv', 'ok.csv', '--items', 'a,b', '--missing', 'mean'])).toMatch(/--missing must be one of listwise, pairwise/);
  });

  it('an item without variance', () => {
    expect(inputError(['--csv', 'ok.csv', '--items', 'a,d'])).toMatch(/item d has no variance/);
  });

  it('listwise: items never answered together', () => {
    expect(inputError(['--csv', 'apart.csv', '--items', 'a,b'])).toMatch(/only 0 rows answer every item/);
  });

  it('pairwise: items never answered together', () => {
    expect(inputError(['--csv', 'apart.csv', '--items', 'a,b', '--missing', 'pairwise'])).toMatch(/items a and b are answered together in only 0 rows/);
  });

  it('a negative or fractional --bootstrap', () => {
    expect(inputError(['--csv', 'ok.csv', '--items', 'a,b,c', '--bootstrap', '-5'])).toMatch(/--bootstrap must be between 0 and 100000/);
    expect(inputError(['--csv', 'ok.csv', '--items', 'a,b,c', '--bootstrap', '2.5'])).toMatch(/--bootstrap must be a whole number/);
  });

  it('a --level outside (0.5, 0.999)', () => {
    expect(inputError(['--csv', 'ok.csv', '--items', 'a,b,c', '--level', '95'])).toMatch(/--level must be between 0.5 and 0.999/);
  });

  it('a missing --items', () => {
    expect(inputError(['--csv', 'ok.csv'])).toMatch(/--items/);
  });
});

describe('seici reliability: what it reads', () => {
  it('ignores a letter in a column that is not an item', () => {
    const r = seici(['reliability', '--csv', 'letters.csv', '--items', 'a,c', '--json'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.n).toBe(3);
  });

  it('pairwise reports no listwise n and no omega, but every item\'s own n', () => {
    const r = seici(['reliability', '--csv', 'ok.csv', '--items', 'a,b,c', '--missing', 'pairwise', '--json'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.n).toBeUndefined();
    expect(r.json.omegaTotal).toBeUndefined();
    expect(r.json.nRows).toBe(6);
    expect(r.json.items.map((s: { n: number }) => s.n)).toEqual([5, 6, 6]);
  });

  it('listwise drops the row with a missing answer', () => {
    const r = seici(['reliability', '--csv', 'ok.csv', '--items', 'a,b,c', '--json'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.n).toBe(5);
    expect(r.json.items.map((s: { n: number }) => s.n)).toEqual([5, 5, 5]);
  });

  it('two items: alpha, but no alpha if dropped and no omega (not identified), with a note', () => {
    const r = seici(['reliability', '--csv', 'ok.csv', '--items', 'a,b', '--json'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.nItems).toBe(2);
    expect(typeof r.json.alpha).toBe('number');
    expect(r.json.items.map((s: { alphaIfDropped: unknown }) => s.alphaIfDropped)).toEqual([null, null]);
    expect(r.json.omegaTotal).toBeUndefined();
    expect(r.json.diagnostics.warnings.join(' ')).toMatch(/omega total needs at least 3 items/);
  });

  it('the omega bootstrap interval is the same for the same seed and follows --bootstrap and --seed', () => {
    const args = ['reliability', '--csv', 'hs1939.csv', '--items', 'x1,x2,x3', '--json', '--bootstrap', '200'];
    const a = seici([...args, '--seed', '9']);
    const b = seici([...args, '--seed', '9']);
    const c = seici([...args, '--seed', '10']);
    expect(a.status, a.stderr).toBe(0);
    expect(a.json.omegaTotalCi).toEqual(b.json.omegaTotalCi);
    expect(a.json.omegaTotalCi.replicates).toBe(200);
    expect(a.json.omegaTotalCi.seed).toBe(9);
    expect(c.json.omegaTotalCi.lower).not.toBe(a.json.omegaTotalCi.lower);
    expect(a.json.omegaTotalCi.lower).toBeLessThan(a.json.omegaTotal);
    expect(a.json.omegaTotalCi.upper).toBeGreaterThan(a.json.omegaTotal);
    const none = seici(['reliability', '--csv', 'hs1939.csv', '--items', 'x1,x2,x3', '--json', '--bootstrap', '0']);
    expect(none.json.omegaTotalCi).toBeUndefined();
    expect(typeof none.json.omegaTotal).toBe('number');
  });
});
