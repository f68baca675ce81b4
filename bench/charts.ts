/**
 * Server-side chart rendering (server/charts) and questionnaire building (instrument/):
 * the time a report page or a respondent page spends before any HTML is sent.
 * `npm run bench -- charts`.
 */
import { CELLS, INSTRUMENT_V1, buildQuestionnaire } from '../instrument/index.js';
import {
  breakpointTimelineSpec,
  cellHeatmapSpec,
  misalignmentTrendSpec,
  renderSvg,
  responseRateSpec,
  scoreBarsSpec,
  screePlotSpec,
} from '../server/charts/index.js';
import { median, timeRuns } from './timing.js';

const REPEATS = 30;

function specs() {
  const cells = Object.fromEntries(CELLS.map((c, k) => [c, 3 + ((k * 7) % 9) / 4])) as Record<(typeof CELLS)[number], number>;
  const scores = {
    dimensions: { structural: 4.1, relational: 4.8, translational: 3.6 },
    levers: { accountability: 4.0, communication: 4.5, visibility: 3.9 },
  };
  const eigen = Array.from({ length: 72 }, (_, k) => 9 * Math.exp(-k / 2.2) + 0.3);
  return {
    heatmap: cellHeatmapSpec({ title: 'Unit', n: 12, minGroupSize: 5, scaleMin: 1, scaleMax: 7, cells, organisation: cells, highlight: ['TxA'] }),
    scoreBars: scoreBarsSpec({ title: 'Unit', n: 12, minGroupSize: 5, scaleMin: 1, scaleMax: 7, unit: scores, organisation: scores }),
    misalignment: misalignmentTrendSpec({
      title: 'Unit',
      minGroupSize: 5,
      waves: ['W1', 'W2', 'W3', 'W4', 'W5', 'W6'].map((wave, k) => ({ wave, n: 9, misalignment: 0.4 + k / 10, drift: k / 10, organisationMisalignment: 0.5 })),
    }),
    breakpoints: breakpointTimelineSpec({
      title: 'Unit',
      breakpoints: Array.from({ length: 12 }, (_, k) => ({
        unit: 'U',
        signal: ['decisionLatency', 'reworkRate', 'rcDrop', 'escalationLoops'][k % 4],
        cells: ['SxA', 'SxV'],
        start: `2026-0${1 + (k % 6)}-05`,
        end: `2026-0${1 + (k % 6)}-26`,
        periods: 4,
        peak: 1,
      })),
    }),
    scree: screePlotSpec({ title: 'Wave', eigenvalues: eigen, parallel: eigen.map((_, k) => 1.6 - k / 60), suggestedFactors: 9 }),
    responseRate: responseRateSpec({
      title: 'Wave',
      minGroupSize: 5,
      units: Array.from({ length: 40 }, (_, k) => ({ unit: `Unit ${k + 1}`, invited: 12, responded: k % 13 })),
      target: 0.6,
    }),
  };
}

export async function run(): Promise<string> {
  const all = specs();
  const rows: string[] = [];
  let unitReport = 0;
  for (const [name, spec] of Object.entries(all)) {
    await renderSvg(spec);
    const ms = median(await timeRuns(REPEATS, () => renderSvg(spec)));
    if (['heatmap', 'scoreBars', 'misalignment', 'breakpoints'].includes(name)) unitReport += ms;
    rows.push(`| ${name} | ${ms.toFixed(1)} ms |`);
  }
  const build = median(await timeRuns(REPEATS, () => buildQuestionnaire(INSTRUMENT_V1, ['en', 'de'], { seed: 1 })));
  return [
    '## charts',
    '',
    `Vega-Lite spec -> SVG on the server (\`renderSvg\`), median of ${REPEATS} renders after one warm-up each.`,
    '',
    '| chart | median |',
    '|---|---|',
    ...rows,
    `| unit report (heatmap + bars + trend + timeline) | ${unitReport.toFixed(1)} ms |`,
    `| buildQuestionnaire(v1, en+de) | ${build.toFixed(2)} ms |`,
    '',
  ].join('\n');
}
