import type { Command } from 'commander';
import { InputError } from '../../analysis/errors.js';
import { contentValidity, type ContentValidityResult, type ExpertRating } from '../../analysis/index.js';
import type { CodedLabels } from '../../analysis/data/columns.js';
import { openCsv } from '../io/csv.js';
import { parseNumber } from '../io/args.js';
import { emit, fmt, table } from '../output.js';
import { readItemMap } from './score.js';

/**
 * Reads RATINGS.csv (`expert,item,relevance[,essential][,sortedCell]`) through the streaming
 * reader, its columns as coded labels (a few distinct values each), naming the row and column at fault.
 */
function readRatings(path: string): ExpertRating[] {
  const csv = openCsv(path);
  const optional = ['essential', 'sortedCell'].filter((c) => csv.columns.includes(c));
  const data = csv.read({ texts: [{ names: ['expert', 'item', 'relevance'], argument: '--csv' }, { names: optional, argument: '--csv' }] });
  const column = (name: string) => (csv.columns.includes(name) ? data.text(name) : null);
  const [expert, item, relevance, essential, sortedCell] = ['expert', 'item', 'relevance', 'essential', 'sortedCell'].map(column);
  const text = (c: CodedLabels | null, r: number) => (c === null || c.codes[r] < 0 ? null : c.levels[c.codes[r]]);
  const ratings = new Array<ExpertRating>(data.length);
  for (let r = 0; r < data.length; r++) {
    const at = `${data.source}: row ${r + 1}`;
    const rel = text(relevance, r);
    const relValue = rel === null ? null : Number(rel);
    if (relValue !== null && !(Number.isInteger(relValue) && relValue >= 1 && relValue <= 4)) {
      throw new InputError('--csv', `${at}, column relevance: "${rel}" is not 1, 2, 3 or 4.`);
    }
    const ess = text(essential, r);
    if (ess !== null && ess !== '0' && ess !== '1') {
      throw new InputError('--csv', `${at}, column essential: "${ess}" is not 1 (essential) or 0.`);
    }
    const e = text(expert, r);
    if (e === null) throw new InputError('--csv', `${at}, column expert: the expert is missing.`);
    const i = text(item, r);
    if (i === null) throw new InputError('--csv', `${at}, column item: the item is missing.`);
    ratings[r] = { expert: e, item: i, relevance: relValue, essential: ess === null ? null : ess === '1', sortedCell: text(sortedCell, r) };
  }
  return ratings;
}

function render(r: ContentValidityResult): string {
  const rows = r.items.map((i) => [i.item, i.cell, i.iCvi, i.cvr, i.cvrCritical, i.psa, i.csv, i.verdict ?? 'NA']);
  const lines = [
    `${r.experts} experts; S-CVI/Ave ${fmt(r.sCviAve)}, S-CVI/UA ${fmt(r.sCviUa)}; CVR critical values at alpha = ${r.alpha} (one-tailed, exact)`,
    table(['item', 'cell', 'I-CVI', 'CVR', 'CVR crit', 'p_sa', 'c_sv', 'verdict'], rows),
    '',
    table(['cell', 'items', 'S-CVI/Ave', 'S-CVI/UA'], r.cells.map((c) => [c.cell, c.items, c.sCviAve, c.sCviUa])),
  ];
  for (const i of r.items) if (i.verdict !== 'keep') lines.push(`${i.item}: ${i.reasons.join('; ')}`);
  for (const w of r.diagnostics.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('content-validity')
    .description('expert-panel content validity: I-CVI, S-CVI, Lawshe CVR with exact critical values, item-sort p_sa and c_sv, verdicts')
    .requiredOption('--csv <file>', 'ratings CSV: expert,item,relevance[,essential][,sortedCell]')
    .requiredOption('--map <file>', 'item map JSON giving each item its intended cell')
    .option('--alpha <p>', 'one-tailed level of the CVR critical values (default .05)')
    .option('--json', 'one JSON object on stdout')
    .action((opts: { csv: string; map: string; alpha?: string; json?: boolean }) => {
      const alpha = opts.alpha === undefined ? 0.05 : parseNumber(opts.alpha, '--alpha', { min: 1e-12, max: 0.5 });
      const map = readItemMap(opts.map);
      const ratings = readRatings(opts.csv);
      let result: ContentValidityResult;
      try {
        result = contentValidity(ratings, map, { alpha });
      } catch (err) {
        if (err instanceof InputError && err.argument === 'map') throw new InputError('--map', `--map ${opts.map}: ${err.message}`);
        if (err instanceof InputError) throw new InputError('--csv', `--csv ${opts.csv}: ${err.message}`);
        throw err;
      }
      emit(result, opts.json === true, render);
    });
}
