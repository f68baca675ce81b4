/**
 * Draws one analysis result (the object the matching `seici` command prints with --json) as the
 * reports' tables. Every number is shown rounded and kept whole in the cell's `data-value`, so a
 * reader (or a test) can take the exact value. Text from the file (column names, unit labels)
 * is set as text, never as markup.
 */
import type { AnalysisKind } from './compute.js';
import type { ScaleReliability } from '../../analysis/reliability/scale_reliability.js';
import type { NumberOfFactors } from '../../analysis/efa/number_of_factors.js';
import type { EfaResult } from '../../analysis/efa/exploratory_factor_analysis.js';
import type { SemResult } from '../../analysis/sem/fit_sem.js';
import type { InvarianceResult } from '../../analysis/sem/measurement_invariance.js';
import type { AgreementResult } from '../../analysis/agreement/agreement.js';
import type { ScoreResult } from '../../analysis/scoring/score_units.js';

type Value = number | string | boolean | null | undefined;

/** A table column: the key of the row field it shows, its heading, and digits for numbers. */
interface Column {
  readonly key: string;
  readonly label: string;
  readonly digits?: number;
}

interface Row {
  readonly key: string;
  readonly cells: Readonly<Record<string, Value>>;
}

export interface ResultHooks {
  /** Asks the worker for the unit report's charts of unit-wave `index`, drawn into `target`. */
  onUnit(index: number, target: HTMLElement): void;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string; testid?: string } = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.className) e.className = props.className;
  if (props.text !== undefined) e.textContent = props.text;
  if (props.testid) e.dataset.testid = props.testid;
  e.append(...children);
  return e;
}

/**
 * A number rounded for reading, a missing one as an en dash. Without `digits`, whole numbers (counts,
 * degrees of freedom) are shown whole and others to 3 decimals; with `digits`, always to that many.
 * Below 10^−digits a p-value (4 digits or more) is shown in exponent form.
 */
export function formatNumber(v: number | null | undefined, digits?: number): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (digits === undefined && Number.isInteger(v) && Math.abs(v) < 1e15) return v.toLocaleString('en');
  const d = digits ?? 3;
  if (d >= 4 && v !== 0 && Math.abs(v) < 10 ** -d) return v.toExponential(1);
  return v.toFixed(d);
}

function cell(tag: 'td' | 'th', column: string, v: Value, digits: number | undefined): HTMLTableCellElement {
  const c = document.createElement(tag);
  c.dataset.col = column;
  if (typeof v === 'number' || v === null) {
    c.className = 'num';
    c.textContent = formatNumber(v, digits);
    c.dataset.value = v === null || !Number.isFinite(v) ? '' : String(v);
  } else if (typeof v === 'boolean') {
    c.textContent = v ? 'yes' : 'no';
    c.dataset.value = String(v);
  } else {
    c.textContent = v ?? '';
  }
  if (tag === 'th') c.scope = 'row';
  return c;
}

function table(testid: string, caption: string, columns: readonly Column[], rows: readonly Row[]): HTMLElement {
  const t = el('table', { className: 'data compact', testid });
  t.append(el('caption', { text: caption }));
  const head = el('tr');
  for (const [j, c] of columns.entries()) {
    const th = el('th', { text: c.label });
    th.scope = 'col';
    // numbers are right-aligned, and so are their headings
    const v = rows[0]?.cells[c.key];
    if (j > 0 && (typeof v === 'number' || v === null)) th.className = 'num';
    head.append(th);
  }
  t.append(el('thead', {}, head));
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr');
    tr.dataset.row = r.key;
    for (const [j, c] of columns.entries()) tr.append(cell(j === 0 ? 'th' : 'td', c.key, r.cells[c.key], c.digits));
    body.append(tr);
  }
  t.append(body);
  return el('div', { className: 'table-wrap' }, t);
}

function fixDigits(wrap: HTMLElement, entries: readonly [string, string, Value, number?][]): HTMLElement {
  const cells = wrap.querySelectorAll<HTMLTableCellElement>('td[data-col="value"]');
  entries.forEach(([, , value, digits], i) => {
    if (digits !== undefined && typeof value === 'number') cells[i].textContent = formatNumber(value, digits);
  });
  return wrap;
}

function warnings(list: readonly string[]): HTMLElement[] {
  if (list.length === 0) return [];
  return [el('ul', { className: 'warnings', testid: 'warnings' }, ...list.map((w) => el('li', { text: w })))];
}

