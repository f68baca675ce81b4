import { InputError } from '../../errors.js';
import type { Statement } from '../model_syntax.js';
import { buildParameterTable, exogenousObserved, type ParameterRow, type ParameterTable } from '../parameter_table.js';
import type { LevelBlocks } from './level_blocks.js';

/** The parameter tables of a two-level model, one per level, numbered as one parameter vector. */
export interface TwoLevelTable {
  /** Index 0: level 1 (within), index 1: level 2 (between). */
  readonly levels: readonly [ParameterTable, ParameterTable];
  readonly nFree: number;
  /** Observed variables of level 1 that do not appear at level 2. */
  readonly withinOnly: readonly string[];
  /** Observed variables of level 2 that do not appear at level 1. */
  readonly betweenOnly: readonly string[];
  /** Observed variables of both levels. */
  readonly both: readonly string[];
}

/**
 * Builds lavaan's parameter table of a two-level model (lavaan 0.6.14, `lavaanify` with
 * blocks per level): each level gets the single-level defaults of buildParameterTable with
 * a mean structure; at level 1 the intercepts of variables that also appear at level 2 are
 * fixed to 0 (their mean lives at level 2), intercepts of within-only variables stay free;
 * latent means are fixed to 0 at both levels; `stdLv` fixes latent variances to 1 instead of
 * first loadings, at both levels. Labels are shared across levels, so
 * `a*y1` at both levels is one parameter (equal loadings across levels). Free parameters are
 * numbered level 1 first, then level 2. Only unit-to-unit random intercepts are modelled (no
 * random slopes), and a variable may be an exogenous covariate only at a level where it is
 * not also an indicator at the other level.
 */
export function buildTwoLevelTable(blocks: LevelBlocks, { stdLv = false } = {}): TwoLevelTable {
  const t1 = levelTable(blocks.within, 1, stdLv);
  const t2 = levelTable(blocks.between, 2, stdLv);
  for (const f of t1.latent) {
    if (t2.latent.includes(f)) throw new InputError('model', `model: latent variable ${f} appears at both levels; give each level its own latent variables (e.g. ${f}_w and ${f}_b).`);
  }
  for (const f of [...t1.latent, ...t2.latent]) {
    if (t1.observed.includes(f) || t2.observed.includes(f)) throw new InputError('model', `model: ${f} is a latent variable at one level and an observed variable at the other.`);
  }
  const both = t1.observed.filter((v) => t2.observed.includes(v));
  const withinOnly = t1.observed.filter((v) => !t2.observed.includes(v));
  const betweenOnly = t2.observed.filter((v) => !t1.observed.includes(v));
  for (const [t, level] of [
    [t1, 1],
    [t2, 2],
  ] as const) {
    for (const x of exogenousObserved(t)) {
      if (both.includes(x)) {
        throw new InputError('model', `model: ${x} is a covariate at level ${level} and also appears at level ${3 - level}; a covariate may appear at one level only.`);
      }
    }
  }
  // level 1: intercepts of variables shared with level 2 are fixed to 0 (unless the user wrote one)
  const rows1 = t1.rows.map((r) => (r.op === '~1' && both.includes(r.lhs) && !r.user ? { ...r, free: 0, value: 0 } : { ...r }));
  const rows2 = t2.rows.map((r) => ({ ...r }));
  // one numbering across levels; equal labels are one parameter
  let nFree = 0;
  const byLabel = new Map<string, number>();
  const byOldIndex = [new Map<number, number>(), new Map<number, number>()];
  [rows1, rows2].forEach((rows, level) => {
    for (const r of rows as ParameterRow[]) {
      if (r.free <= 0) continue;
      const userLabel = r.label !== '' && !r.label.startsWith('.');
      const known = userLabel ? byLabel.get(r.label) : byOldIndex[level].get(r.free);
      if (known !== undefined) {
        byOldIndex[level].set(r.free, known);
        r.free = known;
        continue;
      }
      const idx = ++nFree;
      byOldIndex[level].set(r.free, idx);
      if (userLabel) byLabel.set(r.label, idx);
      r.free = idx;
    }
  });
  const levels: [ParameterTable, ParameterTable] = [
    { ...t1, rows: rows1, nFree },
    { ...t2, rows: rows2, nFree },
  ];
  return { levels, nFree, withinOnly, betweenOnly, both };
}

function levelTable(statements: readonly Statement[], level: number, stdLv: boolean): ParameterTable {
  for (const s of statements) {
    if (s.op === ':=' || s.op === '==') {
      throw new InputError('model', `model line ${s.line}: "${s.op}" is not supported in two-level models; use a shared label for equal parameters.`);
    }
    for (const t of s.rhs) {
      if (t.modifiers.length > 1) throw new InputError('model', `model line ${s.line}: c(...) modifiers are for groups; a two-level model has one group.`);
    }
  }
  try {
    return buildParameterTable(statements, { meanstructure: true, stdLv });
  } catch (err) {
    if (err instanceof InputError) throw new InputError(err.argument, `level ${level}: ${err.message}`);
    throw err;
  }
}
