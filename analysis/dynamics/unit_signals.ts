import type { CoordinationEvent } from '../traces/event.js';
import { businessDaysBetween, DAY_MS } from './business_days.js';
import { MaxTracker } from './max_tracker.js';
import { median } from './median.js';
import { periodEnd, periodOrdinal, type PeriodScheme } from './period.js';
import { SIGNALS, type BreakpointRuleSet, type SignalName } from './rules.js';

/**
 * One unit's signals period by period: `values[signal][i]` belongs to the period with
 * ordinal `firstPeriod + i`, NaN when the signal has no value in that period.
 * `conflictIncidents` (count of `conflict_incident` events per period) is kept beside the
 * ten contract signals: it has no threshold rule but feeds the change-point detector.
 */
export interface UnitSignalSeries {
  readonly unit: string;
  readonly firstPeriod: number;
  readonly periods: number;
  readonly values: { readonly [S in SignalName]: Float64Array };
  readonly conflictIncidents: Float64Array;
  /** Events that could not be used fully (a decision made that was never opened, …). */
  readonly warnings: readonly string[];
}

/** A unit's events in time order (stable: events at the same instant keep input order). */
export function eventsByUnit(events: readonly CoordinationEvent[]): Map<string, CoordinationEvent[]> {
  const byUnit = new Map<string, CoordinationEvent[]>();
  for (const e of events) {
    let list = byUnit.get(e.unit);
    if (list === undefined) byUnit.set(e.unit, (list = []));
    list.push(e);
  }
  for (const list of byUnit.values()) {
    let sorted = true;
    for (let i = 1; i < list.length && sorted; i++) sorted = list[i - 1].time <= list[i].time;
    if (!sorted) list.sort((a, b) => a.time - b.time); // Array.prototype.sort is stable
  }
  return byUnit;
}

/** A decision's state: one opening (instance) at a time. */
interface DecisionState {
  openedAt: number;
  approvals: number;
  escalations: number;
  open: boolean;
  instance: number;
}

/**
 * Computes one unit's ten signals in every period from the period of its first event to
 * the period of its last event (shared/CONTRACT.md `breakpoints`). `events` must be the
 * unit's events in time order ({@link eventsByUnit}).
 *
 * Definitions, and the decisions taken where the contract is silent:
 * - A decision is opened by `decision_opened` and made by the next `decision_made` of its
 *   key; a later `decision_opened` starts a new instance. An `approval` or `escalation`
 *   before any opening creates a pending decision (its opening time unknown; a later
 *   `decision_opened` supplies it). A second `decision_made` of an already made decision,
 *   and an approval or escalation of a made one, are ignored.
 * - `decisionLatency`: median of business days ({@link businessDaysBetween}) from opening
 *   to making, over decisions made in the period whose opening is known.
 * - `approvalsPerDecision`: mean number of approvals between opening and making, over
 *   decisions made in the period.
 * - `parallelArtifacts`: at the period's end, the most artifacts of one dependency that
 *   were created and not yet retired (an artifact created twice counts once).
 * - `reworkRate`: of the `closed` events in the period, the share whose item gets a
 *   `rework` within `reworkWindowDays` (after the close, up to and including 30 × 24 h).
 * - `revisitsWithoutOwner`: at the period's end, the most `revisited` events of one issue
 *   since its last `owner_committed`.
 * - `escalationLoops`: at the period's end, the most escalations of one decision that is
 *   still open (counted since its opening).
 * - `openPriorityDays`: at the period's end (exclusive, e.g. the next Monday 00:00), the
 *   most business days a decision opened with ref `priority` and not yet made has been open;
 *   0 when none is open.
 * - `respecifications`: the most `respecified` events of one deliverable up to the period's end.
 * - `reopenRate`: `reopened` events / `closed` events in the period, when there are at
 *   least `reopenMinClosed` (5) closes.
 * - `rcDrop`: the unit's first `rc_score` minus its latest one up to the period's end.
 *
 * The state signals (`parallelArtifacts`, `revisitsWithoutOwner`, `escalationLoops`,
 * `openPriorityDays`, `respecifications`, `rcDrop`) have a value from the first period in
 * which the unit has an event of their kind onwards (0 when the state is empty); before it
 * they have none, so a unit that never reports artifacts has no `parallelArtifacts` at all.
 * The flow signals have a value only in periods with decisions made or items closed.
 */
