import { describe, expect, it } from 'vitest';
import { overRuns, signalBaseline } from '../../analysis/dynamics/breakpoint_runs.js';
import { evaluateBreakpoints } from '../../analysis/dynamics/evaluate_breakpoints.js';
import {
  DEFAULT_RULES,
  canonicalRuleSet,
  ruleSetFingerprint,
  isOver,
  overLevel,
  validateRuleSet,
  withRuleOverrides,
} from '../../analysis/dynamics/rules.js';
import type { CoordinationEvent } from '../../analysis/traces/event.js';
import { addDays, ev, rng } from './helpers.js';

const FIRST_MONDAY = '2026-01-05';
const WEEKS = 30;
const monday = (week: number) => addDays(FIRST_MONDAY, 7 * week);

/**
 * Three units over 30 weeks.
 * - A: 20 items closed a week, 2 reopened (10 %); weeks 12–17 (six weeks) 7 reopened (35 %);
 *   weeks 22–23 a two-week spike to 35 % that must not count.
 * - B: 5 decisions a week opened Monday and made Wednesday (2 business days), one approval
 *   each; weeks 10–17 made Friday (4 days, double); weeks 22–24 a three-week spike that must
 *   not count (persistence 4). Its reopen rate stays at 10 %.
 * - C: noise: latencies of 1–3 days, reopen rates drawn around 8 %.
 */
function plantedStream(): CoordinationEvent[] {
  const rand = rng(7);
  const events: CoordinationEvent[] = [];
  const closeWeek = (unit: string, w: number, closes: number, reopens: number) => {
    for (let i = 0; i < closes; i++) events.push(ev(unit, `${addDays(monday(w), i % 5)}T10:00`, 'closed', `${unit}-${w}-${i}`));
    for (let i = 0; i < reopens; i++) events.push(ev(unit, `${addDays(monday(w), 4)}T15:00`, 'reopened', `${unit}-${w}-${i}`));
  };
  const decisionWeek = (unit: string, w: number, latencies: number[]) => {
    latencies.forEach((days, i) => {
      const key = `${unit}-D${w}-${i}`;
      events.push(ev(unit, `${monday(w)}T09:00`, 'decision_opened', key));
      events.push(ev(unit, `${monday(w)}T12:00`, 'approval', key));
      events.push(ev(unit, `${addDays(monday(w), days)}T16:00`, 'decision_made', key));
    });
  };
  for (let w = 0; w < WEEKS; w++) {
    const aSpike = (w >= 12 && w <= 17) || w === 22 || w === 23;
    closeWeek('A', w, 20, aSpike ? 7 : 2);
    decisionWeek('A', w, [2, 2, 2, 2, 2]);
    const bSpike = (w >= 10 && w <= 17) || (w >= 22 && w <= 24);
    decisionWeek('B', w, Array(5).fill(bSpike ? 4 : 2));
    closeWeek('B', w, 10, 1);
    decisionWeek('C', w, Array.from({ length: 5 }, () => 1 + Math.floor(rand() * 3)));
    let reopens = 0;
    for (let i = 0; i < 20; i++) if (rand() < 0.08) reopens++;
    closeWeek('C', w, 20, reopens);
  }
  // Shuffle: the input order must not matter.
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [events[i], events[j]] = [events[j], events[i]];
  }
  return events;
}

