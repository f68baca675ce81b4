import { InputError } from '../errors.js';
import type { PublicationPolicy, SuppressionReason } from './policy.js';

/** The key of the organisation: the root over every unit of a wave (no unit key can take it). */
export const ORGANISATION = '@organisation';

/** A unit of the hierarchy and the valid respondents who answered as its own members. */
export interface AggregateNode {
  readonly key: string;
  readonly parentKey: string | null;
  /** Valid respondents of the unit itself (not of its descendants). */
  readonly own: number;
}

/** Whether an aggregate (a unit's roll-up over its descendants, or the organisation) is published. */
export type AggregateDecision =
  | { readonly key: string; readonly published: true; readonly n: number; readonly rollup: boolean }
  | { readonly key: string; readonly published: false; readonly reason: SuppressionReason; readonly rollup: boolean };

export interface AggregatePublication {
  /** Every unit with respondents in its subtree, the organisation last; parents after their children. */
  readonly aggregates: readonly AggregateDecision[];
  /** For each published aggregate: the keys of the units whose own respondents it covers. */
  readonly members: ReadonlyMap<string, readonly string[]>;
}

export interface AggregateOptions {
  /** Respondent counts of every earlier publication of the same aggregates (each key → n). */
  readonly previous?: readonly Readonly<Record<string, number>>[];
}

/**
 * Decides which aggregates of a unit hierarchy may be published under the policy:
 * 1. every unit is an aggregate over its own and all its descendants' valid respondents (a
 *    roll-up: a department over its teams);
 * 2. an aggregate with fewer than k respondents is suppressed ('below-minimum'), and so is one
 *    whose count differs from an earlier publication by 1 … k − 1 ('republication');
 * 3. complementary suppression, children before parents: for each published aggregate P, the
 *    residual r = n(P) − Σ n(D) over its nearest published descendants D is the group that
 *    subtraction reveals. When 1 ≤ r < k, the smallest D whose own residual is at least k is
 *    suppressed too (r grows by ≥ k; the parent stays, so leaders still see their whole area);
 *    when no D qualifies, P itself is suppressed and its residual joins its parent's;
 * 4. the organisation is the union of the top-most published aggregates (so organisation minus
 *    units leaves no one: respondents of suppressed top-level units are simply not in it).
 * Because the published aggregates are nested (a laminar family), these residuals are exactly
 * the smallest groups of respondents that differences of published aggregates can isolate, so
 * after step 3 none has 1 … k − 1 people (Hundepool et al., 2012, doi:10.1002/9781118348239,
 * §4.2 secondary suppression; Culture Amp and Qualtrics EX hierarchy reports roll parents up
 * over their descendants in the same way).
 */
export function publishAggregates(nodes: readonly AggregateNode[], policy: PublicationPolicy, options: AggregateOptions = {}): AggregatePublication {
  const k = policy.minGroupSize;
  const byKey = new Map<string, AggregateNode>();
  for (const node of nodes) {
    if (node.key === ORGANISATION) throw new InputError('nodes', `a unit may not use the reserved key "${ORGANISATION}".`);
    if (byKey.has(node.key)) throw new InputError('nodes', `unit "${node.key}" appears twice in the hierarchy.`);
    if (!Number.isInteger(node.own) || node.own < 0) throw new InputError('nodes', `unit "${node.key}" must have a whole, non-negative number of respondents; got ${node.own}.`);
    byKey.set(node.key, node);
  }
  const parentOf = (key: string): string => {
    const p = byKey.get(key)!.parentKey;
    return p !== null && byKey.has(p) ? p : ORGANISATION;
  };
  for (const node of nodes) {
    const seen = new Set<string>([node.key]);
    for (let p = parentOf(node.key); p !== ORGANISATION; p = parentOf(p)) {
      if (seen.has(p)) throw new InputError('nodes', `unit "${node.key}" is its own ancestor in the hierarchy.`);
      seen.add(p);
    }
  }
  const children = new Map<string, string[]>([[ORGANISATION, []]]);
  for (const node of nodes) children.set(node.key, []);
  for (const node of nodes) children.get(parentOf(node.key))!.push(node.key);
  for (const list of children.values()) list.sort();

  // Subtree sizes, and the units covered, in post-order (children before parents, organisation last).
  const size = new Map<string, number>();
  const covered = new Map<string, string[]>();
  const order: string[] = [];
  const visit = (key: string): void => {
    let n = key === ORGANISATION ? 0 : byKey.get(key)!.own;
    const units = key === ORGANISATION ? [] : [key];
    for (const child of children.get(key)!) {
      visit(child);
      n += size.get(child)!;
      units.push(...covered.get(child)!);
    }
    size.set(key, n);
    covered.set(key, units);
    if (n > 0) order.push(key);
  };
  visit(ORGANISATION);

  const status = new Map<string, SuppressionReason | 'published'>();
  for (const key of order) {
    const n = size.get(key)!;
    const near = (options.previous ?? []).some((counts) => {
      const before = counts[key];
      return before !== undefined && Math.abs(n - before) >= 1 && Math.abs(n - before) < k;
    });
    if (n < k) status.set(key, 'below-minimum');
    else if (near) status.set(key, 'republication');
    else status.set(key, 'published');
  }
  const published = (key: string) => status.get(key) === 'published';
  const nearestPublished = (key: string): string[] =>
    children.get(key)!.flatMap((child) => (size.get(child)! === 0 ? [] : published(child) ? [child] : nearestPublished(child)));
  const residual = (key: string) => size.get(key)! - nearestPublished(key).reduce((sum, d) => sum + size.get(d)!, 0);

  for (const key of order) {
    if (!published(key) || key === ORGANISATION) continue;
    const r = residual(key);
    if (r === 0 || r >= k) continue;
    const complement = nearestPublished(key)
      .filter((d) => residual(d) >= k)
      .sort((a, b) => size.get(a)! - size.get(b)! || (a < b ? -1 : 1))[0];
    status.set(complement ?? key, 'complementary');
  }

  // The organisation is the union of its nearest published aggregates: its residual is 0 by
  // construction, so it never costs a unit its publication, and it covers no one left unpublished.
  const top = order.includes(ORGANISATION) ? nearestPublished(ORGANISATION) : [];
  const organisationN = top.reduce((sum, d) => sum + size.get(d)!, 0);
  if (order.includes(ORGANISATION)) {
    const before = (options.previous ?? []).some((counts) => counts[ORGANISATION] !== undefined && Math.abs(organisationN - counts[ORGANISATION]) >= 1 && Math.abs(organisationN - counts[ORGANISATION]) < k);
    status.set(ORGANISATION, organisationN < k ? 'below-minimum' : before ? 'republication' : 'published');
    size.set(ORGANISATION, organisationN);
    covered.set(ORGANISATION, top.flatMap((d) => covered.get(d)!));
  }

  const aggregates: AggregateDecision[] = order.map((key) => {
    const s = status.get(key)!;
    const rollup = key === ORGANISATION || children.get(key)!.some((c) => size.get(c)! > 0);
    return s === 'published' ? { key, published: true, n: size.get(key)!, rollup } : { key, published: false, reason: s, rollup };
  });
  const members = new Map(order.filter(published).map((key) => [key, covered.get(key)!.filter((u) => (byKey.get(u)?.own ?? 0) > 0)]));
  return { aggregates, members };
}
