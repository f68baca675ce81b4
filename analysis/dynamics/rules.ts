import { InputError } from '../errors.js';
import { isCell, type Cell } from '../sei_model.js';

/** The ten breakpoint signals of shared/CONTRACT.md `breakpoints`, in its order. */
export const SIGNALS = [
  'decisionLatency',
  'approvalsPerDecision',
  'parallelArtifacts',
  'reworkRate',
  'revisitsWithoutOwner',
  'escalationLoops',
  'openPriorityDays',
  'respecifications',
  'reopenRate',
  'rcDrop',
] as const;
export type SignalName = (typeof SIGNALS)[number];

/**
 * When a period's value counts as over:
 * - `relative`: value ≥ factor × the unit's baseline (the median over its first
 *   `baselinePeriods` periods with a value);
 * - `absolute`: value ≥ level, or value > level when `strict`.
 */
export type Threshold =
  | { readonly kind: 'relative'; readonly factor: number }
  | { readonly kind: 'absolute'; readonly level: number; readonly strict: boolean };

/** One signal's rule: its threshold and the SEI cells a breakpoint on it implicates. */
export interface SignalRule {
  readonly threshold: Threshold;
  readonly cells: readonly Cell[];
}

/**
 * A complete, versioned set of breakpoint rules. A server pre-registers (locks) one version
 * when a wave opens and records `version` on every breakpoint it finds; a changed rule is a
 * new version, never an edit of a locked one.
 */
export interface BreakpointRuleSet {
  /** Names this exact set of rules (`seici-default-1`). */
  readonly version: string;
  /** How many of a unit's first periods with a value make its baseline (median). */
  readonly baselinePeriods: number;
  /** How many consecutive over periods make a breakpoint. */
  readonly persistence: number;
  /** `reworkRate`: how many days after a close a `rework` still counts (30). */
  readonly reworkWindowDays: number;
  /** `reopenRate`: the fewest closes a period needs to have a value (5). */
  readonly reopenMinClosed: number;
  readonly signals: { readonly [S in SignalName]: SignalRule };
}

/**
 * The default rules: shared/CONTRACT.md `breakpoints` thresholds, 4 baseline periods,
 * persistence 4, and the cells of shared/DESIGN.md's breakpoint table.
 */
export const DEFAULT_RULES: BreakpointRuleSet = deepFreeze({
  version: 'seici-default-1',
  baselinePeriods: 4,
  persistence: 4,
  reworkWindowDays: 30,
  reopenMinClosed: 5,
  signals: {
    decisionLatency: { threshold: { kind: 'relative', factor: 1.3 }, cells: ['SxA', 'SxV'] },
    approvalsPerDecision: { threshold: { kind: 'relative', factor: 1.25 }, cells: ['SxA', 'SxV'] },
    parallelArtifacts: { threshold: { kind: 'absolute', level: 3, strict: false }, cells: ['TxA', 'TxV'] },
    reworkRate: { threshold: { kind: 'absolute', level: 0.2, strict: false }, cells: ['TxA', 'TxV'] },
    revisitsWithoutOwner: { threshold: { kind: 'absolute', level: 3, strict: false }, cells: ['RxC', 'RxA'] },
    escalationLoops: { threshold: { kind: 'absolute', level: 3, strict: false }, cells: ['SxA', 'SxC'] },
    openPriorityDays: { threshold: { kind: 'absolute', level: 10, strict: true }, cells: ['SxA', 'SxC'] },
    respecifications: { threshold: { kind: 'absolute', level: 2, strict: false }, cells: ['TxC', 'TxV'] },
    reopenRate: { threshold: { kind: 'absolute', level: 0.2, strict: false }, cells: ['TxC', 'TxV'] },
    rcDrop: { threshold: { kind: 'absolute', level: 0.5, strict: false }, cells: ['RxC', 'RxA'] },
  },
} satisfies BreakpointRuleSet);

/**
 * A rule set with some of its scalar settings changed (from command-line flags). When
 * anything differs, the version becomes `<version>+name=value,…` so that a breakpoint
 * found under changed rules never carries the unchanged version's name.
 */
export function withRuleOverrides(
  rules: BreakpointRuleSet,
  overrides: Partial<Pick<BreakpointRuleSet, 'baselinePeriods' | 'persistence' | 'reworkWindowDays' | 'reopenMinClosed'>>,
): BreakpointRuleSet {
  const changed: string[] = [];
  const next: Record<string, unknown> = { ...rules };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined || value === (rules as unknown as Record<string, unknown>)[name]) continue;
    next[name] = value;
    changed.push(`${name}=${value}`);
  }
  if (changed.length === 0) return rules;
  next.version = `${rules.version}+${changed.join(',')}`;
  return validateRuleSet(next);
}

/**
 * Checks a rule set read from JSON (for example a rules file or a stored, locked version)
 * and returns it frozen. Every problem is an InputError naming the field's path
 * (`rules.signals.reopenRate.threshold.level must be a number ≥ 0; got "x".`). Signals left
 * out take their default rule; an unknown signal name is an error.
 */
