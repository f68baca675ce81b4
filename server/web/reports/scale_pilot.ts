import type { PilotPurification } from '../../../analysis/index.js';
import { findAnalysis } from '../../queries/analyses.js';
import { findWave } from '../../queries/waves.js';
import type { Services } from '../../services.js';

const FLAG_LABELS: Readonly<Record<string, string>> = {
  'item-total': 'low item-total r',
  floor: 'floor effect',
  ceiling: 'ceiling effect',
  'cell-reliability': 'weakens an unreliable cell',
  'wrong-cell': 'wrong cell',
  'low-loading': 'low loading',
  'non-invariant': 'not invariant',
};

/**
 * The console page of a stored pilot run (kind `pilot`): each flagged item with its verdict,
 * reasons and numbers, the kept items' statistics, and the form that turns the verdicts into a
 * draft version. Undefined when the run is not a pilot run (the analysis page shows it then).
 */
export async function pilotPage(s: Services, id: number) {
  const run = await findAnalysis(s.db, id);
  if (!run || run.kind !== 'pilot') return undefined;
  const wave = (await findWave(s.db, run.waveId))!;
  const pilot = run.status === 'done' && run.results ? (run.results as PilotPurification) : null;
  const view = (i: PilotPurification['items'][number]) => ({ ...i, flagLabels: i.flags.map((f) => FLAG_LABELS[f] ?? f) });
  // Runs stored before the nine-cell model was fitted have no measurementModel.
  const model = pilot?.measurementModel ?? null;
  const validity = (pilot?.validity ?? []).flatMap((v) => ('factors' in v ? [{ ...v, maxHtmt: Math.max(...v.htmt.map((h) => h.value)) }] : []));
  return {
    wave,
    run: { ...run, results: null },
    pilot,
    flagged: pilot ? pilot.items.filter((i) => i.verdict !== 'keep').map(view) : [],
    kept: pilot ? pilot.items.filter((i) => i.verdict === 'keep').map(view) : [],
    drops: pilot ? pilot.items.filter((i) => i.verdict === 'drop').length : 0,
    revisions: pilot ? pilot.items.filter((i) => i.verdict === 'revise').length : 0,
    model,
    validity,
    active: run.status === 'queued' || run.status === 'running',
    failed: run.status === 'failed',
  };
}
