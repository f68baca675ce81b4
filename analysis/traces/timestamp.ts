/**
 * Parses an ISO 8601 timestamp into milliseconds since 1970-01-01 UTC, or returns NaN when
 * the text is not one. Accepted forms: `YYYY-MM-DD`, and `YYYY-MM-DDTHH:MM[:SS[.fff]]`
 * followed by `Z`, `±HH:MM`, `±HHMM` or nothing (a space may replace the `T`).
 *
 * Decision: a date or a date-time without an offset is read as UTC, never as the machine's
 * local time (JavaScript's `Date.parse` reads offset-less date-times as local time, which
 * would make a trace's periods depend on where it is analysed). Calendar fields are checked:
 * `2026-02-30` is rejected, not rolled over to March.
 */
export function parseTimestamp(text: string): number {
  const m = ISO.exec(text);
  if (m === null) return NaN;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  const hour = m[4] === undefined ? 0 : +m[4];
  const minute = m[5] === undefined ? 0 : +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  const millis = m[7] === undefined ? 0 : Math.round(+`0.${m[7]}` * 1000);
  let offsetMinutes = 0;
  if (m[8] !== undefined && m[8] !== 'Z' && m[8] !== 'z') {
    const sign = m[8][0] === '-' ? -1 : 1;
    const oh = +m[8].slice(1, 3);
    const om = +m[8].slice(-2);
    if (oh > 23 || om > 59) return NaN;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A time as the date `YYYY-MM-DD` (UTC). */
export function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
