import { InputError } from '../errors.js';
import { expressionLabels, type Expression, type Modifier, type Statement } from './model_syntax.js';

/** A parameter's operator, as in lavaan's parameter table. */
export type ParameterOp = '=~' | '~' | '~~' | '~1';

/** Which kinds of parameters `groupEqual` constrains to be equal across groups (lavaan's group.equal). */
export type GroupEqual =
  | 'loadings'
  | 'intercepts'
  | 'means'
  | 'residuals'
  | 'residual.covariances'
  | 'lv.variances'
  | 'lv.covariances'
  | 'regressions';

/** One row of the parameter table: a model parameter in one group. */
export interface ParameterRow {
  readonly lhs: string;
  readonly op: ParameterOp;
  readonly rhs: string;
  /** 0-based group index. */
  readonly group: number;
  /** 0 for a fixed parameter, else the 1-based index of its free parameter (shared by equal labels). */
  free: number;
  /** The fixed value of a fixed parameter; NaN until start values are set for a free one. */
  value: number;
  /** A user start value, NaN when none. */
  readonly start: number;
  /** The user's label or an internal equality label (starting with "."), "" when none. */
  label: string;
  /** True when the row was written in the model rather than added by a default. */
  readonly user: boolean;
  /** True for variances, covariances and means of exogenous observed covariates (fixed.x). */
  readonly exo: boolean;
}

/** The parameter table of a model: rows plus the variable lists the estimator needs. */
export interface ParameterTable {
  readonly rows: readonly ParameterRow[];
  /** Observed variables in order of first appearance in the model. */
  readonly observed: readonly string[];
  /** Latent variables (left of `=~`) in order of appearance. */
  readonly latent: readonly string[];
  readonly groups: number;
  readonly nFree: number;
  readonly meanstructure: boolean;
  readonly stdLv: boolean;
  /** lavaan's fixed.x: exogenous observed covariates keep their sample moments (`exo` rows). */
  readonly fixedX: boolean;
  readonly groupEqual: readonly GroupEqual[];
  readonly groupPartial: readonly string[];
  /** Defined parameters (`name := expression`), their labels mapped to the table's labels. */
  readonly defined: readonly { readonly name: string; readonly expression: Expression; readonly text: string; readonly line: number }[];
}

export interface ParameterTableOptions {
  /** Number of groups (1 for a single-group model). */
  readonly groups?: number;
  /** Fix latent variances to 1 and free every loading (lavaan's std.lv). */
  readonly stdLv?: boolean;
  /** Estimate intercepts and latent means; forced on for several groups. */
  readonly meanstructure?: boolean;
  readonly groupEqual?: readonly GroupEqual[];
  /** Parameters written as `lhs op rhs` (e.g. `x3~1`, `visual=~x2`) exempt from groupEqual. */
  readonly groupPartial?: readonly string[];
  /**
   * Fix the variances, covariances and means of exogenous observed covariates at their sample
   * values (lavaan's fixed.x, default true); false estimates them as free parameters.
   */
  readonly fixedX?: boolean;
}

interface Draft {
  lhs: string;
  op: ParameterOp;
  rhs: string;
  mods: readonly Modifier[];
  user: boolean;
  line: number;
}

/**
 * Builds lavaan's parameter table from parsed model statements with the defaults that
 * lavaan::cfa() and lavaan::sem() apply (lavaan 0.6.14, `lavaanify` with auto.var,
 * auto.fix.first, auto.cov.lv.x, auto.cov.y, fixed.x): the first loading of each factor
 * fixed to 1 (or, with stdLv, latent variances fixed to 1); residual variances of observed
 * and latent variables free; covariances free among exogenous latent variables and among
 * pure outcome variables; in a mean structure, observed intercepts free and latent means
 * fixed to 0; `groupEqual` constraints as equal labels across groups, with latent means
 * freed outside the first group once intercepts are equal (Rosseel, 2012,
 * doi:10.18637/jss.v048.i02).
 */
