import type { z } from 'zod';
import { iso } from '../clock.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { audit } from '../handlers/audit.js';
import { effectiveStatus } from '../handlers/waves.js';
import { findAnalysis, latestDoneAnalysis, type AnalysisRecord } from '../queries/analyses.js';
import { findWave, listWaves, type WaveRecord } from '../queries/waves.js';
import type { Services } from '../services.js';
import { insertResearchRun, latestResearchRunId, listInterfaceChanges, performanceMeasures, runOptions } from './queries.js';
import { DEFAULT_BOOTSTRAP, DEFAULT_SEED, type ResearchOptions, type ResearchRequest } from './schemas.js';
import { researchRunPanel, type ResearchPublication } from '../../analysis/index.js';
import { researchPanelCsv } from '../bundles/research_bundle.js';
import { researchPublicationInput } from './research_input.js';


/** A stored research run as the API shows it: the run, what it was asked for, and its publication when done. */
export function researchView(a: AnalysisRecord, options: ResearchOptions) {
  return {
    id: a.id,
    waveId: a.waveId,
    kind: a.kind,
    status: a.status,
    createdAt: a.createdAt,
    startedAt: a.startedAt,
    finishedAt: a.finishedAt,
    options,
    ...(a.error ? { error: a.error } : {}),
    ...(a.status === 'done' && a.results && a.pipelineVersion !== null ? { results: a.results } : {}),
  };
}

const byTime = (a: WaveRecord, b: WaveRecord) => (a.opensAt < b.opensAt ? -1 : a.opensAt > b.opensAt ? 1 : a.id - b.id);

/**
 * Queues a research run over three closed, published waves (T1, T2, T3): those named, in time
 * order, or the latest three. The run reads the waves' stored publications (pinned here by id),
 * so that it is computed from exactly what was published; the PQ measure is the one named, or
 * the only one imported. The interface changes recorded now (the panel designs' treatment) are
 * pinned with the options too.
 */
export async function requestResearch(s: Services, actor: string, body: z.output<typeof ResearchRequest>) {
  const now = s.clock();
  let waves: WaveRecord[];
  if (body.waves) {
    waves = [];
    for (const id of body.waves) {
      const wave = await findWave(s.db, id);
      if (!wave) throw notFound(`No wave has the id ${id}.`);
      if (effectiveStatus(wave, now) !== 'closed') throw conflict(`Wave "${wave.name}" is still open; the research design uses closed waves only.`);
      waves.push(wave);
    }
    if (new Set(body.waves).size !== 3) throw badRequest('waves must name three different waves (T1, T2, T3).');
    const sorted = [...waves].sort(byTime);
    if (sorted.some((w, k) => w.id !== waves[k].id)) throw badRequest(`waves must be in time order (T1, T2, T3); by opening date they are ${sorted.map((w) => w.id).join(', ')}.`);
  } else {
    const closed = (await listWaves(s.db)).filter((w) => effectiveStatus(w, now) === 'closed').sort(byTime);
    const analysed: WaveRecord[] = [];
    for (const w of closed) if (await latestDoneAnalysis(s.db, w.id)) analysed.push(w);
    if (analysed.length < 3) throw conflict(`The research design needs three closed, analysed waves; the organisation has ${analysed.length}.`);
    waves = analysed.slice(-3);
  }
  const versions = [...new Set(waves.map((w) => w.instrumentVersion))];
  if (versions.length > 1) throw badRequest(`waves use different instrument versions (${versions.join(', ')}); the research panel compares the scores of one version.`);
  const publications: number[] = [];
  for (const w of waves) {
    const run = await latestDoneAnalysis(s.db, w.id);
    if (!run) throw conflict(`Wave "${w.name}" has no finished analysis yet; its publication is what the research run reads.`);
    publications.push(run.id);
  }
  const measures = await performanceMeasures(s.db);
  let pqMeasure: string | null;
  if (body.pqMeasure !== undefined) {
    if (!measures.includes(body.pqMeasure)) {
      throw badRequest(`pqMeasure "${body.pqMeasure}" is not an imported performance-quality measure${measures.length ? ` (there are ${measures.join(', ')})` : ' (none is imported)'}.`);
    }
    pqMeasure = body.pqMeasure;
  } else if (measures.length > 1) {
    throw badRequest(`Several performance-quality measures are imported (${measures.join(', ')}); name one as pqMeasure.`);
  } else {
    pqMeasure = measures[0] ?? null;
  }
  const interfaceChanges = (await listInterfaceChanges(s.db)).map((c) => ({ unit: c.unitKey, on: c.on }));
  const options: ResearchOptions = { waves: waves.map((w) => w.id), publications, pqMeasure, bootstrap: body.bootstrap ?? DEFAULT_BOOTSTRAP, seed: body.seed ?? DEFAULT_SEED, interfaceChanges };
  const id = await insertResearchRun(s.db, { waveId: waves[2].id, parentId: publications[2], requestedBy: actor, createdAt: iso(now), options });
  await audit(s, actor, 'research.request', `wave:${waves[2].id}`, { analysisId: id, ...options });
  s.analyses.kick();
  return researchView((await findAnalysis(s.db, id))!, options);
}

/** The newest research run (any state; `done` only finished ones), or a 404 that says how to start one. */
export async function latestResearch(s: Services, done = false) {
  const id = await latestResearchRunId(s.db, done);
  if (id === undefined) {
    throw notFound(`No research run ${done ? 'has finished' : 'was started'} yet; start one with POST /api/v1/research/analyses (or on the console's Research page).`);
  }
  return researchView((await findAnalysis(s.db, id))!, (await runOptions(s.db, id))!);
}

/**
 * The research panel export: the unit-wave panel the newest finished research run tested (unit
 * level only: published units of its pinned publications, supplementary means over at least the
 * minimum group size), rebuilt from what the run pinned, as CSV.
 */
export async function latestResearchPanel(s: Services): Promise<{ csv: string; id: number }> {
  const id = await latestResearchRunId(s.db, true);
  if (id === undefined) throw notFound('No research run has finished yet; the research panel is the panel of a finished run.');
  const record = (await findAnalysis(s.db, id))!;
  let input;
  try {
    input = await researchPublicationInput(s.db, s.instruments, record);
  } catch (err) {
    throw conflict(`The panel of research run ${id} cannot be rebuilt: ${(err as Error).message}.`);
  }
  return { id, csv: researchPanelCsv(record.results as ResearchPublication, researchRunPanel(input).panel) };
}
