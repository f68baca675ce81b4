import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../analysis/errors.js';
import { researchPanelCsv, simulatePanel, simulateResearchPanel, type PanelSpec, type ResearchPanelSpec, type SimulatedPanel } from '../../analysis/index.js';
import { parseList, parseNumber } from '../io/args.js';
import { emit } from '../output.js';

/** One CSV field: quoted only when it holds a comma, quote or line break (RFC 4180). */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The respondent CSV of a simulated panel: context, unit, wave, respondent[, seconds], items; missing answers empty. */
export function panelCsv(panel: SimulatedPanel): string {
  const head = ['context', 'unit', 'wave', 'respondent', ...(panel.seconds ? ['seconds'] : []), ...panel.items];
  const lines = new Array<string>(panel.answers.length + 1);
  lines[0] = head.map(field).join(',');
  for (let r = 0; r < panel.answers.length; r++) {
    const prefix = `${field(panel.context[r])},${field(panel.unit[r])},${field(panel.wave[r])},${panel.respondent[r]}`;
    const time = panel.seconds ? `,${panel.seconds[r]}` : '';
    const row = panel.answers[r];
    let values = '';
    for (let j = 0; j < row.length; j++) values += Number.isNaN(row[j]) ? ',' : `,${row[j]}`;
    lines[r + 1] = prefix + time + values;
  }
  return lines.join('\n') + '\n';
}

function readSpec(path: string): PanelSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError('--spec', `--spec ${path}: no such file or it cannot be read.`);
  }
  try {
    const spec = JSON.parse(text) as unknown;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new Error('not an object');
    return spec as PanelSpec;
  } catch {
    throw new InputError('--spec', `--spec ${path} must hold one JSON object (a panel spec).`);
  }
}