export function buildParameterTable(allStatements: readonly Statement[], options: ParameterTableOptions = {}): ParameterTable {
  let statements = allStatements;
  const G = options.groups ?? 1;
  const stdLv = options.stdLv ?? false;
  const groupEqual = options.groupEqual ?? [];
  const groupPartial = (options.groupPartial ?? []).map((s) => s.replace(/\s+/g, ''));
  const equalities = statements.filter((s) => s.op === '==');
  const definitions = statements.filter((s) => s.op === ':=');
  statements = statements.filter((s) => s.op !== '==' && s.op !== ':=');
  if (statements.length === 0) throw new InputError('model', 'model has no formulas.');

  const latent: string[] = [];
  for (const s of statements) {
    if (s.op !== '=~') continue;
    if (s.lhs.length !== 1) throw new InputError('model', `model line ${s.line}: "=~" takes one latent variable on its left.`);
    if (!latent.includes(s.lhs[0])) latent.push(s.lhs[0]);
  }
  const isLatent = (v: string) => latent.includes(v);
  const observed: string[] = [];
  const noteObserved = (v: string) => {
    if (v !== '1' && !isLatent(v) && !observed.includes(v)) observed.push(v);
  };
  for (const s of statements) {
    if (s.op === '=~') s.rhs.forEach((t) => noteObserved(t.name));
  }
  for (const s of statements) {
    s.lhs.forEach(noteObserved);
    s.rhs.forEach((t) => noteObserved(t.name));
  }

  // user rows, expanding `a + b ~ x`
  const drafts: Draft[] = [];
  for (const s of statements) {
    for (const lhs of s.lhs) {
      for (const t of s.rhs) {
        for (const m of t.modifiers) {
          if (m.label !== undefined && m.label.startsWith('.')) {
            throw new InputError('model', `model line ${s.line}: labels may not start with "." ("${m.label}").`);
          }
        }
        if (t.modifiers.length !== 1 && t.modifiers.length !== G) {
          throw new InputError(
            'model',
            `model line ${s.line}: c(...) on "${t.name}" has ${t.modifiers.length} entries but the model has ${G} group${G === 1 ? '' : 's'}.`,
          );
        }
        if (s.op === '~1') {
          drafts.push({ lhs, op: '~1', rhs: '', mods: t.modifiers, user: true, line: s.line });
          continue;
        }
        if (s.op === '=~' && t.name === lhs) throw new InputError('model', `model line ${s.line}: ${lhs} cannot measure itself.`);
        if (s.op === '~' && t.name === lhs) throw new InputError('model', `model line ${s.line}: ${lhs} cannot be regressed on itself.`);
        let [a, b] = [lhs, t.name];
        if (s.op === '~~') {
          // one row per unordered pair, in the order first written
          const dup = drafts.find((d) => d.op === '~~' && d.lhs === b && d.rhs === a);
          if (dup) [a, b] = [b, a];
        }
        const same = drafts.find((d) => d.op === s.op && d.lhs === a && d.rhs === b);
        if (same) {
          throw new InputError('model', `model line ${s.line}: "${a} ${s.op} ${b}" is already specified on line ${same.line}.`);
        }
        drafts.push({ lhs: a, op: s.op as ParameterOp, rhs: b, mods: t.modifiers, user: true, line: s.line });
      }
    }
  }
  for (const f of latent) {
    if (!drafts.some((d) => d.op === '=~' && d.lhs === f)) throw new InputError('model', `model: latent variable ${f} has no indicators.`);
  }

  const regressions = drafts.filter((d) => d.op === '~');
  const isOutcome = (v: string) => regressions.some((d) => d.lhs === v);
  const isPredictor = (v: string) => regressions.some((d) => d.rhs === v);
  const isIndicator = (v: string) => drafts.some((d) => d.op === '=~' && d.rhs === v);
  // exogenous observed covariates: in a regression, only ever as a predictor, and never named by
  // the user in a variance, covariance or intercept (lavaan's ov.x drops those: they are random)
  const userMoments = namedInUserMoments(drafts);
  const covariates = observed.filter((v) => isPredictor(v) && !isOutcome(v) && !isIndicator(v) && !userMoments.has(v));
  // with fixed.x their moments are fixed (`exo` rows); without, they are free like any other
  const exoObserved = options.fixedX === false ? [] : covariates;
  const has = (lhs: string, op: ParameterOp, rhs: string) =>
    drafts.some((d) => d.op === op && ((d.lhs === lhs && d.rhs === rhs) || (op === '~~' && d.lhs === rhs && d.rhs === lhs)));

  const auto = (lhs: string, op: ParameterOp, rhs: string, mod: Modifier) =>
    drafts.push({ lhs, op, rhs, mods: [mod], user: false, line: 0 });

  // residual variances of observed variables, then latent variances
  for (const v of observed) if (!has(v, '~~', v)) auto(v, '~~', v, exoObserved.includes(v) ? { fixed: NaN } : {});
  for (const f of latent) if (!has(f, '~~', f)) auto(f, '~~', f, stdLv ? { fixed: 1 } : {});
  // covariances among exogenous latent variables
  const exoLatent = latent.filter((f) => !isOutcome(f) && !isIndicator(f));
  for (let i = 0; i < exoLatent.length; i++)
    for (let j = i + 1; j < exoLatent.length; j++)
      if (!has(exoLatent[i], '~~', exoLatent[j])) auto(exoLatent[i], '~~', exoLatent[j], {});
  // covariances among exogenous observed covariates (fixed to their sample values under fixed.x)
  for (let i = 0; i < covariates.length; i++)
    for (let j = i + 1; j < covariates.length; j++)
      if (!has(covariates[i], '~~', covariates[j])) auto(covariates[i], '~~', covariates[j], exoObserved.length > 0 ? { fixed: NaN } : {});
  // residual covariances among pure outcomes (lavaan's auto.cov.y)
  const pureY = [...observed, ...latent].filter((v) => isOutcome(v) && !isPredictor(v) && !isIndicator(v));
  for (let i = 0; i < pureY.length; i++)
    for (let j = i + 1; j < pureY.length; j++) if (!has(pureY[i], '~~', pureY[j])) auto(pureY[i], '~~', pureY[j], {});

  const meanstructure = (options.meanstructure ?? false) || G > 1 || drafts.some((d) => d.op === '~1');
  if (meanstructure) {
    for (const v of observed) if (!has(v, '~1', '')) auto(v, '~1', '', exoObserved.includes(v) ? { fixed: NaN } : {});
    for (const f of latent) if (!has(f, '~1', '')) auto(f, '~1', '', { fixed: 0 });
  }

  // first loading of each factor fixed to 1, unless the user fixed or freed it (or stdLv)
  const firstLoading = new Map<string, Draft>();
  for (const d of drafts) if (d.op === '=~' && !firstLoading.has(d.lhs)) firstLoading.set(d.lhs, d);

  const rows: ParameterRow[] = [];
  for (let g = 0; g < G; g++) {
    for (const d of drafts) {
      const m = d.mods[d.mods.length === 1 ? 0 : g];
      let fixed: number | undefined = m.fixed;
      if (fixed === undefined && !m.free && d.op === '=~' && firstLoading.get(d.lhs) === d && !stdLv) fixed = 1;
      rows.push({
        lhs: d.lhs,
        op: d.op,
        rhs: d.rhs,
        group: g,
        free: fixed === undefined ? -1 : 0,
        value: fixed === undefined ? NaN : fixed,
        start: m.start ?? NaN,
        label: m.label ?? '',
        user: d.user,
        exo: d.op !== '=~' && d.op !== '~' && !d.user && exoObserved.includes(d.lhs) && (d.op === '~1' || exoObserved.includes(d.rhs)),
      });
    }
  }

  // group.equal: tie each free parameter of the listed kinds to its first-group twin
  const kindOf = (r: ParameterRow): GroupEqual | undefined => {
    const lat = isLatent(r.lhs);
    switch (r.op) {
      case '=~':
        return 'loadings';
      case '~':
        return 'regressions';
      case '~1':
        return lat ? 'means' : 'intercepts';
      case '~~':
        if (lat || isLatent(r.rhs)) return r.lhs === r.rhs ? 'lv.variances' : 'lv.covariances';
        return r.lhs === r.rhs ? 'residuals' : 'residual.covariances';
    }
  };
  const key = (r: ParameterRow) => `${r.lhs}${r.op}${r.rhs}`;
  for (const gp of groupPartial) {
    if (!rows.some((r) => key(r) === gp)) {
      throw new InputError('groupPartial', `groupPartial names "${gp}", which is not a parameter of the model (write it as lhs op rhs, e.g. x3~1 or visual=~x2).`);
    }
  }
  if (G > 1 && groupEqual.length > 0) {
    const perGroup = rows.length / G;
    for (let i = 0; i < perGroup; i++) {
      const first = rows[i];
      const kind = kindOf(first);
      if (!kind || !groupEqual.includes(kind) || groupPartial.includes(key(first)) || first.exo) continue;
      for (let g = 0; g < G; g++) {
        const r = rows[g * perGroup + i];
        if (r.free !== -1 || r.label !== '') continue;
        r.label = `.eq.${key(first)}`;
      }
    }
    // with stdLv and equal loadings, latent variances are free outside the first group (lavaan)
    if (stdLv && groupEqual.includes('loadings') && !groupEqual.includes('lv.variances')) {
      for (const r of rows) {
        if (r.op === '~~' && r.lhs === r.rhs && isLatent(r.lhs) && r.group > 0 && !r.user && r.free === 0 && r.value === 1) {
          r.free = -1;
          r.value = NaN;
        }
      }
    }
    // with equal intercepts, latent means are free outside the first group (lavaan's default)
    if (groupEqual.includes('intercepts') && !groupEqual.includes('means')) {
      for (const r of rows) {
        if (r.op === '~1' && isLatent(r.lhs) && r.group > 0 && !r.user && r.free === 0 && r.value === 0) {
          r.free = -1;
          r.value = NaN;
        }
      }
    }
  }

  // `a == b`: one label for both (union of labels, the first written wins)
  const known = new Set(rows.map((r) => r.label).filter((l) => l !== ''));
  const root = new Map<string, string>();
  const find = (l: string): string => {
    let x = l;
    while (root.has(x) && root.get(x) !== x) x = root.get(x)!;
    return x;
  };
  if (equalities.length > 0) {
    for (const e of equalities) {
      const [a, b] = [e.lhs[0], e.rhs[0].name];
      for (const l of [a, b]) {
        if (!known.has(l)) throw new InputError('model', `model line ${e.line}: "${l}" in "${a} == ${b}" is not a label of any parameter.`);
      }
      const ra = find(a);
      const rb = find(b);
      if (ra !== rb) root.set(rb, ra);
    }
    for (const r of rows) if (r.label !== '') r.label = find(r.label);
  }

  // number the free parameters; rows with one label share one
  let nFree = 0;
  const byLabel = new Map<string, number>();
  for (const r of rows) {
    if (r.free !== -1) continue;
    if (r.label !== '') {
      const idx = byLabel.get(r.label);
      if (idx !== undefined) {
        r.free = idx;
        continue;
      }
      r.free = ++nFree;
      byLabel.set(r.label, r.free);
    } else r.free = ++nFree;
  }
  // a label shared by a fixed and a free parameter: the fixed value wins for all (as lavaan)
  const fixedLabels = new Map<string, number>();
  for (const r of rows) if (r.free === 0 && r.label !== '' && !r.label.startsWith('.')) fixedLabels.set(r.label, r.value);
  if (fixedLabels.size > 0) {
    for (const r of rows) {
      if (r.free > 0 && fixedLabels.has(r.label)) {
        r.free = 0;
        r.value = fixedLabels.get(r.label)!;
      }
    }
    renumber(rows);
    nFree = Math.max(0, ...rows.map((r) => r.free));
  }
  const defined = definitions.map((d) => {
    const name = d.lhs[0];
    if (known.has(name) || observed.includes(name) || latent.includes(name)) {
      throw new InputError('model', `model line ${d.line}: "${name} :=" reuses the name of a label or variable.`);
    }
    for (const l of expressionLabels(d.definition!.expression)) {
      if (!known.has(l)) throw new InputError('model', `model line ${d.line}: "${l}" in the definition of ${name} is not a label of any parameter.`);
    }
    return { name, expression: relabel(d.definition!.expression, find), text: d.definition!.text, line: d.line };
  });
  return { rows, observed, latent, groups: G, nFree, meanstructure, stdLv, fixedX: options.fixedX !== false, groupEqual, groupPartial, defined };
}

