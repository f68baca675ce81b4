import type { BreakpointRuleSet } from '../../analysis/index.js';
import type { Services } from '../services.js';
import { canonicalJson } from './canonical_json.js';
import { checkStoredChain } from './handlers.js';
import { chainUpTo, latestWaveCommitment } from './queries.js';

/** The commitment a breakpoint analysis followed, as reports name it. */
export interface RuleCommitment {
  readonly seq: number;
  readonly hash: string;
  readonly title: string;
  readonly committedAt: string;
  /** The rule version committed. */
  readonly ruleVersion: string;
  /** True when the chain up to this entry verifies against the server's public key. */
  readonly verified: boolean;
  /** Why it does not verify (null when it does). */
  readonly problem: string | null;
}

export interface RuleCommitmentCheck {
  readonly commitment: RuleCommitment | null;
  /** One sentence saying how the analysis departed from its commitment, or null when it followed it. */
  readonly deviation: string | null;
  /** Pre-registered: a verified commitment for the wave whose rules equal, member for member, the rules used. */
  readonly preregistered: boolean;
}

/** Every leaf of a JSON value by its path (`signals.decisionLatency.threshold.factor`), as canonical JSON. */
function leaves(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, canonicalJson(value));
  }
  return out;
}

/** The members in which two rule sets differ, as `path committed → used`. */
export function ruleDifferences(committed: unknown, used: unknown): string[] {
  const a = leaves(committed, '', new Map());
  const b = leaves(used, '', new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.filter((p) => a.get(p) !== b.get(p)).map((p) => `${p} ${a.get(p) ?? '(absent)'} → ${b.get(p) ?? '(absent)'}`);
}

/**
 * Compares the rules an analysis used with the breakpoint-rules commitment of the wave it
 * analyses (the newest one when several precede the wave's data): names the commitment,
 * checks the chain up to it against the server's key, and says how the rules used differ.
 * The rules stored in the database are not trusted: a rule set edited in place (and its
 * fingerprint recomputed) differs from the signed content and reads as a deviation.
 */
export async function checkRuleCommitment(s: Services, waveId: number | null, used: BreakpointRuleSet): Promise<RuleCommitmentCheck> {
  const entry = waveId === null ? undefined : await latestWaveCommitment(s.db, waveId, 'breakpoint-rules');
  if (!entry) return { commitment: null, deviation: null, preregistered: false };
  const check = checkStoredChain(s, await chainUpTo(s.db, entry.seq));
  const content = entry.content as { ruleVersion: string; rules: unknown };
  const commitment: RuleCommitment = {
    seq: entry.seq,
    hash: entry.hash,
    title: entry.title,
    committedAt: entry.committedAt,
    ruleVersion: content.ruleVersion,
    verified: check.valid,
    problem: check.valid ? null : `entry ${check.seq ?? '?'} of the chain is broken: ${check.reason}`,
  };
  const differences = ruleDifferences(content.rules, JSON.parse(JSON.stringify(used)));
  const deviation =
    differences.length === 0
      ? null
      : `The analysis used rule version ${used.version}, not the rules committed in commitment ${entry.seq} (version ${content.ruleVersion}): ${differences.join('; ')}.`;
  return { commitment, deviation, preregistered: check.valid && deviation === null };
}

/**
 * The sentence a report prints about the pre-registration of its breakpoint rules: the
 * commitment followed, or plainly that there is none, that it does not verify, or how the
 * analysis deviated from it.
 */
export function preregistrationSentence(rules: { readonly version: string; readonly lockedBy: { readonly waveName: string } | null } & RuleCommitmentCheck): string {
  const c = rules.commitment;
  if (!c) {
    return rules.lockedBy
      ? `Not pre-registered: the rules were locked when "${rules.lockedBy.waveName}" opened, but no signed commitment names them.`
      : 'Not pre-registered: no signed commitment names the breakpoint rules for this wave.';
  }
  const named = `commitment ${c.seq} (SHA-256 ${c.hash.slice(0, 16)}…, committed ${c.committedAt.slice(0, 10)})`;
  if (!c.verified) return `Not pre-registered: ${named} does not verify (${c.problem}).`;
  if (rules.deviation) return `Deviation from ${named}: ${rules.deviation}`;
  return `Pre-registered: the analysis followed ${named}, rule version ${c.ruleVersion}.`;
}