function write(path: string, text: string, flag: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (err) {
    throw new InputError(flag, `${flag} ${path} cannot be written (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

interface SimulateFlags {
  seed?: string;
  spec?: string;
  contexts?: string;
  unitsPerContext?: string;
  unitSize?: string;
  waves?: string;
  itemsPerCell?: string;
  scaleMin?: string;
  scaleMax?: string;
  loading?: string;
  icc1?: string;
  driftShare?: string;
  driftPerWave?: string;
  missing?: string;
  careless?: string;
  completionTime?: boolean;
  noninvariantContext?: string;
  noninvariantItems?: string;
  noninvariantIntercept?: string;
  noninvariantLoading?: string;
  misplaced?: string;
  itemIcc?: string;
  out?: string;
  outCsv?: string;
  outMap?: string;
  outTruth?: string;
  truth?: boolean;
  json?: boolean;
  research?: boolean;
  units?: string;
  peak?: string;
  curvature?: string;
  att?: string;
  eventWave?: string;
  treatedShare?: string;
  nullEffects?: boolean;
}

/** The research panel spec from --spec overlaid with the research flags; --null-effects plants none. */
function researchSpecFrom(o: SimulateFlags): ResearchPanelSpec {
  // --spec is untyped user JSON that the flags below overlay field by field before it is read as a ResearchPanelSpec.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const base = (o.spec ? readSpec(o.spec) : {}) as Record<string, any>;
  const num = (v: string | undefined, flag: string, opts = {}) => (v === undefined ? undefined : parseNumber(v, flag, opts));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const spec: Record<string, any> = o.nullEffects
    ? {
        ...base,
        indirect: { aSC: 0, aRC: 0, bTC: 0 }, moderation: { SC: 0, RC: 0 }, levers: { AC: 0, AV: 0, CV: 0 },
        dominance: { drift: 0, rework: 0 }, visibility: { coherence: 0, outcome: 0 }, leadership: { pq: 0, drift: 0 },
        invertedU: { curvature: 0, peak: 0.5 }, treatment: { ...(base.treatment ?? {}), att: 0 },
      }
    : { ...base };
  const units = num(o.units, '--units', { integer: true, min: 4 });
  if (units !== undefined) spec.units = units;
  if (o.waves !== undefined) spec.waves = parseList(o.waves, '--waves');
  const peak = num(o.peak, '--peak');
  const curvature = num(o.curvature, '--curvature', { min: 0 });
  if (peak !== undefined || curvature !== undefined) spec.invertedU = { ...spec.invertedU, ...(peak !== undefined ? { peak } : {}), ...(curvature !== undefined ? { curvature } : {}) };
  const att = num(o.att, '--att');
  const share = num(o.treatedShare, '--treated-share', { min: 0, max: 1 });
  if (att !== undefined || share !== undefined || o.eventWave !== undefined) {
    spec.treatment = { ...spec.treatment, ...(att !== undefined ? { att } : {}), ...(share !== undefined ? { share } : {}), ...(o.eventWave !== undefined ? { wave: o.eventWave } : {}) };
  }
  return spec as ResearchPanelSpec;
}

function simulateResearch(o: SimulateFlags, seed: number): void {
  const csvPath = o.outCsv ?? (o.out ? join(o.out, 'research-panel.csv') : undefined);
  const truthPath = o.outTruth ?? (o.out && o.truth ? join(o.out, 'truth.json') : undefined);
  if (!csvPath && !truthPath) throw new InputError('--out', 'say where to write the research panel: --out DIR, or --out-csv/--out-truth.');
  const panel = simulateResearchPanel(researchSpecFrom(o), seed);
  if (csvPath) write(csvPath, researchPanelCsv(panel), o.outCsv ? '--out-csv' : '--out');
  if (truthPath) write(truthPath, JSON.stringify(panel.truth, null, 2) + '\n', o.outTruth ? '--out-truth' : '--out');
  emit({ seed, rows: panel.rows.length, units: panel.truth.units, waves: panel.truth.waves, truth: panel.truth, files: { csv: csvPath ?? null, truth: truthPath ?? null } }, o.json === true);
}

/** The panel spec from --spec overlaid with the single-value flags. */
function specFrom(o: SimulateFlags): PanelSpec {
  const spec: Record<string, unknown> = o.spec ? { ...readSpec(o.spec) } : {};
  const num = (v: string | undefined, flag: string, opts = {}) => (v === undefined ? undefined : parseNumber(v, flag, opts));
  const set = (key: string, value: unknown) => {
    if (value !== undefined) spec[key] = value;
  };
  if (o.contexts !== undefined) spec.contexts = parseList(o.contexts, '--contexts');
  if (o.waves !== undefined) spec.waves = parseList(o.waves, '--waves');
  set('unitsPerContext', num(o.unitsPerContext, '--units-per-context', { integer: true, min: 1 }));
  const size = num(o.unitSize, '--unit-size', { min: 1 });
  if (size !== undefined) spec.unitSize = { ...(spec.unitSize as object), mean: size };
  set('itemsPerCell', num(o.itemsPerCell, '--items-per-cell', { integer: true, min: 1, max: 50 }));
  set('scaleMin', num(o.scaleMin, '--scale-min', { integer: true }));
  set('scaleMax', num(o.scaleMax, '--scale-max', { integer: true }));
  set('loadings', num(o.loading, '--loading', { min: 0.01, max: 0.99 }));
  set('icc1', num(o.icc1, '--icc1', { min: 0, max: 0.99 }));
  const share = num(o.driftShare, '--drift-share', { min: 0, max: 1 });
  const perWave = num(o.driftPerWave, '--drift-per-wave');
  if (share !== undefined || perWave !== undefined) {
    const prior = (spec.drift ?? { share: 0 }) as { share: number; perWave?: number };
    spec.drift = { ...prior, ...(share !== undefined ? { share } : {}), ...(perWave !== undefined ? { perWave } : {}) };
  }
  set('missing', num(o.missing, '--missing', { min: 0, max: 1 }));
  const careless = num(o.careless, '--careless', { min: 0, max: 1 });
  if (careless !== undefined) spec.careless = { ...(spec.careless as object), share: careless };
  if (o.completionTime) spec.completionTime = true;
  if (o.noninvariantContext !== undefined || o.noninvariantItems !== undefined) {
    if (o.noninvariantContext === undefined || o.noninvariantItems === undefined) {
      throw new InputError('--noninvariant-items', '--noninvariant-context and --noninvariant-items go together.');
    }
    const entry = {
      context: o.noninvariantContext,
      items: parseList(o.noninvariantItems, '--noninvariant-items'),
      intercept: num(o.noninvariantIntercept, '--noninvariant-intercept'),
      loading: num(o.noninvariantLoading, '--noninvariant-loading', { min: 0.01, max: 0.99 }),
    };
    spec.nonInvariance = [...((spec.nonInvariance as unknown[]) ?? []), entry];
  }
  if (o.misplaced !== undefined) {
    const entries = parseList(o.misplaced, '--misplaced').map((pair) => {
      const [item, cell] = pair.split('=');
      if (!item || !cell) throw new InputError('--misplaced', `--misplaced takes ITEM=CELL pairs (e.g. SxA_3=RxC); got "${pair}".`);
      return { item, cell };
    });
    spec.misplaced = [...((spec.misplaced as unknown[]) ?? []), ...entries];
  }
  set('itemIcc', num(o.itemIcc, '--item-icc', { min: 0, max: 0.99 }));
  return spec as PanelSpec;
}

export function register(program: Command): void {
  program
    .command('simulate')
    .description('Seeded SEI-CI panel from a population model: respondent CSV, item map, and the truth')
    .option('--seed <n>', 'random seed (default 1)')
    .option('--spec <file>', 'panel spec JSON (see analysis/simulation/panel_spec.ts); flags override it')
    .option('--contexts <names>', 'context names, comma-separated (default A)')
    .option('--units-per-context <n>', 'units in each context (default 10)')
    .option('--unit-size <mean>', 'mean respondents per unit-wave (default 8)')
    .option('--waves <names>', 'wave names (default W1,W2,W3)')
    .option('--items-per-cell <k>', 'items per cell (default 8; the last is reverse-keyed)')
    .option('--scale-min <n>', 'lowest answer (default 1)')
    .option('--scale-max <n>', 'highest answer (default 7)')
    .option('--loading <x>', 'loading of every item on its cell factor (default 0.7)')
    .option('--icc1 <x>', 'between-unit share of each latent cell factor (default 0.2)')
    .option('--drift-share <x>', 'share of units whose dimensions drift apart (default 0)')
    .option('--drift-per-wave <x>', 'latent SD the drifting dimensions move per wave (default 0.4)')
    .option('--missing <x>', 'share of answers missing at random (default 0)')
    .option('--careless <x>', 'share of careless respondents (default 0)')
    .option('--completion-time', 'add a completion time column "seconds"')
    .option('--noninvariant-context <name>', 'context in which some items are not invariant')
    .option('--noninvariant-items <ids>', 'the non-invariant items')
    .option('--noninvariant-intercept <x>', 'their intercept shift (latent SD)')
    .option('--noninvariant-loading <x>', 'their loading in that context')
    .option('--misplaced <pairs>', 'items that measure another cell, as ITEM=CELL pairs (e.g. SxA_3=RxC)')
    .option('--item-icc <x>', 'between-unit share of each item\'s unique variance (default 0)')
    .option('--out <dir>', 'write DIR/panel.csv and DIR/map.json (and DIR/truth.json with --truth)')
    .option('--out-csv <file>', 'where to write the respondent CSV')
    .option('--out-map <file>', 'where to write the item map JSON')
    .option('--out-truth <file>', 'where to write the population truth JSON')
    .option('--truth', 'with --out, also write truth.json')
    .option('--json', 'one JSON object on stdout')
    .option('--research', 'instead: a unit-wave research panel with H1–H7 and a treatment planted (DIR/research-panel.csv)')
    .option('--units <n>', 'research: units (default 200)')
    .option('--peak <m>', 'research: M at which PQ peaks (default 0.5)')
    .option('--curvature <q>', 'research: PQ falls by q·(M − peak)² (default 1.5)')
    .option('--att <x>', 'research: treatment effect on PQ (default 0.4)')
    .option('--event-wave <w>', 'research: the wave of the interface change (default the third)')
    .option('--treated-share <x>', 'research: share of units treated (default 0.5)')
    .option('--null-effects', 'research: plant no effect at all (a null panel)')
    .action((o: SimulateFlags) => {
      const seed = o.seed === undefined ? 1 : parseNumber(o.seed, '--seed', { integer: true });
      if (o.research) return simulateResearch(o, seed);
      const csvPath = o.outCsv ?? (o.out ? join(o.out, 'panel.csv') : undefined);
      const mapPath = o.outMap ?? (o.out ? join(o.out, 'map.json') : undefined);
      const truthPath = o.outTruth ?? (o.out && o.truth ? join(o.out, 'truth.json') : undefined);
      if (!csvPath && !mapPath && !truthPath) {
        throw new InputError('--out', 'say where to write the panel: --out DIR, or --out-csv/--out-map/--out-truth.');
      }
      const panel = simulatePanel(specFrom(o), seed);
      if (csvPath) write(csvPath, panelCsv(panel), o.outCsv ? '--out-csv' : '--out');
      if (mapPath) write(mapPath, JSON.stringify(panel.map, null, 2) + '\n', o.outMap ? '--out-map' : '--out');
      if (truthPath) write(truthPath, JSON.stringify(panel.truth, null, 2) + '\n', o.outTruth ? '--out-truth' : '--out');
      const summary = {
        seed,
        respondents: panel.answers.length,
        units: panel.truth.units.length,
        waves: panel.truth.spec.waves,
        items: panel.items.length,
        careless: panel.truth.careless.length,
        files: { csv: csvPath ?? null, map: mapPath ?? null, truth: truthPath ?? null },
      };
      emit(summary, o.json === true);
    });
}
