import type { Command } from 'commander';
import { InputError } from '../../analysis/errors.js';
// modules imported one by one, not through analysis/index.ts, so that the command starts fast
import { screenRespondents, screeningReport, type ScreeningResult } from '../../analysis/screening/screen_respondents.js';
import { LazyList } from '../../analysis/data/lazy_list.js';
import { readCsv, textValues } from '../io/csv.js';
import { parseList, parseNumber } from '../io/args.js';
import { emit, table } from '../output.js';

function render(r: ScreeningResult & { ids?: (string | null)[] }): string {
  const c = r.criteria;
  const rows = r.respondents
    .filter((x) => x.flags.length > 0)
    .map((x) => [x.row, ...(r.ids ? [r.ids[x.row - 1]] : []), x.longString, x.irv, x.mahalanobis, x.p, x.seconds ?? null, x.flags.join(' ')]);
  const lines = [
    `${r.n} respondents, ${r.items} items; ${r.flagged} flagged (reported, not removed)`,
    `criteria: long string >= ${c.maxLongString}, IRV < ${c.minIrv}, Mahalanobis p < ${c.alpha}, time < ${c.minSecondsPerItem} s per item`,
    `counts: ${Object.entries(r.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  ];
  if (rows.length > 0) lines.push(table(['row', ...(r.ids ? ['id'] : []), 'long', 'IRV', 'D2', 'p', 'seconds', 'flags'], rows));
  for (const w of r.diagnostics.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('screen')
    .description('Careless-response screens per respondent: long strings, intra-individual SD, Mahalanobis distance, completion time')
    .requiredOption('--csv <file>', 'respondent CSV')
    .requiredOption('--items <columns>', 'the items to screen (answers as given, before reverse keying)')
    .option('--time <column>', 'completion time in seconds')
    .option('--id <column>', 'a respondent id column to echo in the output')
    .option('--max-long-string <n>', 'flag strings of identical answers at least this long (default: half the items)')
    .option('--min-irv <x>', 'flag an intra-individual SD below this (default 0.5)')
    .option('--alpha <p>', 'flag a Mahalanobis distance with chi-square p below this (default .001)')
    .option('--min-seconds-per-item <s>', 'flag completion faster than this per item (default 2)')
    .option('--json', 'one JSON object on stdout')
    .action(
      (o: { csv: string; items: string; time?: string; id?: string; maxLongString?: string; minIrv?: string; alpha?: string; minSecondsPerItem?: string; json?: boolean }) => {
        const items = parseList(o.items, '--items', { min: 2 });
        const criteria = {
          maxLongString: o.maxLongString === undefined ? undefined : parseNumber(o.maxLongString, '--max-long-string', { integer: true, min: 2 }),
          minIrv: o.minIrv === undefined ? undefined : parseNumber(o.minIrv, '--min-irv', { min: 0 }),
          alpha: o.alpha === undefined ? undefined : parseNumber(o.alpha, '--alpha', { min: 1e-12, max: 0.5 }),
          minSecondsPerItem: o.minSecondsPerItem === undefined ? undefined : parseNumber(o.minSecondsPerItem, '--min-seconds-per-item', { min: 0 }),
        };
        if (o.time !== undefined && items.includes(o.time)) throw new InputError('--time', `--time names "${o.time}", which is also an item.`);
        // the reader's Float64Array columns, no row arrays; with --json each respondent's object is made as it is written
        const data = readCsv(o.csv, {
          numbers: [{ names: items, argument: '--items' }, ...(o.time === undefined ? [] : [{ names: [o.time], argument: '--time' }])],
          texts: o.id === undefined ? [] : [{ names: [o.id], argument: '--id' }],
        });
        const x = data.numbers(items);
        const seconds = o.time === undefined ? undefined : data.number(o.time);
        if (o.json === true) {
          const report = screeningReport(x, { seconds, criteria });
          const id = o.id === undefined ? undefined : data.text(o.id);
          const respondents = report.respondents;
          const out =
            id === undefined
              ? report
              : { ...report, respondents: new LazyList(respondents.length, (i) => ({ ...respondents.at(i), id: id.codes[i] < 0 ? null : id.levels[id.codes[i]] })) };
          emit(out, true);
          return;
        }
        const ids = o.id === undefined ? undefined : textValues(data, o.id);
        const result = screenRespondents(x, { seconds, criteria });
        emit(result, false, (r) => render({ ...r, ids }));
      },
    );
}