describe('planted breakpoints', () => {
  const result = evaluateBreakpoints(plantedStream());

  it('finds exactly the planted ones, with the right start week, and no short spike', () => {
    const found = result.breakpoints.map((b) => [b.unit, b.signal, b.start, b.end, b.periods]);
    expect(found).toEqual([
      ['A', 'reopenRate', monday(12), monday(17), 6],
      ['B', 'decisionLatency', monday(10), monday(17), 8],
    ]);
  });

  it('reports the peak, the level, the baseline, the cells and the rule version', () => {
    const [a, b] = result.breakpoints;
    expect(a.peak).toBeCloseTo(0.35, 12);
    expect(a.level).toBe(0.2);
    expect(a.baseline).toBeNull();
    expect(a.cells).toEqual(['TxC', 'TxV']);
    expect(b.peak).toBe(4);
    expect(b.baseline).toBe(2);
    expect(b.level).toBeCloseTo(2.6, 12);
    expect(b.cells).toEqual(['SxA', 'SxV']);
    expect(result.breakpoints.every((x) => x.ruleVersion === 'seici-default-1')).toBe(true);
    expect(result.ruleVersion).toBe('seici-default-1');
  });

  it('has one signal row per unit and week', () => {
    expect(result.signals).toHaveLength(3 * WEEKS);
    const a12 = result.signals.find((r) => r.unit === 'A' && r.period === monday(12))!;
    expect(a12.reopenRate).toBeCloseTo(0.35, 12);
    expect(a12.decisionLatency).toBe(2);
    expect(a12.approvalsPerDecision).toBe(1);
    expect(a12.parallelArtifacts).toBeNull();
  });

  it('a longer persistence window drops the shorter run; a shorter one admits the spikes', () => {
    const events = plantedStream();
    const seven = evaluateBreakpoints(events, { rules: withRuleOverrides(DEFAULT_RULES, { persistence: 7 }), changePoints: false });
    expect(seven.breakpoints.map((b) => [b.unit, b.signal, b.start])).toEqual([['B', 'decisionLatency', monday(10)]]);
    expect(seven.ruleVersion).toBe('seici-default-1+persistence=7');
    const two = evaluateBreakpoints(events, { rules: withRuleOverrides(DEFAULT_RULES, { persistence: 2 }), changePoints: false });
    // (Unit C's noise may cross for two weeks too; only the planted units are checked here.)
    expect(two.breakpoints.filter((b) => b.unit !== 'C').map((b) => [b.unit, b.signal, b.start, b.periods])).toEqual([
      ['A', 'reopenRate', monday(12), 6],
      ['A', 'reopenRate', monday(22), 2],
      ['B', 'decisionLatency', monday(10), 8],
      ['B', 'decisionLatency', monday(22), 3],
    ]);
  });

  it('counts months and sprints as periods too', () => {
    const sprints = evaluateBreakpoints(plantedStream(), { period: 'sprint', sprintAnchor: FIRST_MONDAY, changePoints: false });
    // Sprints of two weeks: B's doubled latency covers sprints 5–8 (weeks 10–17): four sprints.
    expect(sprints.breakpoints.map((b) => [b.unit, b.signal, b.start, b.periods])).toEqual([
      ['B', 'decisionLatency', monday(10), 4],
    ]);
    expect(sprints.sprintAnchor).toBe(FIRST_MONDAY);
  });
});

