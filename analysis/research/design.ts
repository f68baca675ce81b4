import { InputError } from '../errors.js';

/**
 * The design matrix of a linear model written as R writes its terms: an intercept
 * `(Intercept)`, then each predictor in order, where `a` is a column, `a:b` the product of two
 * columns and `a^2` a column's square. Variables named in `centre` are mean-centred before the
 * products are formed (Aiken & West, 1991, Multiple Regression: Testing and Interpreting
 * Interactions), over the rows given, optionally weighted by frequency weights (a bootstrap
 * resample given as counts).
 */
export interface LinearModel {
  readonly outcome: string;
  readonly predictors: readonly string[];
  /** Variables centred at their mean before products and squares are formed. */
  readonly centre?: readonly string[];
}

export type Columns = Readonly<Record<string, ArrayLike<number>>>;

export const INTERCEPT = '(Intercept)';

/** The variables a model uses: its outcome and the factors of its terms. */
export function modelVariables(model: LinearModel): string[] {
  const out = [model.outcome];
  for (const term of model.predictors) for (const v of termFactors(term)) if (!out.includes(v)) out.push(v);
  return out;
}

/** The columns a term multiplies: `a:b` → [a, b], `a^2` → [a, a], `a` → [a]. */
export function termFactors(term: string): string[] {
  const square = /^(.+)\^2$/.exec(term);
  if (square) return [square[1], square[1]];
  return term.split(':');
}

/** R's formula spelling of a model, `y ~ a + b + a:b`. */
export function formula(model: LinearModel): string {
  return `${model.outcome} ~ ${model.predictors.join(' + ')}`;
}

/** The (weighted) means of the variables to centre. */
export function centringMeans(data: Columns, model: LinearModel, weights?: ArrayLike<number>): Map<string, number> {
  const means = new Map<string, number>();
  for (const v of model.centre ?? []) {
    const x = column(data, v);
    let s = 0;
    let w = 0;
    for (let i = 0; i < x.length; i++) {
      const wi = weights ? weights[i] : 1;
      s += wi * x[i];
      w += wi;
    }
    means.set(v, s / w);
  }
  return means;
}

/** The design columns (intercept first) and their names for `model` over all rows of `data`. */
export function designColumns(data: Columns, model: LinearModel, means: Map<string, number> = centringMeans(data, model)): {
  names: string[];
  columns: Float64Array[];
  y: Float64Array;
} {
  const y = Float64Array.from(column(data, model.outcome));
  const n = y.length;
  const value = (v: string) => {
    const x = column(data, v);
    const m = means.get(v) ?? 0;
    return m === 0 ? Float64Array.from(x) : Float64Array.from(x, (xi) => xi - m);
  };
  const cache = new Map<string, Float64Array>();
  const get = (v: string) => {
    let c = cache.get(v);
    if (!c) cache.set(v, (c = value(v)));
    return c;
  };
  const columns = [new Float64Array(n).fill(1)];
  for (const term of model.predictors) {
    const factors = termFactors(term);
    const c = Float64Array.from(get(factors[0]));
    for (const f of factors.slice(1)) {
      const x = get(f);
      for (let i = 0; i < n; i++) c[i] *= x[i];
    }
    columns.push(c);
  }
  return { names: [INTERCEPT, ...model.predictors], columns, y };
}

function column(data: Columns, name: string): ArrayLike<number> {
  const x = data[name];
  if (x === undefined) throw new InputError(name, `the data have no column "${name}".`);
  return x;
}
