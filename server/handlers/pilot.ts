import type { PilotPurification } from '../../analysis/index.js';
import { conflict, notFound } from '../errors.js';
import { findAnalysis, latestDoneAnalysis } from '../queries/analyses.js';
import type { Services } from '../services.js';
import { audit } from './audit.js';
import { createVersion } from './instrument.js';
import { effectiveStatus, requireWave } from './waves.js';

/**
 * Queues the pilot purification of a closed, published wave: a stored run of kind `pilot`
 * derived from the wave's latest publication (its published units' valid respondents only).
 */
export async function requestPilot(s: Services, actor: string, waveId: number) {
  const wave = await requireWave(s, waveId);
  if (effectiveStatus(wave, s.clock()) !== 'closed') throw conflict(`Wave ${waveId} is still open; a pilot analysis needs its closed, published answers.`);
  const parent = await latestDoneAnalysis(s.db, waveId);
  if (!parent) throw conflict(`Wave ${waveId} has no finished publication yet; the pilot analysis starts from it (POST /api/v1/waves/${waveId}/analyses).`);
  const run = await s.analyses.request(waveId, actor, 'pilot', parent.id);
  await audit(s, actor, 'analysis.request', `wave:${waveId}`, { analysisId: run.id, kind: 'pilot' });
  return { id: run.id, waveId, kind: run.kind, status: run.status, createdAt: run.createdAt, startedAt: run.startedAt, finishedAt: run.finishedAt, parentId: parent.id };
}

/**
 * Turns a finished pilot run's verdicts into a draft of the wave's instrument version: every item
 * to drop is retired with its reasons and statistics as evidence (the run's id included, which
 * the draft editor links to); items to revise need new wording, so they are stored with the draft
 * as revision requests (reasons and evidence) that the editor shows beside each of them. A run
 * whose verdicts only revise makes a draft with no change yet (it cannot be published until one
 * is written); 409 when the run flags no item.
 */
export async function draftFromPilot(s: Services, actor: string, analysisId: number, version: string) {
  const run = await findAnalysis(s.db, analysisId);
  if (!run) throw notFound(`No analysis has the id ${analysisId}.`);
  if (run.kind !== 'pilot') throw conflict(`Analysis ${analysisId} is a ${run.kind} run; a draft is made from a pilot run.`);
  if (run.status !== 'done' || !run.results) throw conflict(`Pilot analysis ${analysisId} has not finished (${run.status}).`);
  const wave = await requireWave(s, run.waveId);
  const pilot = run.results as PilotPurification;
  const drop = pilot.items.filter((i) => i.verdict === 'drop');
  const revise = pilot.items.filter((i) => i.verdict === 'revise');
  if (drop.length === 0 && revise.length === 0) throw conflict(`Pilot analysis ${analysisId} flags no item; every item is kept, so there is nothing to change.`);
  const evidence = (i: PilotPurification['items'][number]) => ({
    analysisId,
    statistics: Object.fromEntries(
      Object.entries({ flags: i.flags.join(', '), loading: i.statistics.loading, rDrop: i.statistics.rDrop, ownCellR: i.statistics.ownCellR, nearestOtherCell: i.statistics.nearestOtherCell, nearestOtherCellR: i.statistics.nearestOtherCellR, nonInvariant: i.statistics.nonInvariant.join(', ') || null }).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toFixed(3)) : v]),
    ),
  });
  const toRevise = revise.map((i) => ({ item: i.item, reasons: [...i.reasons], evidence: evidence(i) }));
  const draft = await createVersion(
    s,
    actor,
    {
      from: wave.instrumentVersion,
      version,
      changes: drop.map((i) => ({ action: 'retire' as const, item: i.item, reason: `Pilot: ${i.reasons.join('; ')}.`, evidence: evidence(i) })),
    },
    toRevise,
  );
  return { ...draft, toRevise };
}
