import { Prng, simulatePanel } from '../analysis/index.js';
import { CURRENT_VERSION } from '../instrument/index.js';
import { iso, isoDate } from './clock.js';
import { importTraces } from './dynamics/handlers/traces.js';
import { lockWaveRules } from './dynamics/rule_lock.js';
import { demoSupplementaryAnswers, demoTeamTraits, seedDemoResearch, type DemoWave } from './demo_research.js';
import { createInvitations, surveyUrl } from './handlers/invitations.js';
import { insertInvitations } from './queries/invitations.js';
import { insertResponse } from './queries/responses.js';
import { responseKeyOf } from './response_key.js';
import { findUnitByKey, insertUnit } from './queries/units.js';
import { insertWave, setWaveStatus } from './queries/waves.js';
import type { Services } from './services.js';
import { hashToken, newToken } from './tokens.js';

const DAY = 86_400_000;
const CONTEXTS = [
  { key: 'eng', name: 'Engineering' },
  { key: 'ops', name: 'Operations' },
] as const;

/**
 * Seeds a demo organisation into an empty database, so that a newcomer's first `npm start`
 * shows something real: a unit hierarchy in two contexts (about 400 respondents a wave), three closed waves of answers simulated
 * by `simulatePanel` (seeded, with drifting units and a few units too small to report) with the
 * supplementary scales answered, an analysis of each, an open wave with a few invitation links to
 * try the survey page, 30 weeks of coordination traces per team with planted breakpoints (see
 * seedDemoTraces), and performance quality with a research run of H1–H7 (see seedDemoResearch).
 * Returns those links; does nothing (and returns []) when any unit exists.
 *
 * The past is told as it would have happened: each wave is created two weeks before it opens,
 * its open and close events fire at their due times, and opening locks the breakpoint rules
 * in force then (as the scheduler does), so the demo waves' diagnoses and breakpoints work.
 */
