/**
 * Which numbers of a stored run a bundle's R script recomputes, and at which tolerance
 * (shared/STYLE.md: closed forms 1e-6, optimiser output 1e-3), and why the others are not
 * recomputed. Every numeric leaf of the run's results is in exactly one of the two lists, so
 * nothing is silently left unchecked.
 */

/** The tolerances the R script applies: |seici − R| ≤ tol · max(1, |R|). */
export const TOLERANCES = { closed: 1e-6, optimiser: 1e-3 } as const;
export type ToleranceKind = keyof typeof TOLERANCES;

export interface NumberCheck {
  /** JSON pointer (RFC 6901) into results.json. */
  readonly pointer: string;
  readonly seici: number | null;
  readonly tolerance: ToleranceKind;
}

export interface NumberNotChecked {
  readonly pointer: string;
  readonly reason: string;
}

/** A verdict of the run (a hypothesis's `supported`) that the R script decides again from R's own numbers. */
export interface VerdictCheck {
  readonly pointer: string;
  readonly seici: boolean | null;
  /** The rule, as shared/CONTRACT.md states it. */
  readonly rule: string;
}

export interface BundleChecks {
  readonly tolerances: typeof TOLERANCES;
  readonly checks: readonly NumberCheck[];
  readonly notChecked: readonly NumberNotChecked[];
  /** Research runs: each hypothesis's verdict, recomputed in R by the contract's rule. */
  readonly verdicts?: readonly VerdictCheck[];
}

type Path = readonly (string | number)[];

/** Members whose null is not a missing number (a dimension's name, a verdict). */
const NON_NUMERIC = new Set(['dominant', 'drifting', 'aggregation', 'persistentDominant', 'reason', 'error', 'agreement', 'betweenUnits', 'supported', 'reading', 'pqMeasure', 'invertedU', 'conditionalIndirect']);
type Verdict = ToleranceKind | { readonly reason: string };

const OPTION = { reason: 'an option of the run (options.json), not an estimate' };
const BOOKKEEPING = { reason: 'bookkeeping of the computation (iterations, timing), not an estimate' };

function pointerOf(path: Path): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Every number and null leaf of a JSON value with its path (null leaves are numbers that were not finite or not defined). */
function leaves(value: unknown, path: (string | number)[], out: [Path, number | null][]): void {
  if (typeof value === 'number') out.push([[...path], value]);
  else if (value === null) {
    if (!NON_NUMERIC.has(String(path.at(-1)))) out.push([[...path], null]);
  }
  else if (Array.isArray(value)) value.forEach((v, i) => leaves(v, [...path, i], out));
  else if (typeof value === 'object') for (const [k, v] of Object.entries(value as object)) leaves(v, [...path, k], out);
}

/** What the R script can rebuild of a wave run: units published as units, and aggregates whose members all are. */
export interface WaveCheckContext {
  /** Keys of the units published as units (their answers are in the bundle). */
  readonly units: ReadonlySet<string>;
  /** Roll-ups and the organisation whose respondents are exactly bundled units (the R script pools them). */
  readonly pooled: ReadonlySet<string>;
}

const NOT_BUNDLED = {
  reason: 'an aggregate over respondents of a unit not published as a unit (a suppressed team pooled into its roll-up), whose answers no bundle holds',
};

function waveVerdict(path: Path, results: Record<string, unknown>, ctx: WaveCheckContext): Verdict {
  const [head, a, b] = path;
  switch (head) {
    case 'pipelineVersion':
    case 'minGroupSize':
    case 'driftCapacity':
      return OPTION;
    case 'n':
      return 'closed';
    case 'units': {
      const unit = (results.units as { unitKey: string }[])[a as number];
      if (!ctx.units.has(unit.unitKey) && !ctx.pooled.has(unit.unitKey)) return NOT_BUNDLED;
      return 'closed';
    }
    case 'organisation':
      return ctx.pooled.has('@organisation') ? 'closed' : NOT_BUNDLED;
    case 'counts':
      return ctx.units.has(a as string) || ctx.pooled.has(a as string) ? 'closed' : NOT_BUNDLED;
    case 'reliability':
      if (b === 'scale' || b === 'diagnostics' || (b === 'alphaCi' && path[3] === 'level')) return OPTION;
      return 'closed';
    case 'agreement':
      return 'closed';
    case 'drift':
      if (a === 'capacity') return OPTION;
      if (a === 'diagnostics') return BOOKKEEPING;
      return 'closed';
    default:
      return { reason: 'not a statistic the R script knows' };
  }
}