describe('runs and baselines', () => {
  it('a period without a value breaks no run and extends none', () => {
    const v = [0.1, 0.3, NaN, 0.3, NaN, NaN, 0.4, 0.3, 0.1, 0.3, 0.3];
    const runs = overRuns(v, (x) => x >= 0.2, 4);
    expect(runs).toEqual([{ first: 1, last: 7, periods: 4, peak: 0.4 }]);
    expect(overRuns(v, (x) => x >= 0.2, 5)).toEqual([]);
  });

  it('the baseline is the median over the first periods that have a value', () => {
    expect(signalBaseline([NaN, 3, 1, NaN, 2, 10, 100], 4)).toBe(2.5);
    expect(signalBaseline([NaN, 3, 1], 4)).toBe(2);
    expect(signalBaseline([NaN, NaN], 4)).toBeNaN();
  });

  it('the baseline skips periods without a decision made, and evaluates every period', () => {
    // Latencies by week: 2, -, 2, 2, 4(w4) … ; baseline = median(2,2,2,4) = 2 over the first four with a value.
    const events: CoordinationEvent[] = [];
    const lat = [2, NaN, 2, 2, 4, 4, 4, 4];
    lat.forEach((days, w) => {
      if (Number.isNaN(days)) {
        events.push(ev('U', `${monday(w)}T09:00`, 'conflict_incident'));
        return;
      }
      events.push(ev('U', `${monday(w)}T09:00`, 'decision_opened', `d${w}`));
      events.push(ev('U', `${addDays(monday(w), days)}T09:00`, 'decision_made', `d${w}`));
    });
    const r = evaluateBreakpoints(events, { changePoints: false });
    expect(r.baselines.find((b) => b.signal === 'decisionLatency')!.baseline).toBe(2);
    expect(r.breakpoints.map((b) => [b.signal, b.start, b.periods])).toEqual([['decisionLatency', monday(4), 4]]);
  });

  it('a zero baseline leaves a relative rule unevaluated and says so', () => {
    const events: CoordinationEvent[] = [];
    for (let w = 0; w < 10; w++) {
      events.push(ev('U', `${monday(w)}T09:00`, 'decision_opened', `d${w}`));
      events.push(ev('U', `${monday(w)}T17:00`, 'decision_made', `d${w}`)); // same day: 0 days, 0 approvals
    }
    const r = evaluateBreakpoints(events, { changePoints: false });
    expect(r.breakpoints).toEqual([]);
    expect(r.diagnostics.warnings.some((w) => /decisionLatency baseline is 0/.test(w))).toBe(true);
    expect(r.diagnostics.warnings.some((w) => /approvalsPerDecision baseline is 0/.test(w))).toBe(true);
  });

  it('a strict threshold (open priority days > 10) does not fire at exactly 10', () => {
    // Daily periods, persistence 1: a priority decision opened Monday 01-05 and made on 01-19
    // reaches exactly 10 open business days (at the ends of Fri 01-16, Sat 01-17 and Sun 01-18)
    // but never more, so "> 10" never fires.
    const r = evaluateBreakpoints(
      [ev('U', '2026-01-05', 'decision_opened', 'P', 'priority'), ev('U', '2026-01-19T12:00', 'decision_made', 'P')],
      { period: 'day', changePoints: false, rules: withRuleOverrides(DEFAULT_RULES, { persistence: 1 }) },
    );
    const s = r.signals.map((x) => x.openPriorityDays);
    expect(s.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(Math.max(...s.map((x) => x ?? 0))).toBe(10);
    expect(r.breakpoints).toEqual([]);
  });
});

describe('evaluateBreakpoints input', () => {
  it('refuses events that were not validated, naming the first', () => {
    const good = ev('U', '2026-01-05', 'closed', 'k');
    expect(() => evaluateBreakpoints([good, { ...good, time: NaN }])).toThrow('events[1] is not a validated coordination event');
    expect(() => evaluateBreakpoints([{ ...good, type: 'done' as never }])).toThrow(/events\[0\]/);
    expect(evaluateBreakpoints([]).breakpoints).toEqual([]);
  });

  it('a low-volume week (fewer than 5 closes: no reopen rate) neither breaks nor extends a run', () => {
    const events: CoordinationEvent[] = [];
    const week = (w: number, closes: number, reopens: number) => {
      for (let i = 0; i < closes; i++) events.push(ev('U', `${monday(w)}T10:00`, 'closed', `${w}-${i}`));
      for (let i = 0; i < reopens; i++) events.push(ev('U', `${monday(w)}T11:00`, 'reopened', `${w}-${i}`));
    };
    [[10, 0], [10, 3], [10, 3], [2, 0], [10, 3], [10, 3], [10, 0]].forEach(([c, r], w) => week(w, c, r));
    const r = evaluateBreakpoints(events, { changePoints: false });
    expect(r.breakpoints.map((b) => [b.signal, b.start, b.end, b.periods])).toEqual([['reopenRate', monday(1), monday(5), 4]]);
  });
});

describe('levels written in decimals', () => {
  it('an rc_score drop of exactly 0.5 counts although 4.1 − 3.6 rounds below 0.5', () => {
    expect(4.1 - 3.6).toBeLessThan(0.5);
    const events = [0, 1, 2, 3].flatMap((w) => [ev('U', monday(w), 'rc_score', '', w === 0 ? '4.1' : '3.6')]);
    const r = evaluateBreakpoints(events, { changePoints: false, rules: withRuleOverrides(DEFAULT_RULES, { persistence: 3 }) });
    expect(r.breakpoints.map((b) => [b.signal, b.start, b.periods])).toEqual([['rcDrop', monday(1), 3]]);
  });

  it('a value at 1.3 × baseline counts as over; one just under does not', () => {
    // Baseline latency 3 (Mon → Thu); level 3.9 ≈ 3.9000000000000004 in binary. A median of 3.9
    // cannot occur with whole business days, so the comparison itself is checked.
    expect(isOver(DEFAULT_RULES.signals.decisionLatency.threshold, 3.9, overLevel(DEFAULT_RULES.signals.decisionLatency.threshold, 3))).toBe(true);
    expect(isOver(DEFAULT_RULES.signals.decisionLatency.threshold, 3.899, 3.9)).toBe(false);
    expect(isOver(DEFAULT_RULES.signals.openPriorityDays.threshold, 10, 10)).toBe(false);
    expect(isOver(DEFAULT_RULES.signals.openPriorityDays.threshold, 11, 10)).toBe(true);
  });
});

describe('rule sets', () => {
  it('the defaults are the contract table and the DESIGN cells, frozen', () => {
    const s = DEFAULT_RULES.signals;
    expect(s.decisionLatency.threshold).toEqual({ kind: 'relative', factor: 1.3 });
    expect(s.approvalsPerDecision.threshold).toEqual({ kind: 'relative', factor: 1.25 });
    expect(s.openPriorityDays.threshold).toEqual({ kind: 'absolute', level: 10, strict: true });
    expect(s.reopenRate.threshold).toEqual({ kind: 'absolute', level: 0.2, strict: false });
    expect(s.revisitsWithoutOwner.cells).toEqual(['RxC', 'RxA']);
    expect(s.rcDrop.cells).toEqual(['RxC', 'RxA']);
    expect(s.escalationLoops.cells).toEqual(['SxA', 'SxC']);
    expect(s.parallelArtifacts.cells).toEqual(['TxA', 'TxV']);
    expect(Object.isFrozen(DEFAULT_RULES.signals.reopenRate.threshold)).toBe(true);
  });

  it('validates a rule set read from JSON, naming the field at fault', () => {
    const custom = validateRuleSet({ version: 'acme-2', persistence: 2, signals: { reopenRate: { threshold: { kind: 'absolute', level: 0.3 }, cells: ['TxC'] } } });
    expect(custom.signals.reopenRate.threshold).toEqual({ kind: 'absolute', level: 0.3, strict: false });
    expect(custom.signals.rcDrop).toEqual(DEFAULT_RULES.signals.rcDrop);
    expect(custom.baselinePeriods).toBe(4);
    expect(() => validateRuleSet({ version: 'x', signals: { reopenRate: { threshold: { kind: 'absolute', level: 'high' }, cells: ['TxC'] } } })).toThrow(
      'rules.signals.reopenRate.threshold.level must be a number ≥ 0; got "high".',
    );
    expect(() => validateRuleSet({ version: 'x', signals: { reopen: {} } })).toThrow(/unknown signal "reopen"/);
    expect(() => validateRuleSet({ version: 'x', persistence: 0 })).toThrow(/rules.persistence must be a whole number ≥ 1/);
    expect(() => validateRuleSet({ signals: {} })).toThrow(/rules.version/);
    expect(() => validateRuleSet({ version: 'x', signals: { rcDrop: { threshold: { kind: 'absolute', level: 1 }, cells: ['RxQ'] } } })).toThrow(/cells/);
  });

  it('the canonical text changes with any rule and not with key order', () => {
    const a = validateRuleSet({ version: 'v', persistence: 3, baselinePeriods: 4 });
    const b = validateRuleSet({ baselinePeriods: 4, persistence: 3, version: 'v' });
    expect(canonicalRuleSet(a)).toBe(canonicalRuleSet(b));
    expect(canonicalRuleSet(a)).not.toBe(canonicalRuleSet(validateRuleSet({ version: 'v', persistence: 4 })));
    expect(withRuleOverrides(DEFAULT_RULES, { persistence: 4 })).toBe(DEFAULT_RULES);
    expect(ruleSetFingerprint(a)).toBe(ruleSetFingerprint(b));
    expect(ruleSetFingerprint(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(ruleSetFingerprint(a)).not.toBe(ruleSetFingerprint(validateRuleSet({ version: 'v', persistence: 4 })));
  });
});
