import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../analysis/errors.js';
import { assertLatentNamesFree, bootstrapSem, fitOrdinalSem, fitSem, hasLevelBlocks, modelVariables, modificationIndices, parseModelSyntax, SEI_MODEL_KINDS, seiModelFromItemMap, type SemColumns, type SemResult, type Statement } from '../../analysis/index.js';
import { fitClustered, type ClusterFlags } from './cfa_two_level.js';
import { numericRows, openCsv, textValues } from '../io/csv.js';
import { parseChoice, parseNumber } from '../io/args.js';
import { emit, fmt, table } from '../output.js';

interface CfaFlags extends ModelFlags, ClusterFlags {
  csv: string;
  group?: string;
  stdLv?: boolean;
  missing?: string;
  fixedX?: string;
  estimator?: string;
  ordered?: string;
  parameterization?: string;
  se?: string;
  bootstrap?: string;
  seed?: string;
  modindices?: string;
  json?: boolean;
}

/** How a command is given its model: a lavaan file, or an SEI structure built from an item map. */
export interface ModelFlags {
  model?: string;
  seiModel?: string;
  map?: string;
}

/** The model text of --model, or of --sei-model KIND with --map FILE. */
export function modelText(opts: ModelFlags): string {
  if (opts.model !== undefined && opts.seiModel !== undefined) throw new InputError('--model', 'give either --model or --sei-model, not both.');
  if (opts.model !== undefined) return readModelFile(opts.model);
  if (opts.seiModel === undefined) throw new InputError('--model', '--model is required (or --sei-model with --map).');
  const kind = parseChoice(opts.seiModel, '--sei-model', SEI_MODEL_KINDS, 'cells');
  if (opts.map === undefined) throw new InputError('--map', '--sei-model needs --map, the item map naming each item\'s cell.');
  let map: unknown;
  try {
    map = JSON.parse(readFileSync(opts.map, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError('--map', `--map ${opts.map}: ${code === 'ENOENT' ? 'no such file' : 'it is not readable JSON'}.`);
  }
  return seiModelFromItemMap(map as never, kind);
}

/** Adds --model, --sei-model and --map to a command. */
export function modelOptions(cmd: Command): Command {
  return cmd
    .option('--model <file>', 'model in lavaan syntax (=~, ~, ~~, ~1, labels, fixed values)')
    .option('--sei-model <kind>', `instead of --model, an SEI-CI structure from --map: ${SEI_MODEL_KINDS.join(', ')}`)
    .option('--map <file>', 'item map JSON ({items: {name: {cell}}}) for --sei-model');
}

/** Reads a lavaan model file; a missing or unreadable file is an input error naming --model. */
export function readModelFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : 'it cannot be read';
    throw new InputError('--model', `--model ${path}: ${why}.`);
  }
}

/** The model's statements and variables, checked against the CSV's header (read, not its rows). */
function openModelCsv(csvPath: string, modelText: string) {
  const statements = parseModelSyntax(modelText, '--model');
  const variables = modelVariables(statements);
  const csv = openCsv(csvPath);
  assertLatentNamesFree(statements, csv.columns, '--model', csvPath);
  for (const v of variables) {
    if (!csv.columns.includes(v)) {
      throw new InputError('--model', `--model names "${v}", which is neither a latent variable nor a column of ${csvPath}.`);
    }
  }
  return { statements, variables, csv };
}

/** The CSV columns a model uses, as a numeric matrix, plus the group column when given. */
export function modelData(csvPath: string, modelText: string, group?: string) {
  const { statements, variables, csv } = openModelCsv(csvPath, modelText);
  const t = csv.read({
    numbers: [{ names: variables, argument: '--csv' }],
    texts: group === undefined ? [] : [{ names: [group], argument: '--group' }],
    rowArrays: true,
  });
  const rows = numericRows(t, variables);
  const groups = group === undefined ? undefined : textValues(t, group);
  return { statements, data: { columns: variables, rows, groups } };
}

