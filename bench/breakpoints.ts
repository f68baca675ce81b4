/**
 * Breakpoint evaluation over 1,000,000 generated coordination events (issue 7's target:
 * under 2 s on this machine). Times evaluateBreakpoints on parsed events with and without
 * the change-point detector, and, separately, parsing the same events from native CSV text.
 */
import { evaluateBreakpoints, parseEventsCsv, type CoordinationEvent, type EventType } from '../analysis/index.js';
import { median, timeRuns } from './timing.js';

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1); // a Monday

/** A deterministic stream: `units` units over `weeks` weeks, about `total` events in all. */
export function generateEvents(total = 1_000_000, units = 200, weeks = 104, seed = 42): CoordinationEvent[] {
  let state = seed >>> 0;
  const rand = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const perUnitWeek = Math.round(total / (units * weeks));
  const events: CoordinationEvent[] = [];
  const push = (unit: string, time: number, type: EventType, key: string, ref: string | null = null) => {
    if (events.length < total) events.push({ unit, time, type, key, ref });
  };
  for (let u = 0; u < units; u++) {
    const unit = `U${String(u).padStart(4, '0')}`;
    const spikeFrom = 30 + (u % 50);
    for (let w = 0; w < weeks; w++) {
      const monday = START + w * 7 * DAY;
      const spike = w >= spikeFrom && w < spikeFrom + 6 && u % 4 === 0;
      let n = 0;
      // A fixed mix per unit-week: decisions (≈ 20 %), items (≈ 55 %), artifacts, revisits, scores.
      for (let d = 0; n < perUnitWeek * 0.2; d++) {
        const key = `D${w}-${d}`;
        const opened = monday + Math.floor(rand() * 3) * DAY;
        push(unit, opened, 'decision_opened', key, rand() < 0.1 ? 'priority' : null);
        push(unit, opened + 3600_000, 'approval', key);
        if (rand() < 0.2) push(unit, opened + 7200_000, 'escalation', key);
        push(unit, opened + (1 + Math.floor(rand() * (spike ? 6 : 3))) * DAY, 'decision_made', key);
        n += 4;
      }
      for (let i = 0; n < perUnitWeek * 0.75; i++) {
        const key = `I${w}-${i}`;
        const closed = monday + Math.floor(rand() * 5) * DAY;
        push(unit, closed, 'closed', key);
        if (rand() < (spike ? 0.35 : 0.08)) push(unit, closed + DAY, 'reopened', key);
        if (rand() < 0.1) push(unit, closed + 5 * DAY, 'rework', key);
        n += 2;
      }
      for (let a = 0; n < perUnitWeek - 2; a++) {
        const dep = `dep${a % 7}`;
        push(unit, monday + a * 3600_000, 'artifact_created', dep, `art${w}-${a}`);
        push(unit, monday + 4 * DAY + a * 3600_000, 'artifact_retired', dep, `art${w}-${a}`);
        push(unit, monday + 2 * DAY + a * 3600_000, 'revisited', `Q${a % 11}`);
        if (rand() < 0.5) push(unit, monday + 3 * DAY, 'owner_committed', `Q${a % 11}`);
        n += 4;
      }
      push(unit, monday + 4 * DAY, 'rc_score', '', (3.5 + rand()).toFixed(2));
      push(unit, monday + 4 * DAY, 'conflict_incident', '');
    }
  }
  // Top up to exactly `total` with one more unit's routine closes.
  for (let i = 0; events.length < total; i++) events.push({ unit: 'UFILL', time: START + (i % (weeks * 7)) * DAY, type: 'closed', key: `F${i}`, ref: null });
  return events;
}

function toCsv(events: readonly CoordinationEvent[]): string {
  const lines = ['unit,timestamp,type,key,ref'];
  for (const e of events) lines.push(`${e.unit},${new Date(e.time).toISOString()},${e.type},${e.key},${e.ref ?? ''}`);
  return lines.join('\n') + '\n';
}

export async function run(): Promise<string> {
  const events = generateEvents();
  const repeats = 5;
  evaluateBreakpoints(events); // warm-up
  let found = 0, shifts = 0;
  const full = await timeRuns(repeats, () => {
    const r = evaluateBreakpoints(events);
    found = r.breakpoints.length;
    shifts = r.changePoints.length;
  });
  const rulesOnly = await timeRuns(repeats, () => evaluateBreakpoints(events, { changePoints: false }));
  const csv = toCsv(events);
  parseEventsCsv(csv);
  const parse = await timeRuns(3, () => parseEventsCsv(csv));
  const units = new Set(events.map((e) => e.unit)).size;
  const ms = (x: number) => `${Math.round(x)} ms`;
  return [
    '## breakpoints',
    '',
    `${events.length.toLocaleString('en')} generated events, ${units} units, 104 weekly periods; default rules ` +
      `(${found} breakpoints, ${shifts} change points found). Medians of ${repeats} runs after a warm-up.`,
    '',
    '| step | median | target |',
    '|---|---|---|',
    `| evaluateBreakpoints (signals, baselines, runs, change points) | ${ms(median(full))} | < 2 s |`,
    `| evaluateBreakpoints without change points | ${ms(median(rulesOnly))} | |`,
    `| parseEventsCsv of the same events (${(csv.length / 1e6).toFixed(0)} MB, median of 3) | ${ms(median(parse))} | |`,
  ].join('\n');
}