function pValue(p: number | null | undefined): number | null {
  return p === undefined ? null : p;
}

/** One result as a section: heading, the tables, a place for charts, the warnings, a JSON download. */
export function renderResult(kind: AnalysisKind, title: string, result: unknown, hooks: ResultHooks): HTMLElement {
  const section = el('section', { className: 'result', testid: `result-${kind}` });
  section.dataset.kind = kind;
  const h2 = el('h2', { text: title });
  h2.tabIndex = -1;
  const download = el('button', { className: 'link-button', text: 'Download the results (JSON)' });
  download.type = 'button';
  download.addEventListener('click', () => {
    const blob = new Blob([JSON.stringify(result, null, 2)], { type: 'application/json' });
    const a = el('a');
    a.href = URL.createObjectURL(blob);
    a.download = `seici-${kind}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  section.append(el('header', { className: 'result-head' }, h2, download));
  const charts = el('div', { className: 'charts' });
  switch (kind) {
    case 'reliability':
      section.append(...reliability(result as ScaleReliability));
      break;
    case 'factors': {
      const r = result as { numberOfFactors: NumberOfFactors; efa: EfaResult };
      const [intro, ...rest] = factors(r.numberOfFactors, r.efa);
      section.append(intro, charts, ...rest);
      return section;
    }
    case 'cfa':
      section.append(...cfa(result as SemResult));
      break;
    case 'invariance':
      section.append(...invariance(result as InvarianceResult));
      break;
    case 'agreement':
      section.append(...agreement(result as AgreementResult));
      break;
    case 'score': {
      const [intro, picker, ...rest] = score(result as ScoreResult, charts, hooks);
      section.append(intro, picker, charts, ...rest);
      return section;
    }
  }
  section.append(charts);
  return section;
}

function reliability(r: ScaleReliability): HTMLElement[] {
  const ci = r.alphaCi;
  const oci = r.omegaTotalCi;
  const level = Math.round(ci.level * 100);
  return [
    el('p', {
      text:
        `${r.nItems} items; ${r.n !== undefined ? `${r.n} complete rows of ${r.nRows}` : `${r.nRows} rows, pairwise`}; scale ${r.scale.min} to ${r.scale.max}` +
        (r.reverse.length > 0 ? `; reverse-keyed: ${r.reverse.join(', ')}` : '') +
        '. Target ≥ .70.',
    }),
    table(
        'reliability-summary',
        'Internal consistency',
        [{ key: 'label', label: 'Statistic' }, { key: 'value', label: 'Value' }, { key: 'lower', label: `${level}% lower` }, { key: 'upper', label: `${level}% upper` }],
        [
          { key: 'n', cells: { label: 'n (complete rows)', value: r.n ?? null } },
          { key: 'alpha', cells: { label: 'α (raw)', value: r.alpha, lower: ci.lower, upper: ci.upper } },
          { key: 'alphaStd', cells: { label: 'α standardized', value: r.alphaStd } },
          { key: 'averageR', cells: { label: 'average inter-item r', value: r.averageR } },
          ...(r.omegaTotal !== undefined ? [{ key: 'omegaTotal', cells: { label: `ω total${oci ? ` (bootstrap, ${oci.replicates} resamples, seed ${oci.seed})` : ''}`, value: r.omegaTotal, lower: oci?.lower ?? null, upper: oci?.upper ?? null } }] : []),
        ],
    ),
    table(
      'item-table',
      'Items: answers, mean, SD, floor and ceiling shares, corrected item–total correlation, α without the item',
      [
        { key: 'item', label: 'Item' },
        { key: 'n', label: 'n' },
        { key: 'mean', label: 'Mean', digits: 2 },
        { key: 'sd', label: 'SD', digits: 2 },
        { key: 'floor', label: 'Floor', digits: 2 },
        { key: 'ceiling', label: 'Ceiling', digits: 2 },
        { key: 'rDrop', label: 'r drop', digits: 2 },
        { key: 'alphaIfDropped', label: 'α if dropped' },
      ],
      r.items.map((s) => ({ key: s.item, cells: { ...s } as Record<string, Value> })),
    ),
    ...warnings(r.diagnostics.warnings),
  ];
}

function factors(count: NumberOfFactors, efa: EfaResult): HTMLElement[] {
  const pa = count.parallel;
  const k = efa.nfactors;
  const factorsCols = Array.from({ length: k }, (_, j) => ({ key: `F${j + 1}`, label: `F${j + 1}` }));
  const shown = Math.min(pa.eigenvalues.length, Math.max(k, count.map.nfactors, pa.ncomponents) + 3);
  const out: HTMLElement[] = [
    el(
      'p',
      { testid: 'parallel-verdict' },
      `Parallel analysis (${pa.iterations} resampled and simulated data sets, 95th percentile, n = ${pa.n}) retains `,
      el('strong', { text: String(pa.nfactors) }),
      ` factor${pa.nfactors === 1 ? '' : 's'} and `,
      el('strong', { text: String(pa.ncomponents) }),
      ` component${pa.ncomponents === 1 ? '' : 's'}; Velicer's MAP: ${count.map.nfactors}.`,
    ),
    table(
      'parallel-table',
      'Eigenvalues: observed against random data (95th percentile of resampled data), and MAP',
      [
        { key: 'k', label: '#' },
        { key: 'pc', label: 'PC observed' },
        { key: 'pcRandom', label: 'PC random' },
        { key: 'fa', label: 'FA observed' },
        { key: 'faRandom', label: 'FA random' },
        { key: 'map', label: 'MAP', digits: 4 },
      ],
      Array.from({ length: shown }, (_, j) => ({
        key: String(j + 1),
        cells: { k: String(j + 1), pc: pa.eigenvalues[j], pcRandom: pa.resampled.components.quantile[j] ?? null, fa: pa.factorEigenvalues[j], faRandom: pa.resampled.factors.quantile[j] ?? null, map: count.map.values[j] ?? null },
      })),
    ),
    el('h3', { text: `${k}-factor ${efa.method} solution, ${efa.rotate} rotation` }),
    el('p', {
      text: `${efa.cor === 'poly' ? 'Polychoric' : 'Pearson'} correlations, n = ${efa.n} (${efa.missing}).`,
    }),
    keyValuesTable('efa-summary', 'Sampling adequacy and fit', [
      ['kmo', 'KMO', efa.kmo],
      ['bartlettChisq', 'Bartlett χ²', efa.bartlett.chisq, 1],
      ['bartlettDf', 'Bartlett df', efa.bartlett.df],
      ['bartlettP', 'Bartlett p', pValue(efa.bartlett.p), 4],
      ['chisq', 'χ²', efa.fit.chisq, 2],
      ['df', 'df', efa.fit.df],
      ['rmsea', 'RMSEA', efa.fit.rmsea],
      ['tli', 'TLI', efa.fit.tli],
      ['bic', 'BIC', efa.fit.bic, 2],
    ]),
    table(
      'loadings',
      'Pattern loadings, communalities and item retention',
      [{ key: 'item', label: 'Item' }, ...factorsCols, { key: 'h2', label: 'h²' }, { key: 'verdict', label: 'Verdict' }],
      efa.retention.map((t) => ({
        key: t.item,
        cells: { item: t.item, ...Object.fromEntries(efa.loadings[t.item].map((v, j) => [`F${j + 1}`, v])), h2: efa.communalities[t.item], verdict: t.verdict },
      })),
    ),
  ];
  if (efa.rotate !== 'none' && efa.rotate !== 'varimax' && k > 1) {
    out.push(table('phi', 'Factor correlations', [{ key: 'f', label: '' }, ...factorsCols], efa.phi.map((row, i) => ({ key: `F${i + 1}`, cells: { f: `F${i + 1}`, ...Object.fromEntries(row.map((v, j) => [`F${j + 1}`, v])) } }))));
  }
  const flagged = efa.retention.filter((t) => t.verdict !== 'keep');
  if (flagged.length > 0) {
    out.push(el('h3', { text: 'Items to act on' }), el('ul', { className: 'flagged', testid: 'flagged-items' }, ...flagged.map((t) => el('li', {}, el('code', { text: t.item }), ` (${t.verdict}): ${t.reason}`))));
  }
  out.push(...warnings([...count.diagnostics.warnings, ...efa.diagnostics.warnings]));
  return out;
}