export function validateRuleSet(value: unknown, argument = 'rules'): BreakpointRuleSet {
  const o = object(value, argument, argument);
  const version = o.version;
  if (typeof version !== 'string' || version.trim() === '') {
    throw new InputError(argument, `${argument}.version must be a non-empty string.`);
  }
  const signalsIn = o.signals === undefined ? {} : object(o.signals, `${argument}.signals`, argument);
  for (const name of Object.keys(signalsIn)) {
    if (!(SIGNALS as readonly string[]).includes(name)) {
      throw new InputError(argument, `${argument}.signals has unknown signal "${name}"; expected one of ${SIGNALS.join(', ')}.`);
    }
  }
  const signals = {} as Record<SignalName, SignalRule>;
  for (const name of SIGNALS) {
    const raw = signalsIn[name];
    signals[name] = raw === undefined ? DEFAULT_RULES.signals[name] : signalRule(raw, `${argument}.signals.${name}`, argument);
  }
  return deepFreeze({
    version: version.trim(),
    baselinePeriods: count(o.baselinePeriods ?? DEFAULT_RULES.baselinePeriods, `${argument}.baselinePeriods`, argument),
    persistence: count(o.persistence ?? DEFAULT_RULES.persistence, `${argument}.persistence`, argument),
    reworkWindowDays: nonNegative(o.reworkWindowDays ?? DEFAULT_RULES.reworkWindowDays, `${argument}.reworkWindowDays`, argument),
    reopenMinClosed: count(o.reopenMinClosed ?? DEFAULT_RULES.reopenMinClosed, `${argument}.reopenMinClosed`, argument),
    signals,
  });
}

function signalRule(value: unknown, path: string, argument: string): SignalRule {
  const o = object(value, path, argument);
  const t = object(o.threshold, `${path}.threshold`, argument);
  let threshold: Threshold;
  if (t.kind === 'relative') {
    const factor = nonNegative(t.factor, `${path}.threshold.factor`, argument);
    if (factor <= 0) throw new InputError(argument, `${path}.threshold.factor must be above 0; got ${factor}.`);
    threshold = { kind: 'relative', factor };
  } else if (t.kind === 'absolute') {
    if (t.strict !== undefined && typeof t.strict !== 'boolean') {
      throw new InputError(argument, `${path}.threshold.strict must be true or false.`);
    }
    threshold = { kind: 'absolute', level: nonNegative(t.level, `${path}.threshold.level`, argument), strict: t.strict === true };
  } else {
    throw new InputError(argument, `${path}.threshold.kind must be "relative" or "absolute"; got ${JSON.stringify(t.kind)}.`);
  }
  if (!Array.isArray(o.cells) || o.cells.length === 0 || !o.cells.every((c) => typeof c === 'string' && isCell(c))) {
    throw new InputError(argument, `${path}.cells must be a non-empty list of cells such as ["SxA","SxV"].`);
  }
  return { threshold, cells: [...(o.cells as Cell[])] };
}

function object(value: unknown, path: string, argument: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(argument, `${path} must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

function nonNegative(value: unknown, path: string, argument: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InputError(argument, `${path} must be a number ≥ 0; got ${JSON.stringify(value)}.`);
  }
  return value;
}

function count(value: unknown, path: string, argument: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InputError(argument, `${path} must be a whole number ≥ 1; got ${JSON.stringify(value)}.`);
  }
  return value;
}

/**
 * The level a period's value must reach to be over, for a signal with this threshold and
 * this baseline (NaN for absolute thresholds, which need none): factor × baseline, or level.
 */
export function overLevel(threshold: Threshold, baseline: number): number {
  return threshold.kind === 'relative' ? threshold.factor * baseline : threshold.level;
}

/**
 * True when `value` is over `level` under this threshold (> for strict, ≥ otherwise).
 *
 * Decision: values within a relative 1e-9 of the level count as equal to it, so that decimal
 * inputs are not lost to binary rounding: an rc_score drop from 4.1 to 3.6 computes as
 * 0.49999999999999956 and a relative level 1.3 × 3 as 3.9000000000000004, yet both are
 * exactly at the level as written.
 */
export function isOver(threshold: Threshold, value: number, level: number): boolean {
  const eps = LEVEL_TOLERANCE * Math.max(1, Math.abs(level));
  return threshold.kind === 'absolute' && threshold.strict ? value > level + eps : value >= level - eps;
}

const LEVEL_TOLERANCE = 1e-9;

/**
 * A rule set's canonical text: keys in a fixed order, so that two rule sets are the same
 * rules exactly when their canonical texts are equal. A server locking a version stores it
 * (or a hash of it) to prove that the rules did not change after the wave opened.
 */
export function canonicalRuleSet(rules: BreakpointRuleSet): string {
  return JSON.stringify({
    version: rules.version,
    baselinePeriods: rules.baselinePeriods,
    persistence: rules.persistence,
    reworkWindowDays: rules.reworkWindowDays,
    reopenMinClosed: rules.reopenMinClosed,
    signals: SIGNALS.map((s) => {
      const { threshold: t, cells } = rules.signals[s];
      return [s, t.kind === 'relative' ? ['relative', t.factor] : ['absolute', t.level, t.strict], [...cells]];
    }),
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * A short fingerprint of a rule set: FNV-1a (64-bit) of its canonical text, as 16 hex
 * digits. It names a version's content (two versions with the same rules share it) and
 * catches accidental edits; it proves nothing against a deliberate one, since anyone can
 * recompute it. Pre-registration rests on the server's signed commitments instead
 * (server/prereg, issue 18).
 */
export function ruleSetFingerprint(rules: BreakpointRuleSet): string {
  const text = canonicalRuleSet(rules);
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * prime) & mask;
  }
  return hash.toString(16).padStart(16, '0');
}
