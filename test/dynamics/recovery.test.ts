import { describe, expect, it } from 'vitest';
import { evaluateBreakpoints } from '../../analysis/dynamics/evaluate_breakpoints.js';
import type { SignalName } from '../../analysis/dynamics/rules.js';
import type { CoordinationEvent } from '../../analysis/traces/event.js';
import { addDays, ev, rng } from './helpers.js';

const WEEKS = 40;
const monday = (w: number) => addDays('2026-01-05', 7 * w);

type Planted = 'reopenRate' | 'decisionLatency' | 'approvalsPerDecision' | 'reworkRate' | 'parallelArtifacts' | 'revisitsWithoutOwner';
const KINDS: Planted[] = ['reopenRate', 'decisionLatency', 'approvalsPerDecision', 'reworkRate', 'parallelArtifacts', 'revisitsWithoutOwner'];

/**
 * One unit's weeks of routine activity (every signal well under its level), with episodes
 * of one kind raised to a clearly-over level in the weeks given.
 */
function unitStream(unit: string, episodes: { kind: Planted; from: number; to: number }[]): CoordinationEvent[] {
  const events: CoordinationEvent[] = [];
  const raised = (kind: Planted, w: number) => episodes.some((e) => e.kind === kind && w >= e.from && w <= e.to);
  events.push(ev(unit, `${monday(0)}T08:00`, 'artifact_created', 'dep', 'base'));
  for (let w = 0; w < WEEKS; w++) {
    const m = monday(w);
    for (let i = 0; i < 10; i++) {
      const key = `${w}-${i}`;
      events.push(ev(unit, `${m}T10:00`, 'closed', key));
      if (i < (raised('reopenRate', w) ? 4 : 1)) events.push(ev(unit, `${m}T11:00`, 'reopened', key));
      if (i < (raised('reworkRate', w) ? 3 : 1)) events.push(ev(unit, `${addDays(m, 9)}T10:00`, 'rework', key));
    }
    for (let d = 0; d < 4; d++) {
      const key = `D${w}-${d}`;
      events.push(ev(unit, `${m}T09:00`, 'decision_opened', key));
      for (let a = 0; a < (raised('approvalsPerDecision', w) ? 2 : 1); a++) events.push(ev(unit, `${m}T10:00`, 'approval', key));
      events.push(ev(unit, `${addDays(m, raised('decisionLatency', w) ? 4 : 2)}T16:00`, 'decision_made', key));
    }
  }
  for (const e of episodes) {
    if (e.kind === 'parallelArtifacts') {
      for (const a of ['p1', 'p2']) {
        events.push(ev(unit, `${monday(e.from)}T08:00`, 'artifact_created', 'dep', a));
        events.push(ev(unit, `${monday(e.to + 1)}T08:00`, 'artifact_retired', 'dep', a));
      }
    }
    if (e.kind === 'revisitsWithoutOwner') {
      for (let i = 0; i < 3; i++) events.push(ev(unit, `${addDays(monday(e.from), i)}T08:00`, 'revisited', `Q${e.from}`));
      events.push(ev(unit, `${monday(e.to + 1)}T08:00`, 'owner_committed', `Q${e.from}`));
    }
  }
  // The revisit signal needs a first revisit to exist at all: one, committed at once, in week 0.
  events.push(ev(unit, `${monday(0)}T12:00`, 'revisited', 'Q-init'), ev(unit, `${monday(0)}T13:00`, 'owner_committed', 'Q-init'));
  return events;
}

describe('recovery of planted breakpoints', () => {
  it('finds every planted episode of 4+ weeks exactly, and no spike of 1–3 weeks, across 36 units', () => {
    const rand = rng(2026);
    const events: CoordinationEvent[] = [];
    const expected: [string, SignalName, string, string, number][] = [];
    for (let u = 0; u < 36; u++) {
      const unit = `U${String(u).padStart(2, '0')}`;
      const kind = KINDS[u % KINDS.length];
      const length = 4 + Math.floor(rand() * 5); // 4–8 weeks
      const from = 6 + Math.floor(rand() * 14); // after the 4 baseline weeks
      const spikeKind = KINDS[Math.floor(rand() * KINDS.length)];
      const spikeLength = 1 + Math.floor(rand() * 3); // 1–3 weeks
      const spikeFrom = from + length + 2 + Math.floor(rand() * (WEEKS - from - length - spikeLength - 4));
      const episodes = [
        { kind, from, to: from + length - 1 },
        { kind: spikeKind, from: spikeFrom, to: spikeFrom + spikeLength - 1 },
      ];
      events.push(...unitStream(unit, episodes));
      expected.push([unit, kind, monday(from), monday(from + length - 1), length]);
    }
    const r = evaluateBreakpoints(events, { changePoints: false });
    expect(r.breakpoints.map((b) => [b.unit, b.signal, b.start, b.end, b.periods])).toEqual(expected);
  });
});
