import { renderSvg, responseRateSpec } from '../charts/index.js';
import { listUnits } from '../queries/units.js';
import { waveProgress } from '../queries/waves.js';
import type { Services } from '../services.js';

/** One unit's row of the live participation table. */
export interface ResponseRateRow {
  readonly unitKey: string;
  readonly unitName: string;
  /** True once the unit has at least the minimum group size of complete answer sets: its results can be published. */
  readonly reportable: boolean;
  readonly invited: number;
  readonly started: number;
  readonly complete: number;
  /** started / invited and complete / invited; null before any link is issued. */
  readonly startedRate: number | null;
  readonly rate: number | null;
}

export interface ResponseRates {
  readonly minGroupSize: number;
  readonly rows: readonly ResponseRateRow[];
  readonly reportableUnits: number;
  readonly belowMinimum: number;
  readonly invited: number;
  readonly started: number;
  readonly complete: number;
  /** The wave's overall response rate: complete / invited over every unit; null before any link is issued. */
  readonly rate: number | null;
  readonly chart: string | null;
}

/**
 * A wave's participation per unit: invitation links issued, answer sets started and complete,
 * and their rates, for every unit, and the wave's overall rate. Participation is not a result:
 * the minimum group size hides a small unit's results (scores, reports, exports), not how many
 * links it was given or returned, so every unit is listed with its counts and marked whether it
 * has reached the minimum yet. Charted with the response-rate chart, units by name.
 */
export async function responseRates(s: Services, waveId: number, minGroupSize: number, title: string): Promise<ResponseRates> {
  const progress = await waveProgress(s.db, waveId);
  const names = new Map((await listUnits(s.db)).map((u) => [u.key, u.name]));
  const share = (x: number, of: number) => (of > 0 ? x / of : null);
  const rows: ResponseRateRow[] = progress.map((p) => ({
    unitKey: p.unitKey,
    unitName: names.get(p.unitKey) ?? p.unitKey,
    reportable: p.complete >= minGroupSize,
    invited: p.invited,
    started: p.started,
    complete: p.complete,
    startedRate: share(p.started, p.invited),
    rate: share(p.complete, p.invited),
  }));
  const total = (pick: (r: ResponseRateRow) => number) => rows.reduce((a, r) => a + pick(r), 0);
  const invited = total((r) => r.invited);
  const complete = total((r) => r.complete);
  const reportable = rows.filter((r) => r.reportable).length;
  const chart =
    rows.length > 0
      ? await renderSvg(
          responseRateSpec({
            title,
            subtitle: `Complete answer sets over links issued; results are published for units with at least ${minGroupSize} complete`,
            minGroupSize,
            units: rows.map((r) => ({ unit: r.unitName, invited: Math.max(r.invited, r.complete), responded: r.complete })),
          }),
        )
      : null;
  return {
    minGroupSize,
    rows,
    reportableUnits: reportable,
    belowMinimum: rows.length - reportable,
    invited,
    started: total((r) => r.started),
    complete,
    rate: share(complete, invited),
    chart,
  };
}
