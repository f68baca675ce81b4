import { readFileSync } from 'node:fs';
import { InputError } from '../../analysis/errors.js';
import { CELLS } from '../../instrument/model.js';
import {
  fitTwoLevel,
  hasLevelBlocks,
  levelReliability,
  parseLevelBlocks,
  seiTwoLevelFromItemMap,
  withinBetween,
  type Composite,
  type TwoLevelResult,
} from '../../analysis/index.js';
import { numericRows, openCsv, textValues } from '../io/csv.js';
import { parseChoice } from '../io/args.js';
import { emit, fmt, table } from '../output.js';

/** The flags of `seici cfa` that a two-level fit reads. */
export interface ClusterFlags {
  csv: string;
  cluster?: string;
  equalLoadings?: boolean;
  model?: string;
  seiModel?: string;
  map?: string;
  group?: string;
  stdLv?: boolean;
  missing?: string;
  modindices?: string;
  json?: boolean;
}

interface ItemMap {
  readonly scaleMin?: number;
  readonly scaleMax?: number;
  readonly items: Readonly<Record<string, { readonly cell: string; readonly reverse?: boolean }>>;
}

/**
 * `seici cfa --cluster COL`: a two-level CFA from a model with level blocks, or with
 * `--sei-model cells` the SEI-CI nine cells at both levels, then (for the SEI model) ω within
 * and ω between per cell and dimension with the ICC(2) of their scores, and each item's ICCs.
 */
