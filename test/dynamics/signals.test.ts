import { describe, expect, it } from 'vitest';
import { evaluateBreakpoints, type SignalRow } from '../../analysis/dynamics/evaluate_breakpoints.js';
import type { SignalName } from '../../analysis/dynamics/rules.js';
import type { CoordinationEvent } from '../../analysis/traces/event.js';
import { ev } from './helpers.js';

/** The values of one signal by period label for unit U. */
function series(events: CoordinationEvent[], signal: SignalName | 'conflictIncidents'): Record<string, number | null> {
  const rows = evaluateBreakpoints(events, { changePoints: false }).signals.filter((r: SignalRow) => r.unit === 'U');
  return Object.fromEntries(rows.map((r) => [r.period, r[signal]]));
}

// Weeks used below: 2026-01-05 (W1), 2026-01-12 (W2), 2026-01-19 (W3), 2026-01-26 (W4).

describe('signal definitions on hand-computed streams', () => {
  it('decisionLatency: median business days from opened to made, for decisions made in the period', () => {
    const events = [
      ev('U', '2026-01-01T10:00', 'decision_opened', 'D2'), // Thursday of the week of 2025-12-29
      ev('U', '2026-01-02T10:00', 'decision_opened', 'D3'), // Friday
      ev('U', '2026-01-05T09:00', 'decision_opened', 'D1'),
      ev('U', '2026-01-05T15:00', 'decision_made', 'D2'), // Thu, Fri → 2
      ev('U', '2026-01-07T11:00', 'decision_made', 'D1'), // Mon, Tue → 2
      ev('U', '2026-01-09T16:00', 'decision_made', 'D3'), // Fri + Mon..Thu → 5
      ev('U', '2026-01-12T09:00', 'decision_opened', 'D4'),
      ev('U', '2026-01-12T17:00', 'decision_made', 'D4'), // same day → 0
      ev('U', '2026-01-13T09:00', 'decision_opened', 'D5'),
      ev('U', '2026-01-16T09:00', 'decision_made', 'D5'), // Tue..Thu → 3
    ];
    expect(series(events, 'decisionLatency')).toEqual({ '2025-12-29': null, '2026-01-05': 2, '2026-01-12': 1.5 });
  });

  it('approvalsPerDecision: mean approvals between opening and making, decisions made in the period', () => {
    const events = [
      ev('U', '2026-01-05', 'decision_opened', 'D1'),
      ev('U', '2026-01-05', 'decision_opened', 'D2'),
      ev('U', '2026-01-05', 'decision_opened', 'D3'),
      ev('U', '2026-01-06', 'approval', 'D1'),
      ev('U', '2026-01-06', 'approval', 'D1'),
      ev('U', '2026-01-07', 'approval', 'D3'),
      ev('U', '2026-01-08', 'decision_made', 'D1'),
      ev('U', '2026-01-08', 'decision_made', 'D2'),
      ev('U', '2026-01-09', 'decision_made', 'D3'),
      ev('U', '2026-01-12', 'approval', 'D1'), // after D1 was made: ignored
      ev('U', '2026-01-12', 'decision_opened', 'D1'), // a new instance of D1
      ev('U', '2026-01-13', 'approval', 'D1'),
      ev('U', '2026-01-14', 'decision_made', 'D1'),
    ];
    expect(series(events, 'approvalsPerDecision')).toEqual({ '2026-01-05': 1, '2026-01-12': 1 });
  });

  it('parallelArtifacts: most live artifacts of one dependency at the period end', () => {
    const events = [
      ev('U', '2026-01-05', 'artifact_created', 'X', 'a1'),
      ev('U', '2026-01-06', 'artifact_created', 'X', 'a2'),
      ev('U', '2026-01-07', 'artifact_created', 'X', 'a3'),
      ev('U', '2026-01-07', 'artifact_created', 'X', 'a3'), // the same artifact again: still 3
      ev('U', '2026-01-13', 'artifact_retired', 'X', 'a1'),
      ev('U', '2026-01-13', 'artifact_created', 'Y', 'b1'),
      ev('U', '2026-01-20', 'artifact_retired', 'X', 'a2'),
      ev('U', '2026-01-20', 'artifact_retired', 'X', 'a3'),
      ev('U', '2026-01-27', 'artifact_retired', 'Y', 'b1'),
    ];
    expect(series(events, 'parallelArtifacts')).toEqual({ '2026-01-05': 3, '2026-01-12': 2, '2026-01-19': 1, '2026-01-26': 0 });
  });

  it('reworkRate: share of items closed in the period with rework within 30 days', () => {
    const events = [
      ev('U', '2026-01-05T10:00', 'closed', 'i1'),
      ev('U', '2026-01-05T10:00', 'closed', 'i2'),
      ev('U', '2026-01-05T10:00', 'closed', 'i3'),
      ev('U', '2026-01-05T10:00', 'closed', 'i4'),
      ev('U', '2026-01-04T10:00', 'rework', 'i4'), // before the close: does not count
      ev('U', '2026-01-15T10:00', 'rework', 'i1'), // 10 days after: counts
      ev('U', '2026-02-04T10:00', 'rework', 'i3'), // exactly 30 days after: counts
      ev('U', '2026-02-05T10:00', 'rework', 'i2'), // 31 days after: does not
    ];
    const s = series(events, 'reworkRate');
    expect(s['2026-01-05']).toBe(0.5);
    expect(s['2025-12-29']).toBeNull();
    expect(s['2026-01-12']).toBeNull();
  });

  it('revisitsWithoutOwner: most revisits of one issue since its last owner commitment', () => {
    const events = [
      ev('U', '2026-01-05', 'revisited', 'Q'),
      ev('U', '2026-01-06', 'revisited', 'Q'),
      ev('U', '2026-01-07', 'revisited', 'Q'),
      ev('U', '2026-01-12', 'owner_committed', 'Q'),
      ev('U', '2026-01-13', 'revisited', 'Q'),
      ev('U', '2026-01-13', 'revisited', 'P'),
      ev('U', '2026-01-14', 'revisited', 'P'),
      ev('U', '2026-01-20', 'owner_committed', 'P'),
    ];
    expect(series(events, 'revisitsWithoutOwner')).toEqual({ '2026-01-05': 3, '2026-01-12': 2, '2026-01-19': 1 });
  });

  it('escalationLoops: most escalations of one still-open decision at the period end', () => {
    const events = [
      ev('U', '2026-01-05', 'decision_opened', 'D'),
      ev('U', '2026-01-05', 'decision_opened', 'E'),
      ev('U', '2026-01-06', 'escalation', 'D'),
      ev('U', '2026-01-07', 'escalation', 'D'),
      ev('U', '2026-01-08', 'escalation', 'D'),
      ev('U', '2026-01-08', 'escalation', 'E'),
      ev('U', '2026-01-13', 'decision_made', 'D'),
      ev('U', '2026-01-20', 'decision_made', 'E'),
    ];
    expect(series(events, 'escalationLoops')).toEqual({ '2026-01-05': 3, '2026-01-12': 1, '2026-01-19': 0 });
  });

  it('escalationLoops: an escalated decision never seen opening counts as open; escalations of a made one do not', () => {
    const events = [
      ev('U', '2026-01-05', 'escalation', 'X'),
      ev('U', '2026-01-06', 'escalation', 'X'),
      ev('U', '2026-01-07', 'decision_opened', 'X'), // supplies the opening of the pending decision
      ev('U', '2026-01-13', 'escalation', 'X'),
      ev('U', '2026-01-14', 'decision_made', 'X'),
      ev('U', '2026-01-20', 'escalation', 'X'), // after it was made: ignored
    ];
    expect(series(events, 'escalationLoops')).toEqual({ '2026-01-05': 2, '2026-01-12': 0, '2026-01-19': 0 });
    expect(series(events, 'decisionLatency')).toEqual({ '2026-01-05': null, '2026-01-12': 5, '2026-01-19': null });
  });

  it('openPriorityDays: most business days a priority decision has been open at the period end', () => {
    const events = [
      ev('U', '2026-01-05T08:00', 'decision_opened', 'P1', 'priority'),
      ev('U', '2026-01-07T08:00', 'decision_opened', 'N1'), // not a priority decision
      ev('U', '2026-01-14T08:00', 'decision_opened', 'P2', 'priority'),
      ev('U', '2026-01-21T08:00', 'decision_made', 'P1'),
      ev('U', '2026-02-02T08:00', 'decision_made', 'P2'),
    ];
    // End of W1 = Mon 01-12: P1 open 5. W2: 10. W3: P1 made, P2 open since Wed 01-14 → 8.
    // W4 (ends Mon 02-02): P2 → 13. Week of 02-02: none open → 0.
    expect(series(events, 'openPriorityDays')).toEqual({
      '2026-01-05': 5,
      '2026-01-12': 10,
      '2026-01-19': 8,
      '2026-01-26': 13,
      '2026-02-02': 0,
    });
  });

  it('respecifications: most re-specifications of one deliverable so far', () => {
    const events = [
      ev('U', '2026-01-05', 'closed', 'x'),
      ev('U', '2026-01-12', 'respecified', 'A'),
      ev('U', '2026-01-13', 'respecified', 'A'),
      ev('U', '2026-01-20', 'respecified', 'B'),
      ev('U', '2026-01-27', 'respecified', 'B'),
      ev('U', '2026-01-28', 'respecified', 'B'),
    ];
    expect(series(events, 'respecifications')).toEqual({ '2026-01-05': null, '2026-01-12': 2, '2026-01-19': 2, '2026-01-26': 3 });
  });

  it('reopenRate: reopened / closed in the period, only with at least 5 closed', () => {
    const closes = (day: string, n: number) => Array.from({ length: n }, (_, i) => ev('U', day, 'closed', `${day}-${i}`));
    const events = [
      ...closes('2026-01-05', 4),
      ev('U', '2026-01-06', 'reopened', 'x'),
      ...closes('2026-01-12', 5),
      ev('U', '2026-01-13', 'reopened', 'y'),
      ev('U', '2026-01-14', 'reopened', 'z'),
      ev('U', '2026-01-20', 'reopened', 'w'),
    ];
    expect(series(events, 'reopenRate')).toEqual({ '2026-01-05': null, '2026-01-12': 0.4, '2026-01-19': null });
  });

  it('rcDrop: first rc_score minus the latest one', () => {
    const events = [
      ev('U', '2026-01-05', 'closed', 'x'),
      ev('U', '2026-01-12', 'rc_score', '', '4.0'),
      ev('U', '2026-01-19', 'rc_score', '', '3.8'),
      ev('U', '2026-01-20', 'rc_score', '', '3.5'),
      ev('U', '2026-01-26', 'conflict_incident'),
      ev('U', '2026-01-27', 'conflict_incident'),
    ];
    const s = series(events, 'rcDrop');
    expect(s['2026-01-05']).toBeNull();
    expect(s['2026-01-12']).toBe(0);
    expect(s['2026-01-19']).toBeCloseTo(0.5, 12);
    expect(s['2026-01-26']).toBeCloseTo(0.5, 12);
    expect(series(events, 'conflictIncidents')).toEqual({ '2026-01-05': 0, '2026-01-12': 0, '2026-01-19': 0, '2026-01-26': 2 });
  });

  it('keeps units apart and orders events by time whatever the input order', () => {
    const events = [
      ev('U', '2026-01-13', 'revisited', 'Q'),
      ev('V', '2026-01-05', 'revisited', 'Q'),
      ev('U', '2026-01-05', 'owner_committed', 'Q'),
      ev('U', '2026-01-06', 'revisited', 'Q'),
    ];
    const rows = evaluateBreakpoints(events).signals;
    expect(rows.map((r) => [r.unit, r.period, r.revisitsWithoutOwner])).toEqual([
      ['U', '2026-01-05', 1],
      ['U', '2026-01-12', 2],
      ['V', '2026-01-05', 1],
    ]);
  });
});
