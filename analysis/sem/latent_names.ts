import { InputError } from '../errors.js';
import type { Statement } from './model_syntax.js';

/** The latent variables of a model: every name left of `=~`, in order of first appearance. */
export function latentVariables(statements: readonly Statement[]): string[] {
  const out: string[] = [];
  for (const s of statements) if (s.op === '=~') for (const v of s.lhs) if (!out.includes(v)) out.push(v);
  return out;
}

/**
 * Refuses a model whose latent variable is named like a column of the data: lavaan stops
 * with "some latent variable names collide with observed variable names" (lavaan 0.6.14,
 * lavaan()), because the column would silently be ignored and the factor estimated in its
 * place. `columns` are all the data's columns, not only those the model uses.
 */
export function assertLatentNamesFree(statements: readonly Statement[], columns: readonly string[], argument: string, source: string): void {
  const taken = new Set(columns);
  const clash = latentVariables(statements).filter((v) => taken.has(v));
  if (clash.length === 0) return;
  const names = clash.map((v) => `"${v}"`).join(', ');
  throw new InputError(
    argument,
    `${argument} names ${clash.length === 1 ? 'a latent variable' : 'latent variables'} ${names} like ${clash.length === 1 ? 'a column' : 'columns'} of ${source}; rename the latent variable (lavaan refuses this too).`,
  );
}
