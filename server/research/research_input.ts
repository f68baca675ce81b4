import { isCell, type Cell } from '../../instrument/model.js';
import { isInterfaceRole, supplementaryScaleKeys } from '../../instrument/index.js';
import type { ResearchPublicationInput, ResearchWave, SupplementaryKeys, WavePublication } from '../../analysis/index.js';
import type { Db } from '../db.js';
import { unitEvents } from '../dynamics/queries/traces.js';
import type { InstrumentCache } from '../instrument_cache.js';
import { findAnalysis, type AnalysisRecord } from '../queries/analyses.js';
import { completeAnswerSets } from '../queries/responses.js';
import { listUnits } from '../queries/units.js';
import { findWave } from '../queries/waves.js';
import { performanceRecords, runOptions } from './queries.js';

/** The panel columns of the rated supplementary scales, by the instrument's scale id. */
const SUPPLEMENTARY_COLUMNS = { dynamism: 'dynamism', visCoherence: 'visibilityCoherence', visOutcome: 'visibilityOutcome' } as const;

/**
 * Loads what a queued research run is a function of: the three waves' pinned publications and
 * complete answer sets, the instrument's SEI-CI items, supplementary scale keys and interface-role
 * codes, every unit's coordination events and every imported PQ value. The worker computes the
 * run from this with analysis/publication's publishResearch.
 */
export async function researchPublicationInput(db: Db, instruments: InstrumentCache, record: AnalysisRecord): Promise<ResearchPublicationInput> {
  const options = await runOptions(db, record.id);
  if (!options) throw new Error(`research run ${record.id} was stored without its options`);
  const waves: ResearchWave[] = [];
  for (const [k, waveId] of options.waves.entries()) {
    const wave = await findWave(db, waveId);
    const run = await findAnalysis(db, options.publications[k]);
    if (!wave || !run || run.status !== 'done' || !run.results) throw new Error(`the publication of wave ${waveId} that this research run reads is not stored`);
    const sets = await completeAnswerSets(db, waveId);
    waves.push({
      label: String(wave.id),
      name: wave.name,
      startsOn: wave.opensAt.slice(0, 10),
      minGroupSize: wave.minGroupSize,
      publication: run.results as WavePublication,
      answerSets: sets.map((s) => ({ unitKey: s.unitKey, answers: s.answers })),
    });
  }
  const version = (await findWave(db, options.waves[0]))!.instrumentVersion;
  const instrument = await instruments.get(version);
  const document = await instruments.document(version);
  if (!instrument || !document) throw new Error(`instrument version ${version} is not stored`);
  const keys = supplementaryScaleKeys(document);
  const supplementary: Record<string, SupplementaryKeys> = {};
  for (const [column, scale] of Object.entries(SUPPLEMENTARY_COLUMNS)) {
    const k = keys[scale];
    if (k) supplementary[column] = k;
  }
  const role = document.items.find((i) => i.scale === 'interfaceRole');
  const codes = role ? Array.from({ length: role.scaleMax - role.scaleMin + 1 }, (_, i) => role.scaleMin + i).filter(isInterfaceRole) : [];
  const events = [];
  for (const unit of await listUnits(db)) events.push(...(await unitEvents(db, unit.id, unit.key)));
  return {
    scaleMin: instrument.definition.scaleMin,
    scaleMax: instrument.definition.scaleMax,
    items: instrument.definition.items.flatMap((item) => (item.cell !== null && isCell(item.cell) ? [{ id: item.id, cell: item.cell as Cell, reverse: item.reverse }] : [])),
    supplementary,
    interfaceRole: role ? { item: role.id, codes } : null,
    waves: [waves[0], waves[1], waves[2]],
    events,
    performance: await performanceRecords(db),
    pqMeasure: options.pqMeasure,
    bootstrap: options.bootstrap,
    seed: options.seed,
    interfaceChanges: options.interfaceChanges ?? [],
  };
}
