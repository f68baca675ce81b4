import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../server/prereg/canonical_json.js';
import { preregistrationSentence, ruleDifferences } from '../../server/prereg/rule_commitment.js';

describe('canonical JSON', () => {
  it('sorts keys at every depth, keeps array order and writes no whitespace', () => {
    expect(canonicalJson({ b: [3, { z: 1, a: null }], a: true, c: 'x' })).toBe('{"a":true,"b":[3,{"a":null,"z":1}],"c":"x"}');
  });

  it('writes numbers as JSON does (RFC 8785 number form)', () => {
    expect(canonicalJson([1, 1.5, 0.1 + 0.2, 1e21, -0, 1e-7, 100])).toBe('[1,1.5,0.30000000000000004,1e+21,0,1e-7,100]');
  });

  it('normalises strings and keys to NFC, so composed and decomposed accents hash alike', () => {
    expect(canonicalJson({ 'Cafe\u0301': 'e\u0301' })).toBe(canonicalJson({ 'Caf\u00e9': '\u00e9' }));
    expect(canonicalJson('e\u0301')).toBe('"\u00e9"');
    expect(() => canonicalJson({ 'Cafe\u0301': 1, 'Caf\u00e9': 2 })).toThrow(/two keys that are equal once normalised/);
  });

  it('orders keys by UTF-16 code units, as RFC 8785 does', () => {
    expect(canonicalJson({ '\u20ac': 1, '\r': 2, '1': 3, '\ud83d\ude00': 4, '\u0080': 5, '\u00f6': 6 })).toBe('{"\\r":2,"1":3,"\u0080":5,"\u00f6":6,"\u20ac":1,"\ud83d\ude00":4}');
  });

  it('refuses what JSON cannot carry, naming the member', () => {
    expect(() => canonicalJson({ a: { b: Number.NaN } })).toThrow('$.a.b must be a finite number to be committed; got NaN.');
    expect(() => canonicalJson({ a: undefined })).toThrow(/\$\.a is undefined/);
    expect(() => canonicalJson([() => 1])).toThrow(/\$\[0\] is a function/);
  });
});

describe('rule differences and the report sentence', () => {
  it('lists every member that differs, committed → used', () => {
    expect(ruleDifferences({ persistence: 4, signals: { a: { level: 0.3 } } }, { persistence: 4, signals: { a: { level: 0.5 } }, extra: 1 })).toEqual(['extra (absent) → 1', 'signals.a.level 0.3 → 0.5']);
    expect(ruleDifferences({ x: [1, 2] }, { x: [1, 2] })).toEqual([]);
  });

  const commitment = { seq: 3, hash: 'ab'.repeat(32), title: 'T', committedAt: '2026-06-01T09:00:00.000Z', ruleVersion: 'v1', verified: true, problem: null };
  it('says which commitment was followed, or plainly that there is none, that it does not verify, or how the analysis deviated', () => {
    expect(preregistrationSentence({ version: 'v1', lockedBy: null, commitment, deviation: null, preregistered: true })).toBe('Pre-registered: the analysis followed commitment 3 (SHA-256 abababababababab…, committed 2026-06-01), rule version v1.');
    expect(preregistrationSentence({ version: 'v2', lockedBy: null, commitment, deviation: 'The analysis used rule version v2.', preregistered: false })).toBe('Deviation from commitment 3 (SHA-256 abababababababab…, committed 2026-06-01): The analysis used rule version v2.');
    expect(preregistrationSentence({ version: 'v1', lockedBy: null, commitment: { ...commitment, verified: false, problem: 'entry 1 is broken' }, deviation: null, preregistered: false })).toMatch(/^Not pre-registered: commitment 3 .* does not verify \(entry 1 is broken\)\.$/);
    expect(preregistrationSentence({ version: 'v1', lockedBy: { waveName: 'June' }, commitment: null, deviation: null, preregistered: false })).toBe('Not pre-registered: the rules were locked when "June" opened, but no signed commitment names them.');
  });
});