/**
 * The CSV columns a model uses as the reader's Float64Array columns (no row arrays), plus the
 * group column when given: `fitSem` takes its listwise moments from them, and builds rows of the
 * model's variables only where FIML or MLR needs them (`rowArrays`: counted in the reader's memory check).
 */
export function modelColumns(csvPath: string, modelText: string, group: string | undefined, rowArrays: boolean): { statements: Statement[]; data: SemColumns } {
  const { statements, variables, csv } = openModelCsv(csvPath, modelText);
  const t = csv.read({
    numbers: [{ names: variables, argument: '--csv' }],
    texts: group === undefined ? [] : [{ names: [group], argument: '--group' }],
    rowArrays,
  });
  const groups = group === undefined ? undefined : textValues(t, group);
  return { statements, data: { columns: variables, values: t.numbers(variables), groups } };
}

/** Names the ordered variables of --ordered: "all", or a comma-separated list of the model's variables. */
export function orderedVariables(spec: string, variables: readonly string[]): void {
  if (spec.trim() === 'all') return;
  const names = spec.split(',').map((v) => v.trim()).filter((v) => v !== '');
  if (names.length === 0) throw new InputError('--ordered', '--ordered needs "all" or a comma-separated list of the model\'s variables.');
  for (const v of names) if (!variables.includes(v)) throw new InputError('--ordered', `--ordered names "${v}", which is not an observed variable of the model.`);
  const continuous = variables.filter((v) => !names.includes(v));
  if (continuous.length > 0) {
    throw new InputError('--ordered', `--ordered must cover every observed variable of the model (mixing ordered and continuous indicators is not supported); not ordered: ${continuous.join(', ')}.`);
  }
}

/** seici cfa --ordered: WLSMV/DWLS/ULS on thresholds and polychoric correlations. */
function fitOrdered(opts: CfaFlags): void {
  if (opts.cluster !== undefined) throw new InputError('--ordered', '--ordered cannot be combined with --cluster.');
  if ((opts.missing ?? 'listwise') !== 'listwise') throw new InputError('--missing', '--ordered uses listwise deletion (as lavaan\'s WLSMV); leave out --missing ml.');
  if ((opts.se ?? 'standard') !== 'standard') throw new InputError('--se', '--se bootstrap is not available with --ordered; WLSMV gives robust standard errors.');
  if (opts.modindices !== undefined) throw new InputError('--modindices', '--modindices is not available with --ordered.');
  const estimator = parseChoice(opts.estimator ?? 'wlsmv', '--estimator', ['wlsmv', 'dwls', 'uls'] as const, 'wlsmv');
  const parameterization = parseChoice(opts.parameterization ?? 'delta', '--parameterization', ['delta', 'theta'] as const, 'delta');
  const { statements, data } = modelData(opts.csv, modelText(opts), opts.group);
  orderedVariables(opts.ordered!, data.columns);
  const result = fitOrdinalSem(data, statements, { estimator, parameterization, stdLv: opts.stdLv ?? false });
  emit(result, opts.json ?? false, render);
}

