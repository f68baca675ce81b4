import type { TopLevelSpec } from 'vega-lite';
import { InputError } from '../../analysis/errors.js';
import { ALERT_COLOR, CHART_CONFIG, MUTED_COLOR, VEGA_LITE_SCHEMA } from './theme.js';

/** A breakpoint as `seici breakpoints` reports it (shared/CONTRACT.md). */
export interface BreakpointRun {
  readonly unit: string;
  readonly signal: string;
  readonly cells: readonly string[];
  /** First over period's start date, YYYY-MM-DD. */
  readonly start: string;
  /** Last over period's start date, YYYY-MM-DD. */
  readonly end: string;
  readonly periods: number;
  readonly peak: number;
}

export interface BreakpointTimelineData {
  readonly title: string;
  readonly subtitle?: string;
  readonly breakpoints: readonly BreakpointRun[];
  /** Length of one period in days (7 for ISO weeks): a run lasts from `start` to `end` + one period. */
  readonly periodDays?: number;
  /** The time window shown, YYYY-MM-DD; defaults to the span of the breakpoints. */
  readonly from?: string;
  readonly to?: string;
  /** Survey waves drawn as labelled vertical rules. */
  readonly waves?: readonly { readonly name: string; readonly date: string }[];
}

/** Readable names of the breakpoint signals of shared/CONTRACT.md. */
export const SIGNAL_LABELS: Readonly<Record<string, string>> = {
  decisionLatency: 'Decision latency',
  approvalsPerDecision: 'Approvals per decision',
  parallelArtifacts: 'Parallel artifacts',
  reworkRate: 'Rework rate',
  revisitsWithoutOwner: 'Revisits without owner',
  escalationLoops: 'Escalation loops',
  openPriorityDays: 'Open priority decision',
  respecifications: 'Re-specifications',
  reopenRate: 'Reopen rate',
  rcDrop: 'Relational coordination drop',
};

/** One bar of the timeline as it appears in the spec's data. */
export interface TimelineBar {
  readonly row: string;
  readonly start: string;
  readonly stop: string;
  readonly cells: string;
  readonly periods: number;
  readonly peak: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function timelineBars(data: BreakpointTimelineData): TimelineBar[] {
  const periodDays = data.periodDays ?? 7;
  const units = new Set(data.breakpoints.map((b) => b.unit));
  return data.breakpoints.map((b, k) => {
    if (!DATE.test(b.start) || !DATE.test(b.end) || b.end < b.start) {
      throw new InputError('breakpoints', `Breakpoint ${k + 1} needs start and end dates YYYY-MM-DD with start <= end; got ${b.start} and ${b.end}.`);
    }
    const signal = SIGNAL_LABELS[b.signal] ?? b.signal;
    return {
      row: units.size > 1 ? `${b.unit} · ${signal}` : signal,
      start: b.start,
      stop: addDays(b.end, periodDays),
      cells: b.cells.map((c) => c.replace('x', '×')).join(', '),
      periods: b.periods,
      peak: b.peak,
    };
  });
}

/**
 * The breakpoint timeline: each breakpoint a bar from its first to the end of its last
 * over period, one row per signal (per unit and signal when several units are shown),
 * labelled with the SEI cells it implicates; survey waves as dotted rules.
 */
export function breakpointTimelineSpec(data: BreakpointTimelineData): TopLevelSpec {
  const bars = timelineBars(data);
  const dates = [...bars.flatMap((b) => [b.start, b.stop]), ...(data.waves ?? []).map((w) => w.date)];
  const from = data.from ?? (dates.length ? dates.reduce((a, b) => (a < b ? a : b)) : undefined);
  const to = data.to ?? (dates.length ? dates.reduce((a, b) => (a > b ? a : b)) : undefined);
  for (const [name, d] of [['from', from], ['to', to]] as const) {
    if (d !== undefined && !DATE.test(d)) throw new InputError(name, `${name} must be a date YYYY-MM-DD; got ${d}.`);
  }
  const base = {
    $schema: VEGA_LITE_SCHEMA,
    description: `Breakpoint timeline: ${data.title}`,
    title: { text: data.title, subtitle: data.subtitle ?? `${bars.length} breakpoint${bars.length === 1 ? '' : 's'}; bars span the periods over the threshold` },
    config: CHART_CONFIG,
    width: 520,
  };
  if (bars.length === 0) {
    return {
      ...base,
      height: 60,
      data: { values: [{ text: 'No breakpoints in this period.' }] },
      mark: { type: 'text', fontSize: 13, color: '#52606d', align: 'left', x: 0, y: 30 },
      encoding: { text: { field: 'text' } },
    };
  }
  const rows = [...new Set(bars.map((b) => b.row))];
  // An explicit domain only when the caller sets one: the data's own extent (bars and waves) is
  // the default, and an explicit domain beside it makes vega-lite warn of conflicting domains.
  const domain = data.from !== undefined && data.to !== undefined ? [from!, to!] : undefined;
  // One utc scale, with the same domain on every layer's x (a domain on one layer only makes
  // vega-lite warn of conflicting domains); a utc scale labels its axis in UTC by itself.
  const scale = {
    type: 'utc' as const,
    ...(domain ? { domain: domain.map((d) => ({ year: Number(d.slice(0, 4)), month: Number(d.slice(5, 7)), date: Number(d.slice(8, 10)), utc: true })) } : {}),
  };
  const x = {
    field: 'start',
    type: 'temporal' as const,
    title: null,
    scale,
    axis: { labelAngle: 0, tickCount: 6, grid: true },
  };
  return {
    ...base,
    height: Math.max(60, rows.length * 34),
    layer: [
      {
        data: { values: bars as unknown as Record<string, unknown>[] },
        encoding: { y: { field: 'row', type: 'nominal', sort: rows, title: null, axis: { labelLimit: 300 } } },
        layer: [
          {
            mark: { type: 'bar', color: ALERT_COLOR, opacity: 0.85, height: 18, cornerRadius: 3 },
            encoding: {
              x,
              x2: { field: 'stop' },
              tooltip: [
                { field: 'row', title: 'Signal' },
                { field: 'cells', title: 'Cells' },
                { field: 'start', type: 'temporal', format: '%Y-%m-%d', title: 'From' },
                { field: 'periods', title: 'Periods' },
                { field: 'peak', format: '.2f', title: 'Peak' },
              ],
            },
          },
          {
            mark: { type: 'text', align: 'left', dx: 6, fontSize: 10, color: '#1f2933' },
            encoding: { x: { field: 'stop', type: 'temporal', scale }, text: { field: 'cells' } },
          },
        ],
      },
      ...(data.waves && data.waves.length > 0
        ? [
            {
              data: { values: data.waves.map((w) => ({ ...w })) as unknown as Record<string, unknown>[] },
              layer: [
                { mark: { type: 'rule' as const, color: MUTED_COLOR, strokeDash: [3, 3] }, encoding: { x: { field: 'date', type: 'temporal' as const, scale } } },
                {
                  mark: { type: 'text' as const, y: 0, dy: -6, fontSize: 10, color: '#52606d' },
                  encoding: { x: { field: 'date', type: 'temporal' as const, scale }, text: { field: 'name' } },
                },
              ],
            },
          ]
        : []),
    ],
  };
}