function scaleDeveloperVerdict(path: Path): Verdict {
  const [head, , b] = path;
  switch (head) {
    case 'n':
    case 'nItems':
    case 'items':
      return 'closed';
    case 'reliability':
      return b === 'omegaTotal' ? 'optimiser' : 'closed';
    case 'parallel':
      if (b === undefined && path[1] === 'eigenvalues') return 'closed';
      if (path[1] === 'eigenvalues') return 'closed';
      if (path[1] === 'iterations') return OPTION;
      return { reason: "seeded Monte Carlo (random normal data and resampling) drawn with seici's generator, which R's RNG cannot reproduce draw for draw" };
    case 'efa':
      if (path[1] === 'kmo' || path[1] === 'bartlett' || path[1] === 'nfactors') return 'closed';
      if (path[1] === 'loadings' && path[3] === 'primaryFactor') return { reason: "an index into seici's factor order, which is arbitrary (the R script aligns factors by congruence)" };
      return 'optimiser';
    case 'cfa':
      return b === 'df' ? 'closed' : 'optimiser';
    case 'invariance':
      if (b === 'groupSizes' || path[4] === 'df' || path[4] === 'dfDiff') return 'closed';
      return 'optimiser';
    case 'requirements':
      return OPTION;
    case 'seconds':
      return BOOKKEEPING;
    default:
      return { reason: 'not a statistic the R script knows' };
  }
}

const NOT_FITTED = { reason: 'the panel model could not be fitted in this run (results.json gives the reason), so there is nothing to recompute' };
const NOT_TESTED = { reason: 'the hypothesis could not be tested in this run (results.json gives the reason), so there is nothing to recompute' };

function researchVerdict(path: Path, results: Record<string, unknown>): Verdict {
  const [head, a, b, c] = path;
  switch (head) {
    case 'pipelineVersion':
    case 'minGroupSize':
    case 'options':
      return OPTION;
    case 'seconds':
      return BOOKKEEPING;
    case 'waves':
    case 'design':
    case 'charts':
      return 'closed';
    case 'panel': {
      // The panel designs: FE, DiD and event study are closed forms (plm); the CLPM is an ML fit (lavaan).
      if (a === 'fe' || a === 'did' || a === 'event') {
        return (results.panel as Record<string, { error?: string }>)[a].error !== undefined ? NOT_FITTED : 'closed';
      }
      if (a === 'clpm') {
        const clpm = (results.panel as { clpm: { error?: string } }).clpm;
        if (clpm.error !== undefined) return NOT_FITTED;
        return b === 'n' ? 'closed' : 'optimiser';
      }
      return 'closed';
    }
    case 'hypotheses': {
      const h = (results.hypotheses as { error?: string }[])[a as number];
      if (h.error !== undefined) return NOT_TESTED;
      if (b === 'result' && c === 'diagnostics') return BOOKKEEPING;
      if (b === 'result' && c === 'bootstrap' && path[4] !== 'valid') return OPTION;
      return 'closed';
    }
    default:
      return { reason: 'not a statistic the R script knows' };
  }
}

/** The rule for `supported` of each hypothesis (shared/CONTRACT.md "hypotheses"). */
export const SUPPORT_RULES: Readonly<Record<string, string>> = {
  H1: 'an indirect effect\'s percentile bootstrap interval excludes 0',
  H2: 'an index of moderated mediation is positive and its interval excludes 0',
  H3: 'all three lever products are positive with p < .05',
  H4: 'both slopes on M are positive with p < .05',
  H5: 'the difference b_visCoherence − b_visOutcome is positive with p < .05',
  H6: 'the TC × leadership density product is positive and the SxA × leadership density product negative, each with p < .05',
  H7: 'b for M² is negative and the Lind–Mehlum p < .05',
};

/** The verdicts of a research run that R decides again: every tested hypothesis's `supported`. */
function researchVerdicts(results: Record<string, unknown>): VerdictCheck[] {
  const out: VerdictCheck[] = [];
  (results.hypotheses as { hypothesis: string; supported: boolean | null; error?: string }[]).forEach((h, i) => {
    if (h.error !== undefined) return;
    out.push({ pointer: `/hypotheses/${i}/supported`, seici: h.supported, rule: SUPPORT_RULES[h.hypothesis] });
  });
  return out;
}

/**
 * The checks of a stored run. For a wave run `ctx` says which aggregates the bundle's data
 * rebuild; a scale-developer run is computed on exactly the bundled rows, a research run on
 * exactly the bundled panel.
 */
export function bundleChecks(kind: 'wave' | 'scale-developer' | 'research', results: unknown, ctx?: WaveCheckContext): BundleChecks {
  const all: [Path, number | null][] = [];
  leaves(results, [], all);
  const checks: NumberCheck[] = [];
  const notChecked: NumberNotChecked[] = [];
  for (const [path, value] of all) {
    const verdict =
      kind === 'wave' ? waveVerdict(path, results as Record<string, unknown>, ctx!) : kind === 'research' ? researchVerdict(path, results as Record<string, unknown>) : scaleDeveloperVerdict(path);
    if (typeof verdict === 'string') checks.push({ pointer: pointerOf(path), seici: value, tolerance: verdict });
    else notChecked.push({ pointer: pointerOf(path), reason: verdict.reason });
  }
  return { tolerances: TOLERANCES, checks, notChecked, ...(kind === 'research' ? { verdicts: researchVerdicts(results as Record<string, unknown>) } : {}) };
}
