/**
 * The NaN/null boundary, crossed here and nowhere else. Inside the analysis library a value that
 * cannot be computed (too few answers, a singular matrix, an undefined ratio) is NaN or ±∞, so
 * arithmetic stays total; anything published, stored or sent as JSON carries null instead,
 * because JSON has no NaN and a reader must see "not available", never a number. Publications
 * convert their values with {@link finiteOrNull}; whatever leaves the server as JSON (stored
 * runs, API answers) passes {@link finiteJsonReplacer}.
 */

/** x when it is a finite number, else null. */
export function finiteOrNull(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** A JSON.stringify replacer that writes every non-finite number as null. */
export function finiteJsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
