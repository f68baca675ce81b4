/** Answer sets for tests and benchmarks. */

export interface ItemInfo {
  readonly id: string;
  readonly cell: string | null;
  readonly min: number;
  readonly max: number;
}

/** A small seeded generator (mulberry32), so answer sets are the same on every run. */
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

/** Answers to every SEI-CI item (the 72 cell items): a respondent level plus noise, clipped to the range. */
export function seiAnswers(items: readonly ItemInfo[], random: () => number, level = 4): Record<string, number | null> {
  const answers: Record<string, number | null> = {};
  for (const item of items) {
    if (item.cell === null) continue;
    const v = Math.round(level + (random() - 0.5) * 4);
    answers[item.id] = Math.min(item.max, Math.max(item.min, v));
  }
  return answers;
}