/** A two-column table of named statistics (`data-row` = the result's key), with digits per row. */
function keyValuesTable(testid: string, caption: string, entries: readonly [string, string, Value, number?][]): HTMLElement {
  return fixDigits(table(testid, caption, [{ key: 'label', label: 'Statistic' }, { key: 'value', label: 'Value' }], entries.map(([key, label, value]) => ({ key, cells: { label, value: value ?? null } }))), entries);
}

const FIT_COLUMNS: readonly Column[] = [
  { key: 'chisq', label: 'χ²', digits: 2 },
  { key: 'df', label: 'df' },
  { key: 'pvalue', label: 'p', digits: 4 },
  { key: 'cfi', label: 'CFI' },
  { key: 'tli', label: 'TLI' },
  { key: 'rmsea', label: 'RMSEA' },
  { key: 'rmseaLower', label: 'RMSEA lower' },
  { key: 'rmseaUpper', label: 'RMSEA upper' },
  { key: 'srmr', label: 'SRMR' },
  { key: 'aic', label: 'AIC', digits: 1 },
  { key: 'bic', label: 'BIC', digits: 1 },
];

function cfa(r: SemResult): HTMLElement[] {
  const f = r.fit;
  const groups = r.nGroups > 1;
  return [
    el('p', {
      text: `${r.n} rows${groups ? ` in ${r.nGroups} groups (${r.groupLabels.map((g, i) => `${g}: ${r.groupSizes[i]}`).join(', ')})` : ''}; ${r.converged ? 'converged' : 'did NOT converge'} after ${r.diagnostics.iterations} iterations; ${f.npar} free parameters.`,
    }),
    table('fit', 'Fit', [{ key: 'model', label: 'Model' }, ...FIT_COLUMNS], [{ key: 'model', cells: { model: 'ML', ...(f as unknown as Record<string, Value>) } }]),
    table(
      'estimates',
      'Parameter estimates (std.all: completely standardized)',
      [...(groups ? [{ key: 'group', label: 'Group' }] : []), { key: 'lhs', label: 'lhs' }, { key: 'op', label: 'op' }, { key: 'rhs', label: 'rhs' }, { key: 'est', label: 'Estimate' }, { key: 'se', label: 'SE' }, { key: 'z', label: 'z', digits: 2 }, { key: 'std', label: 'std.all' }],
      r.estimates.map((e) => ({ key: `${e.group ?? ''}${e.lhs}${e.op}${e.rhs}`, cells: { group: e.group ?? '', lhs: e.lhs, op: e.op, rhs: e.rhs, est: e.est, se: e.se, z: e.z ?? null, std: e.std } })),
    ),
    ...(r.r2.length > 0 ? [el('p', { text: `R²: ${r.r2.map((x) => `${x.group !== undefined ? `${x.group}: ` : ''}${x.variable} ${formatNumber(x.r2)}`).join(', ')}` })] : []),
    ...warnings(r.diagnostics.warnings),
  ];
}