export async function seedDemo(s: Services): Promise<string[]> {
  if (await s.db('units').first('id')) return [];
  const now = s.clock().getTime();
  const PLANNED = 14 * DAY; // how long before opening a demo wave is created
  const panel = simulatePanel(
    {
      contexts: CONTEXTS.map((c) => c.key),
      // Large enough for the scale-developer analyses' minimum samples (EFA of 72 items: n ≥ 360 in published units).
      unitsPerContext: 9,
      waves: ['W1', 'W2', 'W3'],
      unitSize: { mean: 28, min: 3, max: 40 },
      icc1: 0.2,
      drift: { share: 0.3, perWave: 0.5 },
      missing: 0.03,
    },
    20261124,
  );
  const unitIds = new Map<string, number>();
  await s.db.transaction(async (trx) => {
    const since = iso(new Date(now - 220 * DAY));
    const root = await insertUnit(trx, { key: 'acme', name: 'Acme (demo)', parentId: null, context: null, attributes: { demo: true } }, since);
    const divisions = new Map<string, number>();
    for (const c of CONTEXTS) {
      divisions.set(c.key, await insertUnit(trx, { key: c.key, name: c.name, parentId: root, context: c.key, attributes: {} }, since));
    }
    for (let r = 0; r < panel.unit.length; r++) {
      const key = panel.unit[r];
      if (unitIds.has(key)) continue;
      const context = panel.context[r];
      const n = key.split('-U')[1];
      unitIds.set(
        key,
        await insertUnit(trx, { key, name: `${CONTEXTS.find((c) => c.key === context)!.name} team ${n}`, parentId: divisions.get(context)!, context, attributes: { size: 'team' } }, since),
      );
    }
  });
  // The last team of each context answers with only three people in every wave: too few to report,
  // so the demo shows suppression (and, in its division, a complementary suppression).
  const seen = new Map<string, number>();
  const kept = panel.unit.map((u, r) => {
    if (!u.endsWith('-U9')) return true;
    const key = `${u}\u0000${panel.wave[r]}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    return seen.get(key)! <= 3;
  });
  const reported = [...unitIds.keys()].filter((key) => panel.unit.filter((u, r) => kept[r] && u === key && panel.wave[r] === 'W3').length >= s.config.minGroupSize);
  const traceStart = await seedDemoTraces(s, [...unitIds.keys()], reported, now);
  const waves = [
    { label: 'W1', name: 'Spring pulse (demo)', opens: now - 200 * DAY, closes: now - 180 * DAY },
    { label: 'W2', name: 'Summer pulse (demo)', opens: now - 120 * DAY, closes: now - 100 * DAY },
    { label: 'W3', name: 'Autumn pulse (demo)', opens: now - 40 * DAY, closes: now - 20 * DAY },
  ];
  const traits = demoTeamTraits([...unitIds.keys()]);
  const answerRng = new Prng(20261129);
  const seeded: DemoWave[] = [];
  const units = [...unitIds.values()];
  for (const w of waves) {
    const waveId = await insertWave(
      s.db,
      {
        name: w.name,
        instrumentVersion: CURRENT_VERSION.id,
        opensAt: iso(new Date(w.opens)),
        closesAt: iso(new Date(w.closes)),
        status: 'scheduled',
        locales: ['en', 'de'],
        reminders: [],
        minGroupSize: s.config.minGroupSize,
        createdAt: iso(new Date(w.opens - PLANNED)),
      },
      units,
    );
    for (const [kind, time] of [['open', w.opens], ['close', w.closes]] as const) {
      await s.db('wave_events').where({ wave_id: waveId, kind }).update({ fired_at: iso(new Date(time)), fired_by: 'demo' });
    }
    await lockWaveRules(s.db, waveId, iso(new Date(w.opens)));
    await setWaveStatus(s.db, waveId, 'closed', iso(new Date(w.closes)));
    const rows = panel.wave.flatMap((label, r) => (label === w.label && kept[r] ? [r] : []));
    await s.db.transaction(async (trx) => {
      for (const r of rows) {
        const token = newToken();
        const unitId = unitIds.get(panel.unit[r])!;
        await insertInvitations(trx, waveId, unitId, [hashToken(token)], isoDate(new Date(w.opens)));
        const answers = {
          ...Object.fromEntries(panel.items.map((id, j) => [id, Number.isNaN(panel.answers[r][j]) ? null : panel.answers[r][j]])),
          ...demoSupplementaryAnswers(traits.get(panel.unit[r])!, answerRng),
        };
        await insertResponse(trx, {
          responseKey: responseKeyOf(s.responseKey, token),
          waveId,
          unitId,
          role: null,
          locale: r % 4 === 0 ? 'de' : 'en',
          answers: JSON.stringify(answers),
          complete: true,
          submissionHash: null,
          savedOn: isoDate(new Date(w.closes - DAY)),
        });
      }
    });
    await s.analyses.request(waveId, 'demo');
    await s.analyses.idle();
    seeded.push({ id: waveId, opens: w.opens, closes: w.closes });
  }
  await seedDemoResearch(s, [...unitIds.keys()], traits, seeded, traceStart, DEMO_TRACE_WEEKS);
  const open = await insertWave(
    s.db,
    {
      name: 'Winter pulse (demo, open)',
      instrumentVersion: CURRENT_VERSION.id,
      opensAt: iso(new Date(now - DAY)),
      closesAt: iso(new Date(now + 30 * DAY)),
      status: 'open',
      locales: ['en', 'de'],
      reminders: [],
      minGroupSize: s.config.minGroupSize,
      createdAt: iso(new Date(now - DAY - PLANNED)),
    },
    units,
  );
  await s.db('wave_events').where({ wave_id: open, kind: 'open' }).update({ fired_at: iso(new Date(now - DAY)), fired_by: 'demo' });
  await lockWaveRules(s.db, open, iso(new Date(now - DAY)));
  const first = (await findUnitByKey(s.db, [...unitIds.keys()][0]))!;
  const { invitations } = await createInvitations(s, 'demo', open, { unitKey: first.key, count: 3 });
  return invitations.map((i) => surveyUrl(s, i.token));
}

/** Weeks of demo traces, ending with the last full ISO week before now. */
export const DEMO_TRACE_WEEKS = 30;

/**
 * Stores 30 weeks of coordination events per team through the trace import (one native JSON
 * import per team, audited as by `demo`). Each week a team closes 10–14 work items on Tuesday
 * and reopens about one of them on Thursday (reopen rate 0–10%), and opens three decisions on
 * Monday, approves each on Tuesday and makes them on Wednesday (2 business days; now and then
 * one on Thursday, which leaves the median alone). Planted under the default rules:
 * - the first reported team (`reported[0]`) reopens about 35% of its items for six weeks,
 *   weeks 17–22 (the weeks before the autumn wave opens): a reopen-rate breakpoint; its
 *   one-week spike to about 40% in week 8 is too short to count;
 * - the first reported team of the other context makes its decisions on Friday (4 business
 *   days, latency doubled) for six weeks, weeks 19–24: a decision-latency breakpoint; its
 *   two-week slowdown in weeks 9–10 is too short to count;
 * - one more team has a two-week reopen spike (~30%) in weeks 12–13, which must not count.
 * Week 0 starts on the Monday DEMO_TRACE_WEEKS weeks before the Monday of now's week; returns
 * that Monday (ms).
 */
async function seedDemoTraces(s: Services, teams: readonly string[], reported: readonly string[], now: number): Promise<number> {
  const reopenTeam = reported[0];
  const latencyTeam = reported.find((k) => k.split('-')[0] !== reopenTeam.split('-')[0]) ?? reported[1];
  const spikeTeam = teams.find((k) => k !== reopenTeam && k !== latencyTeam);
  const day = new Date(now);
  const thisMonday = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()) - ((day.getUTCDay() + 6) % 7) * DAY;
  const start = thisMonday - DEMO_TRACE_WEEKS * 7 * DAY;
  const stamp = (monday: number, days: number, hour: number) => iso(new Date(monday + days * DAY + hour * 3_600_000));
  for (const [u, unit] of teams.entries()) {
    const events: { unit: string; timestamp: string; type: string; key: string; ref: null }[] = [];
    const add = (timestamp: string, type: string, key: string) => events.push({ unit, timestamp, type, key, ref: null });
    for (let w = 0; w < DEMO_TRACE_WEEKS; w++) {
      const monday = start + w * 7 * DAY;
      // Planted weeks close 20 items, so that the reopen rates are exactly 35%, 40% and 30%.
      let closed = 10 + ((w * 7 + u * 3) % 5);
      let reopened = (w + u) % 4 === 0 ? 0 : 1;
      if (unit === reopenTeam && w >= 17 && w <= 22) [closed, reopened] = [20, 7];
      if (unit === reopenTeam && w === 8) [closed, reopened] = [20, 8];
      if (unit === spikeTeam && (w === 12 || w === 13)) [closed, reopened] = [20, 6];
      for (let i = 0; i < closed; i++) add(stamp(monday, 1, 10 + (i % 7)), 'closed', `${unit}-W${w}-${i}`);
      for (let i = 0; i < reopened; i++) add(stamp(monday, 3, 11), 'reopened', `${unit}-W${w}-${i}`);
      const slow = unit === latencyTeam && ((w >= 19 && w <= 24) || w === 9 || w === 10);
      for (let i = 0; i < 3; i++) {
        const key = `${unit}-D${w}-${i}`;
        add(stamp(monday, 0, 9), 'decision_opened', key);
        add(stamp(monday, 1, 14), 'approval', key);
        add(stamp(monday, slow ? 4 : i === 2 && (w + u) % 5 === 0 ? 3 : 2, 9), 'decision_made', key);
      }
    }
    await importTraces(s, 'demo', unit, 'json', { events }, 'demo seed');
  }
  return start;
}
