/**
 * The canonical JSON text of a value, the form every commitment is hashed and signed over
 * (in the spirit of RFC 8785, the JSON Canonicalization Scheme, 2020, doi:10.17487/RFC8785):
 *
 * - objects: members sorted by key (JavaScript's default string order, i.e. UTF-16 code
 *   units, as RFC 8785 §3.2.3 requires), members whose value is `undefined` are refused;
 * - no whitespace anywhere;
 * - numbers as JSON writes them (ECMAScript Number-to-String, which is RFC 8785's number
 *   form); NaN and the infinities are refused;
 * - strings, and object keys, in Unicode Normalization Form C (NFC) and then JSON-escaped,
 *   so that "é" typed as one code point or as "e" + combining accent hash alike (RFC 8785
 *   leaves strings unnormalised; this is the one deliberate difference);
 * - arrays keep their order; `true`, `false` and `null` as such.
 *
 * The same rules are written again in three lines of scripts/verify-receipt.mjs so that a third party can
 * check a receipt without seici; a change here is a change of the receipt format.
 */
export function canonicalJson(value: unknown, path = '$'): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path} must be a finite number to be committed; got ${value}.`);
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return JSON.stringify(value.normalize('NFC'));
  if (Array.isArray(value)) return `[${value.map((v, i) => canonicalJson(v, `${path}[${i}]`)).join(',')}]`;
  if (typeof value === 'object') {
    const members = new Map<string, unknown>();
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) throw new TypeError(`${path}.${k} is undefined; a committed value must be JSON.`);
      const key = k.normalize('NFC');
      if (members.has(key)) throw new TypeError(`${path} has two keys that are equal once normalised ("${key}").`);
      members.set(key, v);
    }
    const keys = [...members.keys()].sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(members.get(k), `${path}.${k}`)}`).join(',')}}`;
  }
  throw new TypeError(`${path} is a ${typeof value}; a committed value must be JSON.`);
}
