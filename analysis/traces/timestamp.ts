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
  const fast = parseCommonTimestamp(text);
  if (fast === fast) return fast; // not NaN: one of the common shapes, read without a regular expression
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

/**
 * The two shapes that traces mostly use, `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM:SS[.fff]Z`,
 * read digit by digit (several times faster than the regular expression on large files);
 * NaN for any other text, which then takes the general path.
 */
function parseCommonTimestamp(text: string): number {
  const n = text.length;
  if (n !== 10 && n !== 20 && n !== 24) return NaN;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return NaN;
  const year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= monthLength(year, month))) return NaN;
  if (n === 10) return Date.UTC(year, month - 1, day);
  if (text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58 || text.charCodeAt(n - 1) !== 90) return NaN;
  const hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  let millis = 0;
  if (n === 24) {
    if (text.charCodeAt(19) !== 46) return NaN;
    millis = digits(text, 20, 3);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

/** The number written by `count` decimal digits at `at`, NaN when one is not a digit. */
function digits(text: string, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function monthLength(year: number, month: number): number {
  return month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : MONTH_DAYS[month - 1];
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A time as the date `YYYY-MM-DD` (UTC). */
export function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
