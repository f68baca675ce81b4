/**
 * Wall-clock times in the organisation's time zone (SEICI_TIME_ZONE) for the console: a wave's
 * dates are typed and shown there and stored in UTC. Built on the platform's IANA database
 * (Intl.DateTimeFormat), so daylight-saving changes follow the zone's own rules.
 */

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `instant`, in minutes (Berlin in winter: +60). */
export function offsetMinutes(timeZone: string, instant: number): number {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** A stored UTC time as a `datetime-local` input value in the zone (`2026-11-24T09:30`). */
export function toLocalInput(isoUtc: string, timeZone: string): string {
  const t = Date.parse(isoUtc);
  if (!Number.isFinite(t)) return '';
  return new Date(t + offsetMinutes(timeZone, t) * 60_000).toISOString().slice(0, 16);
}

/**
 * A `datetime-local` value typed in the zone, as an ISO 8601 UTC time. A wall time skipped by a
 * daylight-saving change moves forward by the gap; a repeated one takes its later occurrence.
 * Anything else is returned unchanged, for the schema to refuse with the field's name.
 */
export function fromLocalInput(local: string, timeZone: string): string {
  const m = LOCAL_INPUT.exec(local.trim());
  if (!m) return local;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  const guess = wall - offsetMinutes(timeZone, wall) * 60_000;
  return new Date(wall - offsetMinutes(timeZone, guess) * 60_000).toISOString();
}

const displayFormats = new Map<string, Intl.DateTimeFormat>();

/** A stored UTC time for people: `2026-11-24 09:30 CET` in the zone; '' for anything not a time. */
export function formatLocal(isoUtc: unknown, timeZone: string): string {
  if (typeof isoUtc !== 'string') return '';
  const t = Date.parse(isoUtc);
  if (!Number.isFinite(t)) return '';
  let format = displayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' });
    displayFormats.set(timeZone, format);
  }
  const zone = format.formatToParts(new Date(t)).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  return `${toLocalInput(isoUtc, timeZone).replace('T', ' ')} ${zone}`;
}