function render(r: SemResult): string {
  const f = r.fit;
  const lines = [
    `${r.n} rows${r.nGroups > 1 ? ` in ${r.nGroups} groups (${r.groupLabels.map((g, i) => `${g}: ${r.groupSizes[i]}`).join(', ')})` : ''}; ` +
      `${r.converged ? 'converged' : 'NOT converged'} after ${r.diagnostics.iterations} iterations`,
    `chisq ${fmt(f.chisq)} on ${f.df} df, p ${fmt(f.pvalue, 4)}; CFI ${fmt(f.cfi)}, TLI ${fmt(f.tli)}, ` +
      `RMSEA ${fmt(f.rmsea)} [${fmt(f.rmseaLower)}, ${fmt(f.rmseaUpper)}], SRMR ${fmt(f.srmr)}`,
    `logL ${fmt(f.logl)}, AIC ${fmt(f.aic)}, BIC ${fmt(f.bic)}, ${f.npar} free parameters`,
    ...(f.chisqScaled !== undefined && r.options.estimator === 'wlsmv'
      ? [
          `robust (WLSMV): scaled-shifted chisq ${fmt(f.chisqScaled)} (scaling factor ${fmt(f.scalingFactor!)}, shift ${fmt((f as { shiftParameter?: number }).shiftParameter ?? NaN)}), p ${fmt(f.pvalueScaled!, 4)}; ` +
            `CFI ${fmt(f.cfiScaled!)} scaled, ${fmt(f.cfiRobust ?? NaN)} robust; TLI ${fmt(f.tliScaled!)} / ${fmt(f.tliRobust ?? NaN)}; RMSEA ${fmt(f.rmseaScaled!)} / ${fmt(f.rmseaRobust ?? NaN)}`,
        ]
      : f.chisqScaled !== undefined
      ? [
          `robust (MLR): scaled chisq ${fmt(f.chisqScaled)} (scaling factor ${fmt(f.scalingFactor!)}), p ${fmt(f.pvalueScaled!, 4)}; ` +
            `CFI ${fmt(f.cfiScaled!)} scaled, ${fmt(f.cfiRobust!)} robust; TLI ${fmt(f.tliScaled!)} / ${fmt(f.tliRobust!)}; RMSEA ${fmt(f.rmseaScaled!)} / ${fmt(f.rmseaRobust!)}`,
        ]
      : []),
    '',
  ];
  const boot = 'bootstrap' in r ? (r as unknown as { bootstrap: { replicates: number; valid: number; seed: number } }).bootstrap : null;
  if (boot) lines.splice(3, 0, `bootstrap standard errors and 95% percentile intervals: ${boot.valid} of ${boot.replicates} resamples, seed ${boot.seed}`);
  const ci = (e: SemResult['estimates'][number]) => (boot ? [(e as unknown as { ciLower: number }).ciLower, (e as unknown as { ciUpper: number }).ciUpper] : []);
  const heads = [...(r.nGroups > 1 ? ['group'] : []), 'lhs', 'op', 'rhs', 'est', 'se', 'z', ...(boot ? ['ci.lower', 'ci.upper'] : []), 'std.all'];
  const rows = r.estimates.map((e) => [...(r.nGroups > 1 ? [e.group] : []), e.lhs, e.op, e.rhs, e.est, e.se, e.z, ...ci(e), e.std]);
  lines.push(table(heads, rows));
  if (r.r2.length > 0) lines.push('', `R²: ${r.r2.map((x) => `${x.group !== undefined ? `${x.group}:` : ''}${x.variable} ${fmt(x.r2)}`).join(', ')}`);
  for (const w of r.diagnostics.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  modelOptions(
    program
      .command('cfa')
      .description('Confirmatory factor analysis / SEM by maximum likelihood from a lavaan model file')
      .requiredOption('--csv <file>', 'respondent CSV (header row; empty or NA is missing)'),
  )
    .option('--group <column>', 'fit the model in each group of this column (multi-group, with a mean structure)')
    .option('--std-lv', 'fix latent variances to 1 instead of the first loadings')
    .option('--missing <how>', 'listwise or ml (full-information maximum likelihood)', 'listwise')
    .option('--estimator <e>', 'ml, or mlr: robust ML as lavaan\'s estimator = "MLR" (sandwich standard errors, Yuan-Bentler scaled chi-square, scaled and robust CFI/TLI/RMSEA; with --missing ml too); with --ordered: wlsmv (default), dwls or uls')
    .option('--ordered <vars>', 'treat these model variables as ordered categories (comma-separated, or all): thresholds and polychoric correlations, as lavaan\'s ordered =')
    .option('--parameterization <p>', 'with --ordered: delta (default) or theta', 'delta')
    .option('--se <type>', 'standard, or bootstrap: standard errors and percentile intervals (also of := parameters) from refits to resampled rows', 'standard')
    .option('--bootstrap <b>', 'resamples for --se bootstrap', '1000')
    .option('--seed <s>', 'seed of the bootstrap', '1')
    .option('--fixed-x <bool>', 'true (lavaan\'s default): exogenous covariates keep their sample moments, and under --missing ml a row missing one is left out; false: their moments are estimated', 'true')
    .option('--modindices <n>', 'also report the n largest modification indices (score tests of fixed and equal parameters)')
    .option('--cluster <column>', 'two-level model ("level: 1" / "level: 2" blocks) with clusters from this column, e.g. unit')
    .option('--equal-loadings', 'with --sei-model cells --cluster: equal loadings at both levels (default: configural)')
    .option('--json', 'one JSON object on stdout')
    .action((opts: CfaFlags) => {
      if (opts.cluster !== undefined) {
        fitClustered(opts);
        return;
      }
      if (opts.equalLoadings) throw new InputError('--equal-loadings', '--equal-loadings needs --cluster (it equates loadings across the two levels).');
      if (opts.model !== undefined && hasLevelBlocks(readModelFile(opts.model))) {
        throw new InputError('--cluster', `--model ${opts.model} has "level:" blocks; give --cluster COLUMN naming the clusters (e.g. --cluster unit).`);
      }
      if (opts.ordered !== undefined) {
        fitOrdered(opts);
        return;
      }
      if (opts.parameterization !== undefined && opts.parameterization !== 'delta') throw new InputError('--parameterization', '--parameterization applies to ordered indicators; give --ordered too.');
      const missing = parseChoice(opts.missing, '--missing', ['listwise', 'ml'] as const, 'listwise');
      const estimator = parseChoice(opts.estimator ?? 'ml', '--estimator', ['ml', 'mlr'] as const, 'ml');
      const se = parseChoice(opts.se, '--se', ['standard', 'bootstrap'] as const, 'standard');
      const replicates = parseNumber(opts.bootstrap ?? '1000', '--bootstrap', { integer: true, min: 2, max: 100000 });
      const seed = parseNumber(opts.seed ?? '1', '--seed', { integer: true, min: 0, max: 4294967295 });
      if (se === 'bootstrap' && estimator === 'mlr') throw new InputError('--se', '--se bootstrap replaces the robust standard errors of --estimator mlr; give one of them.');
      const fixedX = parseChoice(opts.fixedX, '--fixed-x', ['true', 'false'] as const, 'true') === 'true';
      const top = opts.modindices === undefined ? 0 : parseNumber(opts.modindices, '--modindices', { integer: true, min: 1 });
      // the bootstrap resamples rows; a fit reads the columns (rows of the model's variables only under FIML or MLR)
      const { statements, data } = se === 'bootstrap' ? modelData(opts.csv, modelText(opts), opts.group) : modelColumns(opts.csv, modelText(opts), opts.group, missing === 'ml' || estimator === 'mlr');
      const options = { stdLv: opts.stdLv ?? false, missing, fixedX, estimator };
      const result: SemResult = 'rows' in data ? (bootstrapSem(data, statements, options, { replicates, seed }) as unknown as SemResult) : fitSem(data, statements, options);
      if (top > 0) {
        const mi = modificationIndices(result).filter((m) => Number.isFinite(m.mi)).sort((a, b) => b.mi - a.mi).slice(0, top);
        emit({ ...result, modificationIndices: mi }, opts.json ?? false, (r) => render(r) + '\n\n' + table(['lhs', 'op', 'rhs', 'group', 'kind', 'mi', 'epc'], mi.map((m) => [m.lhs, m.op, m.rhs, m.group ?? '', m.kind, m.mi, m.epc])));
      } else emit(result, opts.json ?? false, render);
    });
}
