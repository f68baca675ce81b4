import type { CoordinationEvent, EventType } from '../../analysis/traces/event.js';
import { parseTimestamp } from '../../analysis/traces/timestamp.js';

/** One event, written the way a trace file would hold it. */
export function ev(unit: string, timestamp: string, type: EventType, key = '', ref: string | null = null): CoordinationEvent {
  const time = parseTimestamp(timestamp);
  if (!Number.isFinite(time)) throw new Error(`bad test timestamp ${timestamp}`);
  return { unit, time, type, key, ref };
}

/** The date `days` days after `YYYY-MM-DD`, as `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  return new Date(parseTimestamp(date) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A small deterministic generator (mulberry32) for reproducible streams. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