function relabel(e: Expression, find: (l: string) => string): Expression {
  switch (e.kind) {
    case 'label':
      return { kind: 'label', name: find(e.name) };
    case 'unary':
      return { kind: 'unary', arg: relabel(e.arg, find) };
    case 'call':
      return { kind: 'call', fn: e.fn, arg: relabel(e.arg, find) };
    case 'binary':
      return { kind: 'binary', op: e.op, left: relabel(e.left, find), right: relabel(e.right, find) };
    default:
      return e;
  }
}

function renumber(rows: ParameterRow[]): void {
  const map = new Map<number, number>();
  for (const r of rows) {
    if (r.free === 0) continue;
    if (!map.has(r.free)) map.set(r.free, map.size + 1);
    r.free = map.get(r.free)!;
  }
}

/**
 * Observed variables that the model uses only as predictors in regressions (lavaan's ov.x),
 * whether or not their moments are fixed (fixed.x).
 */
export function observedCovariates(table: ParameterTable): string[] {
  const userMoments = namedInUserMoments(table.rows);
  return table.observed.filter(
    (v) =>
      table.rows.some((r) => r.op === '~' && r.rhs === v) &&
      !table.rows.some((r) => (r.op === '~' && r.lhs === v) || (r.op === '=~' && r.rhs === v)) &&
      !userMoments.has(v),
  );
}

