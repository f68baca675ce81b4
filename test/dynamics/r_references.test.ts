import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CELLS, type Cell } from '../../instrument/model.js';
import { businessDaysBetween } from '../../analysis/dynamics/business_days.js';
import { unitDrift, type UnitWaveScore } from '../../analysis/dynamics/drift.js';
import { parseTimestamp } from '../../analysis/traces/timestamp.js';
import { FIXTURES } from '../helpers/cli.js';

/** Computed by test/fixtures/r/dynamics-time-trend.R (base R 4.2.2). */
const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/dynamics-time-trend.json'), 'utf8'));

describe('dynamics against R', () => {
  it('business days equal a day-by-day count in R over 60 random spans', () => {
    const { from, to, days } = ref.busdays as { from: string[]; to: string[]; days: number[] };
    expect(from).toHaveLength(60);
    from.forEach((f, i) => expect(businessDaysBetween(parseTimestamp(f), parseTimestamp(to[i])), `${f} → ${to[i]}`).toBe(days[i]));
  });

  it('the drift trend equals the slope of lm(M ~ position)', () => {
    const waves = ['W0', 'W1', 'W2', 'W3', 'W4', 'W5', 'W6'];
    const cells = Object.fromEntries(CELLS.map((c) => [c, 3])) as Record<Cell, number>;
    for (const [k, s] of (ref.trend as { x: number[]; y: number[]; slope: number }[]).entries()) {
      const scores: UnitWaveScore[] = s.x.map((x, i) => ({
        unit: `U${k}`,
        wave: waves[x],
        cells,
        z: { structural: 0, relational: 0, translational: 0 },
        misalignment: s.y[i],
        dominant: null,
      }));
      const d = unitDrift(scores, { waves, baselineWave: waves[s.x[0]] });
      expect(Math.abs(d.units[0].trend! - s.slope)).toBeLessThan(1e-6);
    }
  });
});
