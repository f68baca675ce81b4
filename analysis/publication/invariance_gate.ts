import { isSkipped } from './minimum_sample.js';
import type { InvarianceTable, ScaleAnalysis } from './scale_developer.js';

/**
 * How far a dimension's measurement is equivalent across the groups compared (contexts, locales
 * or waves): the highest level that holds in full, what the partial search released, and why.
 */
export interface Equivalence {
  readonly dimension: string;
  /** The highest level that holds in full: configural < metric < scalar; null when not tested. */
  readonly holds: 'configural' | 'metric' | 'scalar' | 'none' | null;
  /** Parameters released where a level held only partially (`TxA_2~1`). */
  readonly partial: readonly { readonly level: string; readonly freed: readonly string[]; readonly holds: boolean }[];
  /** Why the level above failed, or why nothing was tested, in words. */
  readonly note: string;
}

export type GateLevel = 'configural' | 'metric' | 'scalar';

const LEVEL_ORDER: readonly GateLevel[] = ['configural', 'metric', 'scalar'];

/**
 * Reads one dimension's invariance table (contextInvariance with the partial search) as a gate
 * verdict. With the partial search, a level's comparison is the one after its releases, so a
 * level holds in full only when nothing was released for it; the ΔCFI/ΔRMSEA criteria are
 * those of measurementInvariance (Chen, 2007, doi:10.1080/10705510701301834).
 */
export function equivalenceOf(t: ScaleAnalysis['invariance'][number]): Equivalence {
  if (isSkipped(t)) return { dimension: t.scale, holds: null, partial: [], note: t.reason };
  if ('error' in t) return { dimension: t.scale, holds: null, partial: [], note: `the invariance models could not be fitted: ${t.error}` };
  const table = t as InvarianceTable;
  const partial = (table.partial ?? []).map((p) => ({ level: p.level, freed: [...p.freed], holds: p.holds }));
  const released = new Set(partial.filter((p) => p.freed.length > 0).map((p) => p.level));
  let holds: Equivalence['holds'] = table.models.some((m) => m.level === 'configural' && m.converged) ? 'configural' : 'none';
  let note = '';
  for (const c of table.comparisons) {
    if (holds !== c.from) break;
    if (released.has(c.to)) {
      note = `${c.to} invariance fails in full`;
      break;
    }
    if (c.holds) holds = c.to as Equivalence['holds'];
    else note = `${c.to} invariance fails (ΔCFI ${c.deltaCfi.toFixed(3)}, ΔRMSEA ${c.deltaRmsea.toFixed(3)}; the criteria are ΔCFI ≥ −0.010 and ΔRMSEA ≤ 0.015)`;
  }
  const partly = partial.filter((p) => p.freed.length > 0).map((p) => `${p.level} invariance ${p.holds ? 'holds' : 'still fails'} only with ${p.freed.join(', ')} released`);
  if (partly.length > 0) note = `${note}${note ? '; ' : ''}${partly.join('; ')}`;
  return { dimension: t.scale, holds, partial, note: note || `${holds} invariance holds` };
}

/** Whether every dimension holds `level` in full (a dimension not tested never does). */
export function holdsInFull(equivalence: readonly Equivalence[], level: GateLevel): boolean {
  return equivalence.length > 0 && equivalence.every((e) => e.holds !== null && e.holds !== 'none' && LEVEL_ORDER.indexOf(e.holds) >= LEVEL_ORDER.indexOf(level));
}

/** Whether any dimension could not be tested (its sample too small, or its models not fitted). */
export function untested(equivalence: readonly Equivalence[]): boolean {
  return equivalence.length === 0 || equivalence.some((e) => e.holds === null);
}

/** The dimensions below `level`, each with its reason: "Relational: scalar invariance fails in full; …". */
export function failingReasons(equivalence: readonly Equivalence[], level: GateLevel): string {
  return equivalence
    .filter((e) => e.holds === null || e.holds === 'none' || LEVEL_ORDER.indexOf(e.holds) < LEVEL_ORDER.indexOf(level))
    .map((e) => `${e.dimension}: ${e.note}`)
    .join('; ');
}