/**
 * Variables the user names in a variance, covariance or intercept. lavaan (lav_partable_vnames,
 * "ov.x") does not count such a predictor as a fixed.x covariate: its moments are free
 * parameters, and the baseline model fixes its covariances at 0 like any other variable's.
 */
function namedInUserMoments(rows: readonly { readonly op: string; readonly lhs: string; readonly rhs: string; readonly user: boolean }[]): Set<string> {
  const named = new Set<string>();
  for (const r of rows) {
    if (!r.user) continue;
    if (r.op === '~~') named.add(r.lhs).add(r.rhs);
    else if (r.op === '~1') named.add(r.lhs);
  }
  return named;
}

/** Observed variables that the model only uses as exogenous covariates (their moments are fixed.x). */
export function exogenousObserved(table: ParameterTable): string[] {
  return table.observed.filter((v) => table.rows.some((r) => r.exo && r.lhs === v));
}

/** The observed variables a model uses, in order of first appearance (everything not left of `=~`). */
export function modelVariables(allStatements: readonly Statement[]): string[] {
  const statements = allStatements.filter((s) => s.op !== '==' && s.op !== ':=');
  const latent = new Set(statements.filter((s) => s.op === '=~').flatMap((s) => s.lhs));
  const out: string[] = [];
  const note = (v: string) => {
    if (v !== '1' && !latent.has(v) && !out.includes(v)) out.push(v);
  };
  for (const s of statements) if (s.op === '=~') s.rhs.forEach((t) => note(t.name));
  for (const s of statements) {
    s.lhs.forEach(note);
    s.rhs.forEach((t) => note(t.name));
  }
  return out;
}
