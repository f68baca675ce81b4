import { CELLS, type Cell } from '../../instrument/model.js';
import type { PublicationAnswerSet } from '../../analysis/index.js';

/** A 72-item SEI-CI map for policy tests: eight items per cell, scale 1–7, the second of each cell reverse keyed. */
export const ITEMS: readonly { id: string; cell: Cell; reverse: boolean }[] = CELLS.flatMap((cell) =>
  Array.from({ length: 8 }, (_, i) => ({ id: `${cell}_${i + 1}`, cell, reverse: i === 1 })),
);

/** A seeded generator (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A full answer set around `level` (every item answered). */
export function fullSet(unitKey: string, random: () => number, level = 4): PublicationAnswerSet {
  const answers: Record<string, number> = {};
  for (const item of ITEMS) answers[item.id] = Math.min(7, Math.max(1, Math.round(level + (random() - 0.5) * 4)));
  return { unitKey, answers };
}

/** A "complete" answer set with nothing answered (a respondent pressing Next to the end). */
export function emptySet(unitKey: string): PublicationAnswerSet {
  return { unitKey, answers: {} };
}

export function sets(unitKey: string, n: number, random: () => number, level = 4): PublicationAnswerSet[] {
  return Array.from({ length: n }, () => fullSet(unitKey, random, level));
}