export function unitSignals(
  unit: string,
  events: readonly CoordinationEvent[],
  scheme: PeriodScheme,
  rules: BreakpointRuleSet,
): UnitSignalSeries {
  const first = periodOrdinal(events[0].time, scheme);
  const last = periodOrdinal(events[events.length - 1].time, scheme);
  const periods = last - first + 1;
  const values = {} as Record<SignalName, Float64Array>;
  for (const s of SIGNALS) values[s] = new Float64Array(periods).fill(NaN);
  const conflictIncidents = new Float64Array(periods);
  const reworkWindow = rules.reworkWindowDays * DAY_MS;
  const reworkTimes = reworkTimesByItem(events);

  const decisions = new Map<string, DecisionState>();
  let instances = 0;
  const escalationMax = new MaxTracker();
  const priorityQueue: { state: DecisionState; instance: number; openedAt: number }[] = [];
  let priorityHead = 0;
  const artifacts = new Map<string, Set<string>>();
  const artifactMax = new MaxTracker();
  const revisits = new Map<string, number>();
  const revisitMax = new MaxTracker();
  const respecs = new Map<string, number>();
  let respecMax = 0;
  let rcFirst = NaN;
  let rcLatest = NaN;
  let seenArtifact = false, seenRevisit = false, seenEscalation = false, seenPriority = false, seenRespec = false;
  let madeUnopened = 0, retiredUnknown = 0;

  let latencies: number[] = [];
  let approvalSum = 0, madeCount = 0, closes = 0, reworked = 0, reopens = 0, conflicts = 0;

  let k = 0;
  for (let p = 0; p < periods; p++) {
    const end = periodEnd(first + p, scheme);
    for (; k < events.length && events[k].time < end; k++) {
      const e = events[k];
      switch (e.type) {
        case 'decision_opened': {
          let d = decisions.get(e.key);
          if (d !== undefined && d.open && Number.isNaN(d.openedAt)) {
            d.openedAt = e.time; // a pending decision (approved or escalated before) gets its opening
          } else {
            if (d !== undefined && d.open) {
              escalationMax.move(d.escalations, 0); // reopened before it was made: the old instance ends
              d.open = false;
            }
            d = { openedAt: e.time, approvals: 0, escalations: 0, open: true, instance: ++instances };
            decisions.set(e.key, d);
          }
          if (e.ref === 'priority') {
            seenPriority = true;
            priorityQueue.push({ state: d, instance: d.instance, openedAt: d.openedAt });
          }
          break;
        }
        case 'approval':
        case 'escalation': {
          let d = decisions.get(e.key);
          if (d === undefined) {
            d = { openedAt: NaN, approvals: 0, escalations: 0, open: true, instance: ++instances };
            decisions.set(e.key, d);
          }
          if (!d.open) break;
          if (e.type === 'approval') d.approvals++;
          else {
            seenEscalation = true;
            escalationMax.move(d.escalations, d.escalations + 1);
            d.escalations++;
          }
          break;
        }
        case 'decision_made': {
          const d = decisions.get(e.key);
          if (d === undefined) {
            madeUnopened++;
            madeCount++;
            decisions.set(e.key, { openedAt: NaN, approvals: 0, escalations: 0, open: false, instance: ++instances });
            break;
          }
          if (!d.open) break;
          if (Number.isNaN(d.openedAt)) madeUnopened++;
          else latencies.push(businessDaysBetween(d.openedAt, e.time));
          approvalSum += d.approvals;
          madeCount++;
          escalationMax.move(d.escalations, 0);
          d.open = false;
          break;
        }
        case 'artifact_created':
        case 'artifact_retired': {
          const artifact = e.ref as string;
          let live = artifacts.get(e.key);
          if (live === undefined) artifacts.set(e.key, (live = new Set()));
          if (e.type === 'artifact_created') {
            seenArtifact = true;
            if (!live.has(artifact)) {
              artifactMax.move(live.size, live.size + 1);
              live.add(artifact);
            }
          } else if (live.has(artifact)) {
            artifactMax.move(live.size, live.size - 1);
            live.delete(artifact);
          } else retiredUnknown++;
          break;
        }
        case 'respecified': {
          seenRespec = true;
          const c = (respecs.get(e.key) ?? 0) + 1;
          respecs.set(e.key, c);
          if (c > respecMax) respecMax = c;
          break;
        }
        case 'closed': {
          closes++;
          const times = reworkTimes.get(e.key);
          if (times !== undefined) {
            const next = firstAfter(times, e.time);
            if (next < times.length && times[next] <= e.time + reworkWindow) reworked++;
          }
          break;
        }
        case 'reopened':
          reopens++;
          break;
        case 'rework':
          break; // used through reworkTimes, looking forward from each close
        case 'revisited':
        case 'owner_committed': {
          seenRevisit = seenRevisit || e.type === 'revisited';
          const c = revisits.get(e.key) ?? 0;
          const next = e.type === 'revisited' ? c + 1 : 0;
          revisitMax.move(c, next);
          revisits.set(e.key, next);
          break;
        }
        case 'conflict_incident':
          conflicts++;
          break;
        case 'rc_score': {
          const score = Number(e.ref);
          if (Number.isNaN(rcFirst)) rcFirst = score;
          rcLatest = score;
          break;
        }
      }
    }

    if (latencies.length > 0) values.decisionLatency[p] = median(latencies);
    if (madeCount > 0) values.approvalsPerDecision[p] = approvalSum / madeCount;
    if (seenArtifact) values.parallelArtifacts[p] = artifactMax.max();
    if (closes > 0) values.reworkRate[p] = reworked / closes;
    if (seenRevisit) values.revisitsWithoutOwner[p] = revisitMax.max();
    if (seenEscalation) values.escalationLoops[p] = escalationMax.max();
    if (seenPriority) {
      while (priorityHead < priorityQueue.length) {
        const h = priorityQueue[priorityHead];
        if (h.state.open && h.state.instance === h.instance) break;
        priorityHead++;
      }
      values.openPriorityDays[p] =
        priorityHead < priorityQueue.length ? businessDaysBetween(priorityQueue[priorityHead].openedAt, end) : 0;
    }
    if (seenRespec) values.respecifications[p] = respecMax;
    if (closes >= rules.reopenMinClosed) values.reopenRate[p] = reopens / closes;
    if (!Number.isNaN(rcFirst)) values.rcDrop[p] = rcFirst - rcLatest;
    conflictIncidents[p] = conflicts;

    latencies = [];
    approvalSum = madeCount = closes = reworked = reopens = conflicts = 0;
  }

  const warnings: string[] = [];
  if (madeUnopened > 0) {
    warnings.push(`unit ${unit}: ${madeUnopened} decision${madeUnopened === 1 ? ' was' : 's were'} made without a decision_opened event; their latency is unknown.`);
  }
  if (retiredUnknown > 0) {
    warnings.push(`unit ${unit}: ${retiredUnknown} artifact_retired event${retiredUnknown === 1 ? '' : 's'} name an artifact that was not live.`);
  }
  return { unit, firstPeriod: first, periods, values, conflictIncidents, warnings };
}

/** Each item's `rework` times, in time order. */
function reworkTimesByItem(events: readonly CoordinationEvent[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const e of events) {
    if (e.type !== 'rework') continue;
    let list = out.get(e.key);
    if (list === undefined) out.set(e.key, (list = []));
    list.push(e.time);
  }
  return out;
}

/** The index of the first time strictly after `t` in an ascending list (its length if none). */
function firstAfter(times: readonly number[], t: number): number {
  let lo = 0, hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
