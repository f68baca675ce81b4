import { describe, expect, it } from 'vitest';
import { businessDaysBetween } from '../../analysis/dynamics/business_days.js';
import { periodLabel, periodOrdinal, periodScheme, periodEnd } from '../../analysis/dynamics/period.js';
import { isoDate, parseTimestamp } from '../../analysis/traces/timestamp.js';

const t = parseTimestamp;

describe('parseTimestamp', () => {
  it('reads dates and date-times as UTC unless an offset is given', () => {
    expect(t('2026-01-05')).toBe(Date.UTC(2026, 0, 5));
    expect(t('2026-01-05T09:30')).toBe(Date.UTC(2026, 0, 5, 9, 30));
    expect(t('2026-01-05T09:30:15.250Z')).toBe(Date.UTC(2026, 0, 5, 9, 30, 15, 250));
    expect(t('2026-01-05 09:30:00')).toBe(Date.UTC(2026, 0, 5, 9, 30));
    expect(t('2026-01-05T01:00:00+02:00')).toBe(Date.UTC(2026, 0, 4, 23));
    expect(t('2026-01-05T01:00:00-0130')).toBe(Date.UTC(2026, 0, 5, 2, 30));
  });

  it('rejects what is not an ISO date or an impossible calendar date', () => {
    for (const bad of ['', '05/01/2026', '2026-02-30', '2026-13-01', '2026-01-05T25:00', 'yesterday', '2026-1-5']) {
      expect(t(bad), bad).toBeNaN();
    }
  });
});

describe('businessDaysBetween (weekdays from the opening date up to, not including, the closing date)', () => {
  it('counts Monday to Friday only', () => {
    expect(businessDaysBetween(t('2026-01-05'), t('2026-01-05T17:00'))).toBe(0); // same day
    expect(businessDaysBetween(t('2026-01-05'), t('2026-01-07'))).toBe(2); // Mon → Wed
    expect(businessDaysBetween(t('2026-01-05'), t('2026-01-12'))).toBe(5); // Mon → next Mon
    expect(businessDaysBetween(t('2026-01-09'), t('2026-01-12'))).toBe(1); // Fri → Mon
    expect(businessDaysBetween(t('2026-01-10'), t('2026-01-12'))).toBe(0); // Sat → Mon
    expect(businessDaysBetween(t('2026-01-01'), t('2026-01-31'))).toBe(22); // numpy.busday_count('2026-01-01', '2026-01-31') = 22
    expect(businessDaysBetween(t('2026-01-12'), t('2026-01-05'))).toBe(0);
  });

  it('agrees with a day-by-day count over many spans', () => {
    const start = t('2025-12-01');
    for (let a = 0; a < 30; a++) {
      for (let len = 0; len < 40; len++) {
        let count = 0;
        for (let d = a; d < a + len; d++) {
          const wd = new Date(start + d * 86_400_000).getUTCDay();
          if (wd >= 1 && wd <= 5) count++;
        }
        expect(businessDaysBetween(start + a * 86_400_000, start + (a + len) * 86_400_000)).toBe(count);
      }
    }
  });
});

describe('periods', () => {
  it('cuts ISO weeks at Monday 00:00 UTC', () => {
    const week = periodScheme('week');
    const sunday = periodOrdinal(t('2026-01-11T23:59:59Z'), week);
    const monday = periodOrdinal(t('2026-01-12T00:00:00Z'), week);
    expect(monday).toBe(sunday + 1);
    expect(periodLabel(sunday, week)).toBe('2026-01-05');
    expect(periodLabel(monday, week)).toBe('2026-01-12');
    expect(isoDate(periodEnd(sunday, week))).toBe('2026-01-12');
    expect(periodLabel(periodOrdinal(t('2026-01-01'), week), week)).toBe('2025-12-29');
  });

  it('cuts days, months and two-week sprints from their anchor', () => {
    const day = periodScheme('day');
    expect(periodLabel(periodOrdinal(t('2026-03-04T22:00'), day), day)).toBe('2026-03-04');
    const month = periodScheme('month');
    const feb = periodOrdinal(t('2026-02-28T12:00'), month);
    expect(periodLabel(feb, month)).toBe('2026-02-01');
    expect(periodLabel(feb + 1, month)).toBe('2026-03-01');
    expect(periodLabel(periodOrdinal(t('2025-12-31'), month) + 1, month)).toBe('2026-01-01');
    const sprint = periodScheme('sprint', '2026-01-05');
    expect(periodLabel(periodOrdinal(t('2026-01-18T23:00'), sprint), sprint)).toBe('2026-01-05');
    expect(periodLabel(periodOrdinal(t('2026-01-19'), sprint), sprint)).toBe('2026-01-19');
    expect(periodLabel(periodOrdinal(t('2026-01-04'), sprint), sprint)).toBe('2025-12-22');
  });

  it('rejects an unknown period or a sprint anchor that is not a Monday', () => {
    expect(() => periodScheme('fortnight' as never)).toThrow(/period must be one of day, week, sprint, month/);
    expect(() => periodScheme('sprint', '2026-01-06')).toThrow(/sprintAnchor must be a Monday/);
  });
});
