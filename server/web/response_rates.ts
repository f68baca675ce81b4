import { renderSvg, responseRateSpec } from '../charts/index.js';
import { waveProgress } from '../queries/waves.js';
import type { Services } from '../services.js';

/** One unit's row of the live response-rate table. */
export interface ResponseRateRow {
  readonly unitKey: string;
  /** True once the unit has at least the minimum group size of complete answer sets. */
  readonly reportable: boolean;
  /** Only for reportable units: the counts and the rate. Below the minimum, no number is shown. */
  readonly invited?: number;
  readonly started?: number;
  readonly complete?: number;
  readonly rate?: number;
}

export interface ResponseRates {
  readonly minGroupSize: number;
  readonly rows: readonly ResponseRateRow[];
  readonly reportableUnits: number;
  readonly belowMinimum: number;
  /** Complete answer sets over the reportable units only. */
  readonly complete: number;
  readonly chart: string | null;
}

/**
 * The response rates of a wave per unit under the minimum-group rule: a unit with fewer complete
 * answer sets than the wave's minimum group size shows only "fewer than N" (no invited, started
 * or complete count, no rate, and it is left out of the chart); the others show their counts and
 * rate, charted with the instrument engineer's response-rate chart.
 */
export async function responseRates(s: Services, waveId: number, minGroupSize: number, title: string): Promise<ResponseRates> {
  const progress = await waveProgress(s.db, waveId);
  const rows: ResponseRateRow[] = progress.map((p) =>
    p.complete >= minGroupSize
      ? { unitKey: p.unitKey, reportable: true, invited: p.invited, started: p.started, complete: p.complete, rate: p.invited > 0 ? p.complete / p.invited : 0 }
      : { unitKey: p.unitKey, reportable: false },
  );
  const shown = progress.filter((p) => p.complete >= minGroupSize);
  const chart =
    shown.length > 0
      ? await renderSvg(
          responseRateSpec({
            title,
            subtitle: `Units with at least ${minGroupSize} complete responses; ${progress.length - shown.length} more below that are not shown`,
            minGroupSize,
            units: shown.map((p) => ({ unit: p.unitKey, invited: Math.max(p.invited, p.complete), responded: p.complete })),
          }),
        )
      : null;
  return {
    minGroupSize,
    rows,
    reportableUnits: shown.length,
    belowMinimum: progress.length - shown.length,
    complete: shown.reduce((a, p) => a + p.complete, 0),
    chart,
  };
}
