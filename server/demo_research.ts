import { Prng, type WavePublication, type PublishedUnit } from '../analysis/index.js';
import { CURRENT_VERSION, isInterfaceRole } from '../instrument/index.js';
import { iso } from './clock.js';
import { importPerformance } from './dynamics/handlers/performance.js';
import { importTraces } from './dynamics/handlers/traces.js';
import { latestDoneAnalysis } from './queries/analyses.js';
import { requestResearch } from './research/handlers.js';
import { recordInterfaceChange } from './research/interface_changes.js';
import type { Services } from './services.js';

const DAY = 86_400_000;

/** The PQ measure the demo imports. */
export const DEMO_PQ_MEASURE = 'delivery quality';

/** The effect on PQ the demo plants from a team's interface change on (the DiD's ATT). */
export const DEMO_ATT = 3;

/** A demo team's standing on what the SEI-CI does not measure: dynamism, the two visibility types, leadership density. */
export interface DemoTeamTraits {
  readonly dynamism: number;
  readonly visCoherence: number;
  readonly visOutcome: number;
  /** Share of its members in interface roles. */
  readonly leadershipDensity: number;
  /** A unit effect on PQ. */
  readonly pqLevel: number;
}

/** Each team's traits, drawn once from a fixed seed (so the demo is the same on every start). */
export function demoTeamTraits(teams: readonly string[]): Map<string, DemoTeamTraits> {
  const rng = new Prng(20261130);
  return new Map(
    teams.map((team) => [
      team,
      {
        dynamism: 4 + 0.9 * rng.normal(),
        visCoherence: 4.2 + 0.8 * rng.normal(),
        visOutcome: 4.2 + 0.8 * rng.normal(),
        leadershipDensity: 0.1 + 0.5 * rng.uniform(),
        pqLevel: rng.normal(),
      },
    ]),
  );
}

const supplementaryItems = (scale: string) => CURRENT_VERSION.items.filter((i) => i.scale === scale);

/**
 * A demo respondent's answers to the supplementary scales the research report needs (dynamism,
 * the two visibility types, the interface role), around the team's traits: each rated item is
 * round(trait + N(0, 1)) on its scale (reflected when reverse-keyed), and a member holds an
 * interface role with the team's leadership density. Relational coordination is left unanswered.
 */
export function demoSupplementaryAnswers(traits: DemoTeamTraits, rng: Prng): Record<string, number> {
  const answers: Record<string, number> = {};
  for (const [scale, level] of [['dynamism', traits.dynamism], ['visibilityCoherence', traits.visCoherence], ['visibilityOutcome', traits.visOutcome]] as const) {
    for (const item of supplementaryItems(scale)) {
      const x = Math.min(item.scaleMax, Math.max(item.scaleMin, Math.round(level + rng.normal())));
      answers[item.id] = item.reverse ? item.scaleMin + item.scaleMax - x : x;
    }
  }
  const role = supplementaryItems('interfaceRole')[0];
  if (role) {
    const codes = Array.from({ length: role.scaleMax - role.scaleMin + 1 }, (_, k) => role.scaleMin + k);
    const roles = codes.filter(isInterfaceRole);
    const none = codes.filter((c) => !isInterfaceRole(c));
    answers[role.id] = rng.uniform() < traits.leadershipDensity ? roles[rng.int(roles.length)] : none[0];
  }
  return answers;
}

/** A demo wave as seedDemoResearch needs it: its id and when it opened and closed. */
export interface DemoWave {
  readonly id: number;
  readonly opens: number;
  readonly closes: number;
}