function invariance(r: InvarianceResult): HTMLElement[] {
  return [
    el('p', { text: `${r.n} rows in ${r.groups.length} groups (${r.groups.map((g, i) => `${g}: ${r.groupSizes[i]}`).join(', ')}). A level holds when ΔCFI ≥ −0.010 and ΔRMSEA ≤ 0.015 (Chen, 2007).` }),
    table(
      'invariance-models',
      'Models',
      [{ key: 'level', label: 'Level' }, ...FIT_COLUMNS, { key: 'freed', label: 'Freed' }],
      r.models.map((m) => ({ key: m.level, cells: { ...(m as unknown as Record<string, Value>), freed: m.freed.join(' ') || '–' } })),
    ),
    table(
      'invariance-comparisons',
      'Comparisons of consecutive levels',
      [
        { key: 'comparison', label: 'Comparison' },
        { key: 'chisqDiff', label: 'Δχ²', digits: 2 },
        { key: 'dfDiff', label: 'Δdf' },
        { key: 'p', label: 'p', digits: 4 },
        { key: 'deltaCfi', label: 'ΔCFI', digits: 4 },
        { key: 'deltaRmsea', label: 'ΔRMSEA', digits: 4 },
        { key: 'holds', label: 'Holds' },
      ],
      r.comparisons.map((c) => ({ key: `${c.from}-${c.to}`, cells: { ...(c as unknown as Record<string, Value>), comparison: `${c.from} → ${c.to}` } })),
    ),
    ...(r.partial ?? []).map((p) => el('p', { text: `Partial ${p.level}: freed ${p.freed.join(', ') || 'nothing'}; ${p.holds ? 'holds' : 'still fails'}.` })),
    ...warnings(r.diagnostics.warnings),
  ];
}

