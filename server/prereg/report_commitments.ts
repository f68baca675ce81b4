import { DEFAULT_RULES, parseModelSyntax, type BreakpointRuleSet } from '../../analysis/index.js';
import { findLock, findRuleSetByVersion } from '../dynamics/queries/rules.js';
import { storedRules } from '../dynamics/handlers/rules.js';
import type { Services } from '../services.js';
import type { CommitmentKind, SignedCommitment } from './commitment_chain.js';
import { checkStoredChain } from './handlers.js';
import { chainUpTo } from './queries.js';
import { ruleDifferences } from './rule_commitment.js';

/** A commitment as a report names it: its place in the chain, its SHA-256 and whether its signature verifies. */
export interface NamedCommitment {
  readonly seq: number;
  readonly kind: CommitmentKind;
  readonly waveId: number;
  readonly title: string;
  readonly hash: string;
  readonly committedAt: string;
  /** True when the chain up to this entry verifies against the server's public key. */
  readonly signed: boolean;
  /** Why it does not verify (null when it does). */
  readonly problem: string | null;
  /** One sentence: chain position, SHA-256, date and signature. */
  readonly label: string;
}

/** What a report says about the pre-registration of the analysis it shows. */
export interface ReportPreregistration {
  readonly commitments: readonly NamedCommitment[];
  /** One sentence per way the analysis departed from a commitment. */
  readonly deviations: readonly string[];
  /** Every commitment that applies verifies and none was deviated from. */
  readonly preregistered: boolean;
  /** The sentence the report prints first. */
  readonly statement: string;
}

/** The entries of `kinds` for the waves, each with whether the chain up to it verifies. */
async function commitmentsFor(s: Services, waveIds: readonly number[], kinds: readonly CommitmentKind[]): Promise<{ entry: SignedCommitment; named: NamedCommitment }[]> {
  const chain = await chainUpTo(s.db);
  const out: { entry: SignedCommitment; named: NamedCommitment }[] = [];
  for (const entry of chain) {
    if (!waveIds.includes(entry.waveId) || !kinds.includes(entry.kind)) continue;
    const check = checkStoredChain(s, chain.slice(0, chain.indexOf(entry) + 1));
    const problem = check.valid ? null : check.seq === null ? check.reason : `entry ${check.seq} of the chain is broken: ${check.reason}`;
    const label = `commitment ${entry.seq} (${entry.kind}, "${entry.title}", SHA-256 ${entry.hash.slice(0, 16)}…, committed ${entry.committedAt.slice(0, 10)}, ${check.valid ? 'signed and verified' : `signature not verified: ${problem}`})`;
    out.push({ entry, named: { seq: entry.seq, kind: entry.kind, waveId: entry.waveId, title: entry.title, hash: entry.hash, committedAt: entry.committedAt, signed: check.valid, problem, label } });
  }
  return out;
}

function summary(named: readonly NamedCommitment[], deviations: readonly string[], what: string): ReportPreregistration {
  if (named.length === 0) return { commitments: [], deviations: [], preregistered: false, statement: `Not pre-registered: no signed commitment names ${what}.` };
  const unsigned = named.filter((c) => !c.signed);
  const preregistered = unsigned.length === 0 && deviations.length === 0;
  const statement = preregistered
    ? `Pre-registered: the analysis followed ${named.map((c) => c.label).join('; ')}.`
    : deviations.length > 0
      ? `Deviation from pre-registration: ${deviations.join(' ')} Commitments: ${named.map((c) => c.label).join('; ')}.`
      : `Not pre-registered: ${unsigned.map((c) => c.label).join('; ')} does not verify.`;
  return { commitments: named, deviations, preregistered, statement };
}

/** The rule set a wave locked when it opened (the rules its breakpoint analysis uses), or null. */
async function lockedRules(s: Services, waveId: number): Promise<BreakpointRuleSet | null> {
  const lock = await findLock(s.db, waveId);
  if (!lock) return null;
  const record = await findRuleSetByVersion(s.db, lock.version);
  return record ? storedRules(record) : lock.version === DEFAULT_RULES.version ? DEFAULT_RULES : null;
}

/**
 * The wave report's pre-registration: every commitment of the wave (rules, models, hypotheses,
 * plan), and a deviation when the breakpoint rules the wave locked differ from the committed ones.
 */
export async function wavePreregistration(s: Services, waveId: number): Promise<ReportPreregistration> {
  const found = await commitmentsFor(s, [waveId], ['breakpoint-rules', 'measurement-model', 'hypothesis', 'analysis-plan']);
  const deviations: string[] = [];
  const rules = found.filter((f) => f.entry.kind === 'breakpoint-rules').at(-1);
  if (rules) {
    const used = await lockedRules(s, waveId);
    const content = rules.entry.content as { ruleVersion: string; rules: unknown };
    if (!used) deviations.push(`Commitment ${rules.entry.seq} fixes breakpoint rules ${content.ruleVersion}, but the wave locked no rules when it opened.`);
    else {
      const differences = ruleDifferences(content.rules, JSON.parse(JSON.stringify(used)));
      if (differences.length > 0) deviations.push(`The breakpoint analysis uses rule version ${used.version}, not version ${content.ruleVersion} committed in commitment ${rules.entry.seq}: ${differences.join('; ')}.`);
    }
  }
  return summary(found.map((f) => f.named), deviations, 'this wave');
}

/** A measurement model as its `=~` relations: factor → sorted indicators. */
function measurement(syntax: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const st of parseModelSyntax(syntax, 'syntax')) {
    if (st.op !== '=~') continue;
    for (const f of st.lhs) out.set(f, [...(out.get(f) ?? []), ...st.rhs.map((t) => t.name)].sort());
  }
  return out;
}