export function fitClustered(opts: ClusterFlags): void {
  if (opts.group !== undefined) throw new InputError('--group', '--group and --cluster cannot be combined: two-level models are fitted in one group.');
  if (opts.modindices !== undefined) throw new InputError('--modindices', '--modindices is not available for two-level models (--cluster).');
  const missing = parseChoice(opts.missing ?? 'listwise', '--missing', ['listwise', 'ml'] as const, 'listwise');
  if (missing === 'ml') {
    throw new InputError('--missing', '--missing ml is not available with --cluster: two-level models are fitted to the rows complete on the model\'s variables (listwise).');
  }
  if (opts.model !== undefined && opts.seiModel !== undefined) throw new InputError('--model', 'give either --model or --sei-model, not both.');
  let text: string;
  let map: ItemMap | null = null;
  if (opts.seiModel !== undefined) {
    const kind = parseChoice(opts.seiModel, '--sei-model', ['cells', 'dimensions', 'levers', 'bifactor'] as const, 'cells');
    if (kind !== 'cells') throw new InputError('--sei-model', `--sei-model ${kind} is not available with --cluster; use --sei-model cells (the nine cells at both levels).`);
    if (opts.map === undefined) throw new InputError('--map', '--sei-model needs --map, the item map naming each item\'s cell.');
    try {
      map = JSON.parse(readFileSync(opts.map, 'utf8')) as ItemMap;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputError('--map', `--map ${opts.map}: ${code === 'ENOENT' ? 'no such file' : 'it is not readable JSON'}.`);
    }
    text = seiTwoLevelFromItemMap(map as never, { equalLoadings: opts.equalLoadings ?? false });
  } else {
    if (opts.model === undefined) throw new InputError('--model', '--model is required (or --sei-model cells with --map).');
    if (opts.equalLoadings) throw new InputError('--equal-loadings', '--equal-loadings builds the SEI model; with --model, give loadings equal labels at both levels instead.');
    try {
      text = readFileSync(opts.model, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputError('--model', `--model ${opts.model}: ${code === 'ENOENT' ? 'no such file' : 'it cannot be read'}.`);
    }
    if (!hasLevelBlocks(text)) throw new InputError('--model', `--model ${opts.model} has no "level: 1" / "level: 2" blocks, which --cluster needs.`);
  }
  const blocks = parseLevelBlocks(text, '--model');
  const csv = openCsv(opts.csv);
  const variables: string[] = [];
  for (const s of [...blocks.within, ...blocks.between]) {
    const latent = new Set([...blocks.within, ...blocks.between].filter((x) => x.op === '=~').flatMap((x) => x.lhs));
    for (const v of [...s.lhs, ...s.rhs.map((r) => r.name)]) {
      if (v !== '1' && !latent.has(v) && !variables.includes(v)) variables.push(v);
    }
  }
  for (const v of variables) {
    if (!csv.columns.includes(v)) throw new InputError('--model', `--model names "${v}", which is neither a latent variable nor a column of ${opts.csv}.`);
  }
  const t = csv.read({
    numbers: [{ names: variables, argument: '--csv' }],
    texts: [{ names: [opts.cluster!], argument: '--cluster' }],
    rowArrays: true,
  });
  const data = { columns: variables, rows: numericRows(t, variables), clusters: textValues(t, opts.cluster!) };
  const result = fitTwoLevel(data, blocks, { stdLv: opts.stdLv ?? false });
  const out: Record<string, unknown> = { ...result, syntax: text };
  if (map) {
    const items = Object.keys(map.items);
    const reverse = items.filter((i) => map!.items[i].reverse);
    const composites: Composite[] = [];
    for (const c of CELLS) {
      const list = items.filter((i) => map!.items[i].cell === c);
      if (list.length > 0) composites.push({ name: c, items: list, reverse });
    }
    for (const d of ['S', 'R', 'T']) {
      const list = items.filter((i) => map!.items[i].cell[0] === d);
      const name = { S: 'structural', R: 'relational', T: 'translational' }[d]!;
      if (list.length > 0) composites.push({ name, items: list, reverse });
    }
    out.reliability = levelReliability(result, data, composites, { min: map.scaleMin ?? NaN, max: map.scaleMax ?? NaN });
    const complete = data.rows.map((r) => items.map((i) => r[variables.indexOf(i)]));
    const wb = withinBetween(complete, data.clusters, items);
    out.itemLevels = wb.levels.map((l) => ({ item: l.item, icc1: l.icc1, icc2: l.icc2, etaSquared: l.etaSquared }));
  }
  emit(out as unknown as TwoLevelResult, opts.json ?? false, (r) => render(r, out));
}

function render(r: TwoLevelResult, out: Record<string, unknown>): string {
  const f = r.fit;
  const lines = [
    `${r.n} rows in ${r.clusters} clusters; ${r.converged ? 'converged' : 'NOT converged'} after ${r.diagnostics.iterations} iterations`,
    `chisq ${fmt(f.chisq)} on ${f.df} df, p ${fmt(f.pvalue, 4)}; CFI ${fmt(f.cfi)}, TLI ${fmt(f.tli)}, ` +
      `RMSEA ${fmt(f.rmsea)} [${fmt(f.rmseaLower)}, ${fmt(f.rmseaUpper)}], SRMR within ${fmt(f.srmrWithin)}, between ${fmt(f.srmrBetween)}`,
    `logL ${fmt(f.logl)}, AIC ${fmt(f.aic)}, BIC ${fmt(f.bic)}, ${f.npar} free parameters`,
    '',
    table(['level', 'lhs', 'op', 'rhs', 'est', 'se', 'z', 'std.all'], r.estimates.map((e) => [e.level, e.lhs, e.op, e.rhs, e.est, e.se, e.z, e.std])),
  ];
  const rel = out.reliability as { composites: { name: string; omegaWithin: number; omegaBetween: number; icc1: number; icc2: number }[]; diagnostics: { warnings: string[] } } | undefined;
  if (rel) {
    lines.push('', 'level-specific reliability', table(['composite', 'omega within', 'omega between', 'ICC(1)', 'ICC(2)'], rel.composites.map((c) => [c.name, c.omegaWithin, c.omegaBetween, c.icc1, c.icc2])));
    for (const w of rel.diagnostics.warnings) lines.push(`note: ${w}`);
  }
  for (const w of r.diagnostics.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}
