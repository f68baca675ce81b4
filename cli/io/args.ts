import { InputError } from '../../analysis/errors.js';

/** Splits a comma-separated list flag (`--items A,B,C`) into trimmed, unique names. */
export function parseList(value: string | undefined, flag: string, { min = 1 } = {}): string[] {
  const names = (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length < min) {
    throw new InputError(flag, `${flag} must name at least ${min} column${min === 1 ? '' : 's'}; got ${names.length}.`);
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new InputError(flag, `${flag} names "${n}" twice.`);
    seen.add(n);
  }
  return names;
}

/** Parses a number flag, with optional integer and range checks. */
export function parseNumber(
  value: string | undefined,
  flag: string,
  { integer = false, min = -Infinity, max = Infinity } = {},
): number {
  const v = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(v)) {
    throw new InputError(flag, `${flag} must be a number; got "${value ?? ''}".`);
  }
  if (integer && !Number.isInteger(v)) throw new InputError(flag, `${flag} must be a whole number; got ${value}.`);
  if (v < min || v > max) {
    const range = max === Infinity ? `at least ${min}` : min === -Infinity ? `at most ${max}` : `between ${min} and ${max}`;
    throw new InputError(flag, `${flag} must be ${range}; got ${value}.`);
  }
  return v;
}

/** Checks that a flag's value is one of `choices`. */
export function parseChoice<T extends string>(value: string | undefined, flag: string, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new InputError(flag, `${flag} must be one of ${choices.join(', ')}; got "${value}".`);
  }
  return value as T;
}
