import type { Db } from '../db.js';

/**
 * The units that every stored publication of a wave published as units (not suppressed, no
 * roll-up): what every report of the wave has shown as a unit. Null when the wave has no
 * stored publication.
 */
export async function unitsShownInEveryRun(db: Db, waveId: number): Promise<Set<string> | null> {
  const rows: { results: string }[] = await db('analyses').where({ wave_id: waveId, kind: 'wave', status: 'done' }).whereNotNull('pipeline_version').select('results');
  let shown = null as Set<string> | null;
  for (const row of rows) {
    const units = (JSON.parse(row.results) as { units: { unitKey: string; suppressed: boolean; rollup: boolean }[] }).units;
    const here = new Set(units.filter((u) => !u.suppressed && !u.rollup).map((u) => u.unitKey));
    shown = shown === null ? here : new Set([...shown].filter((u: string) => here.has(u)));
  }
  return shown;
}