function agreement(r: AgreementResult): HTMLElement[] {
  return [
    el('p', { text: `${r.n} respondents in ${r.units.length} units, ${r.items} item${r.items === 1 ? '' : 's'}; null ${r.options.null} (σ²E = ${formatNumber(r.options.nullVariance)}); ${formatNumber(r.shareAgreeing * 100, 0)}% of units at or above rwg(j) ${r.options.criteria.minRwgJ}.` }),
    keyValuesTable('agreement-summary', 'Between-unit variance and mean agreement', [
      ['icc1', 'ICC(1)', r.icc1],
      ['icc2', 'ICC(2)', r.icc2],
      ['F', 'F', r.anova.F],
      ['df1', 'df1', r.anova.df1],
      ['df2', 'df2', r.anova.df2],
      ['p', 'p', r.anova.p, 4],
      ['meanRwgj', 'mean rwg(j)', r.meanRwgj],
      ['adCutoff', 'AD cut-off', r.adCutoff],
    ]),
    table(
      'agreement-units',
      'Agreement per unit',
      [{ key: 'unit', label: 'Unit' }, { key: 'n', label: 'n' }, { key: 'rwgj', label: 'rwg(j)' }, { key: 'strength', label: 'Strength' }, { key: 'rwgjLindell', label: 'r*wg(j)' }, { key: 'awg', label: 'awg' }, { key: 'ad', label: 'AD' }, { key: 'aggregate', label: 'Aggregate' }],
      r.units.map((u) => ({ key: u.unit, cells: { unit: u.unit, n: u.n, rwgj: u.rwgj ?? null, strength: u.strength ?? '', rwgjLindell: u.rwgjLindell ?? null, awg: u.awg ?? null, ad: u.ad ?? null, aggregate: u.verdict.justified } })),
    ),
    ...warnings(r.diagnostics.warnings),
  ];
}

/** At most this many unit-waves are drawn as rows; the JSON download has them all. */
const MAX_UNIT_ROWS = 500;

function score(r: ScoreResult, charts: HTMLElement, hooks: ResultHooks): HTMLElement[] {
  const intro = el('p', {
    text: `Baseline wave ${r.baselineWave}; ${r.units.length} unit-waves, ${r.n} respondents${r.suppressed > 0 ? `; ${r.suppressed} unit-waves with fewer than ${r.options.minGroupSize} respondents are not shown` : ''}.`,
  });
  const picker = el('p', { className: 'unit-picker' });
  if (r.units.length > 0) {
    const select = el('select');
    select.id = `unit-pick-${Math.random().toString(36).slice(2)}`;
    r.units.forEach((u, i) => select.append(new Option(`${u.unit} · ${u.wave}`, String(i))));
    const label = el('label', { text: 'Charts for ' });
    label.htmlFor = select.id;
    select.addEventListener('change', () => hooks.onUnit(Number(select.value), charts));
    picker.append(label, select);
  }
  const shown = r.units.slice(0, MAX_UNIT_ROWS);
  return [
    intro,
    picker,
    table(
      'unit-scores',
      'Unit scores (dimensions S, R, T; levers A, C, V; misalignment M; drift from the baseline)',
      [
        { key: 'unit', label: 'Unit' },
        { key: 'wave', label: 'Wave' },
        { key: 'n', label: 'n' },
        { key: 'structural', label: 'S', digits: 2 },
        { key: 'relational', label: 'R', digits: 2 },
        { key: 'translational', label: 'T', digits: 2 },
        { key: 'accountability', label: 'A', digits: 2 },
        { key: 'communication', label: 'C', digits: 2 },
        { key: 'visibility', label: 'V', digits: 2 },
        { key: 'seiCi', label: 'SEI-CI', digits: 2 },
        { key: 'misalignment', label: 'M', digits: 2 },
        { key: 'dominant', label: 'Dominant' },
        { key: 'drift', label: 'Drift', digits: 2 },
        { key: 'aggregate', label: 'Aggregate' },
      ],
      shown.map((u) => ({
        key: `${u.unit}|${u.wave}`,
        cells: { unit: u.unit, wave: u.wave, n: u.n, ...u.dimensions, ...u.levers, seiCi: u.seiCi, misalignment: u.misalignment, dominant: u.dominant ?? '', drift: u.drift ?? null, aggregate: u.aggregation.justified },
      })),
    ),
    ...(r.units.length > MAX_UNIT_ROWS ? [el('p', { className: 'muted', text: `The first ${MAX_UNIT_ROWS} of ${r.units.length} unit-waves; the JSON download has them all.` })] : []),
    ...warnings(r.diagnostics.warnings),
  ];
}
