/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/**
 * The number of business days (Monday to Friday, UTC dates) from one time to another: the
 * weekdays `d` with `date(from) ≤ d < date(to)`, counting whole calendar dates and ignoring
 * the time of day; 0 when `to` is not after `from`'s date.
 *
 * Decision (the contract says only "business days (Mon–Fri)"): the opening date counts and
 * the closing date does not, as numpy's `busday_count(begin, end)` and R bizdays'
 * `bizdays(from, to)` with a Mon–Fri calendar and no holidays. A decision opened on a
 * Monday and made on the next Monday took 5 business days; one opened and made on the same
 * day took 0; one opened on a Saturday and made on Monday took 0. Checked against a
 * day-by-day count in R (test/fixtures/r/dynamics-time-trend.R).
 */
export function businessDaysBetween(from: number, to: number): number {
  return businessDaysBetweenDays(Math.floor(from / DAY_MS), Math.floor(to / DAY_MS));
}

/** {@link businessDaysBetween} on day numbers (days since 1970-01-01, a Thursday). */
export function businessDaysBetweenDays(fromDay: number, toDay: number): number {
  if (toDay <= fromDay) return 0;
  return weekdaysBefore(toDay) - weekdaysBefore(fromDay);
}

/**
 * The number of weekdays among the day numbers before `day`, counted from the Monday
 * 1970-01-05 (day 4); only differences of it are used.
 */
function weekdaysBefore(day: number): number {
  const sinceMonday = day - 4;
  const weeks = Math.floor(sinceMonday / 7);
  const rest = sinceMonday - weeks * 7; // 0 = Monday … 6 = Sunday
  return weeks * 5 + Math.min(rest, 5);
}
