import { describe, expect, it } from 'vitest';
import { detectMeanShifts } from '../../analysis/dynamics/change_points.js';
import { evaluateBreakpoints } from '../../analysis/dynamics/evaluate_breakpoints.js';
import type { CoordinationEvent } from '../../analysis/traces/event.js';
import { addDays, ev, rng } from './helpers.js';

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Exhaustive optimal partitioning with the same cost, penalty and minimum segment. */
function exhaustive(x: number[], sigma: number, penalty: number, m: number): number[] {
  const n = x.length;
  const c1 = [0], c2 = [0];
  for (const v of x) {
    c1.push(c1[c1.length - 1] + v / sigma);
    c2.push(c2[c2.length - 1] + (v / sigma) ** 2);
  }
  const cost = (a: number, b: number) => c2[b] - c2[a] - (c1[b] - c1[a]) ** 2 / (b - a);
  const F = [-penalty], last = [0];
  for (let t = 1; t <= n; t++) {
    F[t] = Infinity;
    for (let tau = 0; tau <= t - m; tau++) {
      if (!Number.isFinite(F[tau])) continue;
      const v = F[tau] + cost(tau, t) + penalty;
      if (v < F[t]) {
        F[t] = v;
        last[t] = tau;
      }
    }
  }
  const cps: number[] = [];
  for (let t = last[n]; t > 0; t = last[t]) cps.push(t);
  return cps.reverse();
}

describe('detectMeanShifts (PELT)', () => {
  it('finds a planted shift at its position', () => {
    const rand = rng(11);
    const x = Array.from({ length: 60 }, (_, i) => (i >= 30 ? 2 : 0) + normal(rand));
    const r = detectMeanShifts(x, { minSegment: 4 });
    expect(r.changePoints).toHaveLength(1);
    expect(Math.abs(r.changePoints[0] - 30)).toBeLessThanOrEqual(1);
    expect(r.segments[1].mean - r.segments[0].mean).toBeGreaterThan(1.4);
    expect(r.penalty).toBeCloseTo(3 * Math.log(60), 12);
  });

  it('rarely finds a shift in pure noise', () => {
    let falseAlarms = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const rand = rng(seed);
      const x = Array.from({ length: 52 }, () => normal(rand));
      if (detectMeanShifts(x).changePoints.length > 0) falseAlarms++;
    }
    expect(falseAlarms).toBeLessThanOrEqual(2);
  });

  it('gives the exact optimum: the same segmentation as an exhaustive search', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rand = rng(seed);
      const n = 20 + Math.floor(rand() * 60);
      const levels = [0, 1.5, -1, 3];
      const x = Array.from({ length: n }, (_, i) => levels[Math.floor((i / n) * (1 + (seed % 4)))] + normal(rand));
      const m = 1 + (seed % 5);
      const penalty = seed % 3 === 0 ? 2 : undefined;
      const r = detectMeanShifts(x, { minSegment: m, penalty });
      expect(r.changePoints, `seed ${seed}`).toEqual(exhaustive(x, r.sigma, r.penalty, m));
    }
  });

  it('skips missing values and keeps segments at least minSegment long', () => {
    const x = [0, 0.1, NaN, -0.1, 0, 0.05, NaN, 5, 5.1, 4.9, 5, 5.05, NaN];
    const r = detectMeanShifts(x, { minSegment: 3 });
    expect(r.changePoints).toEqual([7]);
    expect(r.segments.map((s) => [s.start, s.end, s.n])).toEqual([[0, 5, 5], [7, 11, 5]]);
    expect(detectMeanShifts([1, 1, 1, 1, 1, 1, 1, 1]).changePoints).toEqual([]);
    expect(detectMeanShifts([]).segments).toEqual([]);
    expect(() => detectMeanShifts([1, 2], { minSegment: 0 })).toThrow(/minSegment/);
  });
});

describe('change points in evaluateBreakpoints', () => {
  it('finds a persistent shift that never crosses the fixed threshold, apart from the rules', () => {
    // Rework rate around 5 % for 20 weeks, then around 14 %: never ≥ 20 % in a week.
    const rand = rng(3);
    const events: CoordinationEvent[] = [];
    const weekly: number[] = [];
    for (let w = 0; w < 40; w++) {
      const p = w >= 20 ? 0.14 : 0.05;
      const monday = addDays('2026-01-05', 7 * w);
      let hits = 0;
      for (let i = 0; i < 50; i++) {
        const key = `w${w}-i${i}`;
        events.push(ev('U', `${monday}T10:00`, 'closed', key));
        if (rand() < p) {
          hits++;
          events.push(ev('U', `${addDays(monday, 3)}T10:00`, 'rework', key));
        }
      }
      weekly.push(hits / 50);
    }
    expect(Math.max(...weekly)).toBeLessThan(0.2);
    const r = evaluateBreakpoints(events);
    expect(r.breakpoints).toEqual([]);
    const shifts = r.changePoints.filter((c) => c.signal === 'reworkRate');
    expect(shifts).toHaveLength(1);
    const [cp] = shifts;
    const plantedWeek = Date.parse(addDays('2026-01-05', 7 * 20));
    expect(Math.abs(Date.parse(cp.period) - plantedWeek) / (7 * 86_400_000)).toBeLessThanOrEqual(1);
    expect(cp.direction).toBe('up');
    expect(cp.before).toBeLessThan(0.08);
    expect(cp.after).toBeGreaterThan(0.11);
    expect(cp.coveredByRule).toBe(false);
  });

  it('marks a shift the rules also caught as covered', () => {
    const events: CoordinationEvent[] = [];
    for (let w = 0; w < 16; w++) {
      const monday = addDays('2026-01-05', 7 * w);
      for (let i = 0; i < 10; i++) events.push(ev('U', `${monday}T10:00`, 'closed', `w${w}-${i}`));
      const reopens = w >= 8 ? 4 : w % 2; // 0 %/10 % then 40 %
      for (let i = 0; i < reopens; i++) events.push(ev('U', `${monday}T12:00`, 'reopened', `w${w}-${i}`));
    }
    const r = evaluateBreakpoints(events);
    expect(r.breakpoints.map((b) => [b.signal, b.start])).toEqual([['reopenRate', addDays('2026-01-05', 56)]]);
    const cp = r.changePoints.find((c) => c.signal === 'reopenRate')!;
    expect(cp.period).toBe(addDays('2026-01-05', 56));
    expect(cp.coveredByRule).toBe(true);
  });
});
