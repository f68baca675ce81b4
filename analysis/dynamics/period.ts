import { InputError } from '../errors.js';
import { DAY_MS } from './business_days.js';
import { isoDate, parseTimestamp } from '../traces/timestamp.js';

/** The lengths of period a unit's signals are computed over. */
export const PERIOD_KINDS = ['day', 'week', 'sprint', 'month'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/**
 * How time is cut into periods, all in UTC:
 * - `day`: calendar days;
 * - `week`: ISO weeks, Monday 00:00 to the next Monday 00:00 (the contract's default);
 * - `sprint`: two ISO weeks, counted from `sprintAnchor` (a Monday, `YYYY-MM-DD`);
 * - `month`: calendar months.
 *
 * Decision: sprints need a fixed anchor so that every unit and every file shares the same
 * sprint boundaries; the default anchor is Monday 2024-01-01, and any Monday may be given.
 */
export interface PeriodScheme {
  readonly kind: PeriodKind;
  readonly sprintAnchor: string;
  /** The anchor as a day number (days since 1970-01-01). */
  readonly anchorDay: number;
}

export const DEFAULT_SPRINT_ANCHOR = '2024-01-01';

/** The first Monday on or after 1970-01-01 is day number 4 (1970-01-05). */
const MONDAY_DAY = 4;

/** Checks a scheme and fills in the default anchor. */
export function periodScheme(kind: PeriodKind = 'week', sprintAnchor = DEFAULT_SPRINT_ANCHOR): PeriodScheme {
  if (!(PERIOD_KINDS as readonly string[]).includes(kind)) {
    throw new InputError('period', `period must be one of ${PERIOD_KINDS.join(', ')}; got "${kind}".`);
  }
  const t = parseTimestamp(sprintAnchor);
  if (!Number.isFinite(t) || t % DAY_MS !== 0 || ((t / DAY_MS - MONDAY_DAY) % 7 + 7) % 7 !== 0) {
    throw new InputError('sprintAnchor', `sprintAnchor must be a Monday written YYYY-MM-DD; got "${sprintAnchor}".`);
  }
  return { kind, sprintAnchor, anchorDay: t / DAY_MS };
}

/**
 * The ordinal of the period holding `time`: consecutive periods have consecutive ordinals,
 * so a unit's periods are the integers from its first ordinal to its last.
 */
export function periodOrdinal(time: number, scheme: PeriodScheme): number {
  const day = Math.floor(time / DAY_MS);
  switch (scheme.kind) {
    case 'day':
      return day;
    case 'week':
      return Math.floor((day - MONDAY_DAY) / 7);
    case 'sprint':
      return Math.floor((day - scheme.anchorDay) / 14);
    case 'month': {
      const d = new Date(time);
      return d.getUTCFullYear() * 12 + d.getUTCMonth();
    }
  }
}

/** The start (inclusive, milliseconds UTC) of the period with ordinal `ordinal`. */
export function periodStart(ordinal: number, scheme: PeriodScheme): number {
  switch (scheme.kind) {
    case 'day':
      return ordinal * DAY_MS;
    case 'week':
      return (ordinal * 7 + MONDAY_DAY) * DAY_MS;
    case 'sprint':
      return (ordinal * 14 + scheme.anchorDay) * DAY_MS;
    case 'month':
      return Date.UTC(Math.floor(ordinal / 12), ((ordinal % 12) + 12) % 12, 1);
  }
}

/** The end (exclusive) of a period: the start of the next one. */
export function periodEnd(ordinal: number, scheme: PeriodScheme): number {
  return periodStart(ordinal + 1, scheme);
}

/** A period's label: its start date, `YYYY-MM-DD`. */
export function periodLabel(ordinal: number, scheme: PeriodScheme): string {
  return isoDate(periodStart(ordinal, scheme));
}
