import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { InputError } from '../../analysis/errors.js';
import {
  CURRENT_VERSION,
  INSTRUMENT_VERSIONS,
  LOCALES,
  buildQuestionnaire,
  compareVersions,
  deriveVersion,
  describeInstrument,
  getInstrumentVersion,
  isCell,
  itemMap,
  itemRows,
  parseInstrumentVersion,
  type DeriveOptions,
  type InstrumentDescription,
  type InstrumentVersion,
  type Locale,
  type VersionComparison,
} from '../../instrument/index.js';
import { parseChoice, parseNumber } from '../io/args.js';
import { emit, writeStdout } from '../output.js';

const FORMATS = ['csv', 'json', 'surveyjs', 'map'] as const;
type ExportFormat = (typeof FORMATS)[number];

function readJson(path: string, flag: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(flag, `${flag} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : 'it cannot be read'}.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(flag, `${flag} ${path} is not valid JSON.`);
  }
}

/** A published version by id (`v1`), or a version JSON file (`v2.json`) as `export --format json` or `derive` write it. */
function loadVersion(ref: string, flag: string): InstrumentVersion {
  return ref.endsWith('.json') ? parseInstrumentVersion(readJson(ref, flag)) : getInstrumentVersion(ref);
}

function renderShow(d: InstrumentDescription): string {
  const head = `SEI-CI instrument ${d.version} (published ${d.published}${d.basedOn ? `, based on ${d.basedOn}` : ''}), locale ${d.locale}, ${d.items.length} items`;
  const lines: string[] = [head];
  let group = '';
  for (const i of d.items) {
    const g = i.cell ?? i.scale;
    if (g !== group) {
      lines.push('', `${g} (${i.scaleMin}-${i.scaleMax})`);
      group = g;
    }
    lines.push(`  ${i.id.padEnd(7)} ${i.reverse ? '(R)' : '   '} ${i.text}`);
  }
  return lines.join('\n');
}

function renderComparison(c: VersionComparison): string {
  return [
    `${c.from} -> ${c.to}: ${c.unchanged.length} unchanged, ${c.revised.length} revised, ${c.retired.length} retired, ${c.added.length} added`,
    ...c.revised.map((r) => `  revised  ${r.from} -> ${r.to}`),
    ...c.retired.map((id) => `  retired  ${id}`),
    ...c.added.map((id) => `  added    ${id}`),
    ...c.conflicting.map((id) => `  CONFLICT ${id} (same id, different content)`),
  ].join('\n');
}

/** `seici instrument show|export|versions|compare`: read and export the SEI-CI item bank. */
export function register(program: Command): void {
  // `--version` here names an instrument version; without positional options the root
  // program would take it as its own `--version` flag wherever it appears.
  program.enablePositionalOptions();
  const cmd = program.command('instrument').description('show, export and compare SEI-CI instrument versions');

  cmd
    .command('show')
    .description('list a version\'s items with cell or scale, keying, range and text')
    .option('--version <id>', 'instrument version id, or a version JSON file', CURRENT_VERSION.id)
    .option('--locale <locale>', `text language (${LOCALES.join(', ')})`, 'en')
    .option('--cell <cell>', 'only the items of one cell (e.g. SxA)')
    .option('--json', 'one JSON object on stdout')
    .action((opts: { version: string; locale: string; cell?: string; json?: boolean }) => {
      const version = loadVersion(opts.version, '--version');
      const locale = parseChoice(opts.locale, '--locale', LOCALES, 'en');
      const d = describeInstrument(version, locale);
      if (opts.cell !== undefined && !isCell(opts.cell)) {
        throw new InputError('--cell', `--cell must be one of SxA, SxC, SxV, RxA, RxC, RxV, TxA, TxC, TxV; got "${opts.cell}".`);
      }
      const shown = opts.cell === undefined ? d : { ...d, items: d.items.filter((i) => i.cell === opts.cell) };
      emit(shown, opts.json ?? false, renderShow);
    });

  cmd
    .command('export')
    .description('export a version as an item CSV, the version JSON, the SurveyJS questionnaire or the score item map')
    .requiredOption('--format <format>', FORMATS.join('|'))
    .option('--version <id>', 'instrument version id, or a version JSON file', CURRENT_VERSION.id)
    .option('--locale <locales>', `questionnaire language(s), comma-separated, first shown first (${LOCALES.join(', ')})`, 'en')
    .option('--seed <n>', 'fix the questionnaire\'s within-page order with this seed')
    .option('--min-group <n>', 'minimum group size named in the questionnaire\'s privacy statement', '5')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--json', 'one JSON object on stdout')
    .action((opts: { format: string; version: string; locale: string; seed?: string; minGroup: string; out?: string; json?: boolean }) => {
      const format = parseChoice(opts.format, '--format', FORMATS, 'json') as ExportFormat;
      const version = loadVersion(opts.version, '--version');
      const locales = opts.locale.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (locales.length === 0) throw new InputError('--locale', '--locale must name at least one locale.');
      for (const l of locales) parseChoice(l, '--locale', LOCALES, 'en');
      let content: unknown;
      if (format === 'csv') {
        const rows = itemRows(version);
        content = stringify(rows, { header: true, columns: Object.keys(rows[0]), cast: { boolean: (b) => (b ? 'true' : 'false') } });
      } else if (format === 'json') {
        content = version;
      } else if (format === 'map') {
        content = itemMap(version);
      } else {
        content = buildQuestionnaire(version, locales as Locale[], {
          seed: opts.seed === undefined ? undefined : parseNumber(opts.seed, '--seed', { integer: true, min: 0 }),
          minGroupSize: parseNumber(opts.minGroup, '--min-group', { integer: true, min: 3 }),
        });
      }
      const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n';
      if (opts.out !== undefined) {
        try {
          writeFileSync(opts.out, text);
        } catch (err) {
          throw new InputError('--out', `--out ${opts.out} cannot be written (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
        }
        emit({ format, version: version.id, out: opts.out, items: version.items.length }, opts.json ?? false, (r) => `wrote ${r.format} of instrument ${r.version} (${r.items} items) to ${r.out}`);
      } else if (opts.json) {
        emit(typeof content === 'string' ? { format, version: version.id, csv: content } : content, true);
      } else {
        writeStdout(text);
      }
    });

  cmd
    .command('versions')
    .description('list the published instrument versions')
    .option('--json', 'one JSON object on stdout')
    .action((opts: { json?: boolean }) => {
      const versions = INSTRUMENT_VERSIONS.map((v) => ({
        id: v.id,
        published: v.published,
        basedOn: v.basedOn,
        items: v.items.length,
        seiItems: v.items.filter((i) => i.cell !== null).length,
        carriedOver: v.carriedOver.length,
      }));
      emit({ current: CURRENT_VERSION.id, versions }, opts.json ?? false);
    });

  cmd
    .command('compare')
    .description('compare two versions (ids or version JSON files) item by item')
    .requiredOption('--from <id>', 'the earlier version')
    .requiredOption('--to <id>', 'the later version')
    .option('--json', 'one JSON object on stdout')
    .action((opts: { from: string; to: string; json?: boolean }) => {
      const from = loadVersion(opts.from, '--from');
      const to = loadVersion(opts.to, '--to');
      emit(compareVersions(from, to, INSTRUMENT_VERSIONS), opts.json ?? false, renderComparison);
    });

  cmd
    .command('derive')
    .description('derive a new version from a base version and a change list, and write it as version JSON')
    .requiredOption('--from <version>', 'the base version: an id or a version JSON file')
    .requiredOption('--changes <file>', 'JSON {id, published, title?, changes: [{kind: retire|revise|add, ...}]}')
    .requiredOption('--out <file>', 'where to write the new version JSON')
    .option('--json', 'one JSON object on stdout')
    .action((opts: { from: string; changes: string; out: string; json?: boolean }) => {
      const base = loadVersion(opts.from, '--from');
      const spec = readJson(opts.changes, '--changes') as DeriveOptions;
      if (typeof spec !== 'object' || spec === null || !Array.isArray(spec.changes) || typeof spec.id !== 'string' || typeof spec.published !== 'string') {
        throw new InputError('--changes', `--changes ${opts.changes} must hold an object with id, published and a changes list.`);
      }
      const next = deriveVersion(base, spec);
      try {
        writeFileSync(opts.out, JSON.stringify(next, null, 2) + '\n');
      } catch (err) {
        throw new InputError('--out', `--out ${opts.out} cannot be written (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
      }
      emit(compareVersions(base, next), opts.json ?? false, renderComparison);
    });
}