/**
 * The research side of the demo, after its three closed waves are published: rework in the
 * coordination traces (a second trace import per team: in a week, one closed item is reworked
 * with a chance rising with the team's misalignment at the first wave, so the weekly rework rate
 * stays at most 10%, under the 20% breakpoint level), one performance-quality value per team and wave window (`delivery quality`, 0–100,
 * dated a week after the wave closes), and a research run of H1–H7 over the three waves.
 *
 * PQ is planted from the first wave's published scores and the team's traits, so that the report
 * has something to find: PQ = 70 + 0.5·level + 6·tc + 4·(coherence − 4.2) + 0.5·(outcome − 4.2)
 * + 8·tc·(density − 0.35) − 40·(M − 0.5)² + 1.5·wave + ATT·post + N(0, 0.8²), tc the team's TC standardized
 * over the published teams. A team too small to publish gets PQ too (PQ is not survey data), and
 * the research run still leaves it out.
 *
 * Interface changes (the panel designs' treatment) are recorded for two teams in three: the
 * first of each three a month before the second wave opens, the second a month before the third
 * (a staggered design), and PQ rises by DEMO_ATT from the wave the change first reaches.
 */
export async function seedDemoResearch(s: Services, teams: readonly string[], traits: ReadonlyMap<string, DemoTeamTraits>, waves: readonly DemoWave[], traceStart: number, traceWeeks: number): Promise<void> {
  const first = await latestDoneAnalysis(s.db, waves[0].id);
  const published = new Map<string, PublishedUnit>();
  for (const u of (first?.results as WavePublication | undefined)?.units ?? []) if (!u.suppressed && !u.rollup) published.set(u.unitKey, u as PublishedUnit);
  const tcs = [...published.values()].map((u) => u.dimensions.translational);
  const mean = tcs.reduce((a, b) => a + b, 0) / tcs.length;
  const sd = Math.sqrt(tcs.reduce((a, b) => a + (b - mean) ** 2, 0) / (tcs.length - 1));
  const rng = new Prng(20261201);
  for (const [i, team] of teams.entries()) {
    // The wave position (2 or 3) the team's interface change first reaches, or none.
    const eventWave = i % 3 === 0 ? 2 : i % 3 === 1 ? 3 : null;
    if (eventWave !== null) {
      await recordInterfaceChange(s, 'demo', team, { on: iso(new Date(waves[eventWave - 1].opens - 30 * DAY)).slice(0, 10), note: 'demo: a new handover role between the team and its neighbours' });
    }
    const t = traits.get(team)!;
    const unit = published.get(team);
    const m = unit?.misalignment ?? 0.6;
    const tc = unit ? (unit.dimensions.translational - mean) / sd : 0;
    // Rework: in a week, one of the items closed that week is reworked with a chance rising with M
    // (a rate of at most 1/10 of the week's closed items, under the 20% breakpoint level).
    const chance = Math.min(0.95, Math.max(0.05, 0.1 + 0.6 * m));
    const events: { unit: string; timestamp: string; type: string; key: string; ref: null }[] = [];
    for (let w = 0; w < traceWeeks; w++) {
      if (rng.uniform() >= chance) continue;
      events.push({ unit: team, timestamp: iso(new Date(traceStart + (w * 7 + 4) * DAY + 9 * 3_600_000)), type: 'rework', key: `${team}-W${w}-0`, ref: null });
    }
    if (events.length > 0) await importTraces(s, 'demo', team, 'json', { events }, 'demo rework seed');
    const lines = ['period,measure,value'];
    waves.forEach((wave, k) => {
      const pq = 70 + 0.5 * t.pqLevel + 6 * tc + 4 * (t.visCoherence - 4.2) + 0.5 * (t.visOutcome - 4.2) + 8 * tc * (t.leadershipDensity - 0.35) - 40 * (m - 0.5) ** 2 + 1.5 * k + 0.8 * rng.normal() + (eventWave !== null && k + 1 >= eventWave ? DEMO_ATT : 0);
      lines.push(`${iso(new Date(wave.closes + 7 * DAY)).slice(0, 10)},${DEMO_PQ_MEASURE},${(Math.round(pq * 10) / 10).toFixed(1)}`);
    });
    await importPerformance(s, 'demo', team, lines.join('\n') + '\n', 'demo seed');
  }
  await requestResearch(s, 'demo', { waves: waves.map((w) => w.id) });
  await s.analyses.idle();
}