/** What a scale-developer run fitted: its CFA models (lavaan syntax), estimator, grouping and invariance levels. */
export interface FittedModels {
  readonly models: readonly { readonly name: string; readonly syntax: string }[];
  readonly estimator: string;
  readonly groups: string;
  readonly invariance: readonly string[];
}

/**
 * The scale-developer report's pre-registration: the wave's measurement-model commitments, and a
 * deviation for each committed factor fitted with other indicators (or not at all), each
 * committed estimator, grouping or invariance level other than the run's.
 */
export async function scalePreregistration(s: Services, waveId: number, fitted: FittedModels): Promise<ReportPreregistration> {
  const found = await commitmentsFor(s, [waveId], ['measurement-model']);
  const used = new Map<string, string[]>();
  for (const m of fitted.models) for (const [f, items] of measurement(m.syntax)) used.set(f, items);
  const deviations: string[] = [];
  for (const { entry } of found) {
    const c = entry.content as { syntax: string; estimator?: string; groups?: string; invariance?: string[] };
    const differs: string[] = [];
    for (const [factor, items] of measurement(c.syntax)) {
      const got = used.get(factor);
      if (!got) differs.push(`factor ${factor} (committed ${items.join(', ')}) was not fitted`);
      else if (got.join(',') !== items.join(',')) differs.push(`factor ${factor} was committed with ${items.join(', ')} and fitted with ${got.join(', ')}`);
    }
    if (c.estimator && c.estimator.toUpperCase() !== fitted.estimator.toUpperCase()) differs.push(`the estimator was committed as ${c.estimator} and is ${fitted.estimator}`);
    if (c.groups && c.groups !== fitted.groups) differs.push(`invariance was committed across "${c.groups}" and tested across "${fitted.groups}"`);
    const missing = (c.invariance ?? []).filter((l) => !fitted.invariance.includes(l));
    if (missing.length > 0) differs.push(`the committed invariance level(s) ${missing.join(', ')} were not tested`);
    if (differs.length > 0) deviations.push(`The run's models depart from commitment ${entry.seq} ("${entry.title}"): ${differs.join('; ')}.`);
  }
  return summary(found.map((f) => f.named), deviations, 'a measurement model for this wave');
}

/** The rule of a research run: every hypothesis is decided at α = .05 (a 95% interval for H1 and H2). */
const RUN_ALPHA = 0.05;

/** A hypothesis of a research run as its pre-registration check needs it. */
export interface TestedHypothesis {
  readonly hypothesis: string;
  /** The run's model formulas (seici's spelling, `PQ ~ M + M^2`). */
  readonly formulas: readonly string[];
  readonly tested: boolean;
}

/** A formula's outcome and its set of terms, spaces removed, for comparison. */
function formulaKey(text: string): string | null {
  const m = /([A-Za-z][\w.]*)\s*~\s*([A-Za-z(][^,;]*)/.exec(text);
  if (!m) return null;
  const terms = m[2].split('+').map((t) => t.replace(/\s+/g, '').replace(/^I\((.*)\)$/, '$1')).filter(Boolean).sort();
  return `${m[1]}~${terms.join('+')}`;
}

/**
 * The research report's pre-registration: the hypothesis commitments of its three waves (a
 * commitment names its hypothesis as H1–H7 in its title, test or statement), and a deviation when
 * a committed threshold is not the run's α = .05 (p < .05, or a 95% interval), when the committed
 * test writes a model the run did not fit, or names unit fixed effects the run did not use.
 */
export async function researchPreregistration(s: Services, waveIds: readonly number[], hypotheses: readonly TestedHypothesis[]): Promise<ReportPreregistration> {
  const found = await commitmentsFor(s, waveIds, ['hypothesis']);
  const deviations: string[] = [];
  for (const { entry } of found) {
    const c = entry.content as { statement: string; test: string; threshold: { statistic: string; operator: string; value: number } };
    const name = /\bH([1-7])\b/.exec(`${entry.title} ${c.test} ${c.statement}`)?.[0];
    const h = hypotheses.find((x) => x.hypothesis === name);
    if (!h) {
      deviations.push(`Commitment ${entry.seq} ("${entry.title}") names no hypothesis the run tested (H1–H7 in its title, test or statement), so its test was not run.`);
      continue;
    }
    if (!h.tested) {
      deviations.push(`${h.hypothesis}, committed in commitment ${entry.seq}, could not be tested in this run.`);
      continue;
    }
    const differs: string[] = [];
    const t = c.threshold;
    const alpha = ['p', 'alpha', 'α'].includes(t.statistic.toLowerCase()) && (t.operator === '<' || t.operator === '<=') ? t.value : null;
    if (alpha !== RUN_ALPHA) differs.push(`the threshold was committed as ${t.statistic} ${t.operator} ${t.value} and the run decided at p < .05${h.hypothesis === 'H1' || h.hypothesis === 'H2' ? ' (a 95% interval)' : ''}`);
    const committedModel = formulaKey(c.test);
    if (committedModel && !h.formulas.some((f) => formulaKey(f) === committedModel)) differs.push(`the committed model ${committedModel.replace('~', ' ~ ')} is not the run's (${h.formulas.join('; ')})`);
    if (/fixed[- ]effects?|within estimator/i.test(c.test)) differs.push('the committed test uses unit fixed effects, and the run fitted OLS on the three-wave design');
    if (differs.length > 0) deviations.push(`${h.hypothesis} departs from commitment ${entry.seq}: ${differs.join('; ')}.`);
  }
  return summary(found.map((f) => f.named), deviations, 'a hypothesis for these waves');
}
