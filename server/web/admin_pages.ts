import { CELLS, type Cell } from '../../instrument/index.js';
import { SIGNALS, type BreakpointRuleSet } from '../../analysis/index.js';
import { SIGNAL_LABELS } from '../charts/index.js';
import { listRuleVersions, getRuleVersion, type RuleSetView } from '../dynamics/handlers/rules.js';
import { HttpError } from '../errors.js';
import { auditLog, listTokens } from '../handlers/admin.js';
import { activeSessions } from '../handlers/sessions.js';
import type { Services } from '../services.js';
import { fromLocalInput } from './time_zone.js';

/** A rule set as its form shows it: every value as typed text, so a refused form comes back as it was typed. */
export interface RuleForm {
  readonly version: string;
  readonly baselinePeriods: string;
  readonly persistence: string;
  readonly reworkWindowDays: string;
  readonly reopenMinClosed: string;
  readonly signals: readonly {
    readonly name: string;
    readonly label: string;
    readonly relative: boolean;
    readonly value: string;
    readonly strict: boolean;
    readonly cells: string;
  }[];
}

const cellText = (cells: readonly string[]) => cells.map((c) => c.replace('x', '×')).join(', ');

/** The form of a stored rule set. */
export function ruleForm(rules: BreakpointRuleSet, version = rules.version): RuleForm {
  return {
    version,
    baselinePeriods: String(rules.baselinePeriods),
    persistence: String(rules.persistence),
    reworkWindowDays: String(rules.reworkWindowDays),
    reopenMinClosed: String(rules.reopenMinClosed),
    signals: SIGNALS.map((name) => {
      const rule = rules.signals[name];
      const t = rule.threshold;
      return {
        name,
        label: SIGNAL_LABELS[name] ?? name,
        relative: t.kind === 'relative',
        value: String(t.kind === 'relative' ? t.factor : t.level),
        strict: t.kind === 'absolute' && t.strict,
        cells: cellText(rule.cells),
      };
    }),
  };
}

/** The form as typed (`field` reads one posted field). */
export function typedRuleForm(field: (name: string) => string): RuleForm {
  return {
    version: field('version'),
    baselinePeriods: field('baselinePeriods'),
    persistence: field('persistence'),
    reworkWindowDays: field('reworkWindowDays'),
    reopenMinClosed: field('reopenMinClosed'),
    signals: SIGNALS.map((name) => ({
      name,
      label: SIGNAL_LABELS[name] ?? name,
      relative: field(`${name}.kind`) === 'relative',
      value: field(`${name}.value`),
      strict: field(`${name}.strict`) === 'on',
      cells: field(`${name}.cells`),
    })),
  };
}

/**
 * The posted rule set body (server/dynamics/schemas.ts RuleSetBody) of a typed form. A number
 * that does not read as one is refused here with the signal's name; the schema and the
 * analysis' validateRuleSet check the rest.
 */
export function ruleBody(form: RuleForm): Record<string, unknown> {
  const number = (text: string, what: string) => {
    const value = Number(text.replace(',', '.'));
    if (text.trim() === '' || !Number.isFinite(value)) throw new HttpError(400, `${what} must be a number; got "${text.slice(0, 40)}".`);
    return value;
  };
  const cells = (text: string, what: string): Cell[] => {
    const list = text.split(/[\s,;]+/).filter(Boolean).map((c) => c.replace(/[×*]/, 'x'));
    for (const c of list) if (!(CELLS as readonly string[]).includes(c)) throw new HttpError(400, `${what} names no SEI cell: "${c.slice(0, 20)}"; use S×A … T×V.`);
    if (list.length === 0) throw new HttpError(400, `${what} must name at least one cell.`);
    return list as Cell[];
  };
  return {
    version: form.version,
    baselinePeriods: number(form.baselinePeriods, 'Baseline periods'),
    persistence: number(form.persistence, 'Persistence'),
    reworkWindowDays: number(form.reworkWindowDays, 'Rework window'),
    reopenMinClosed: number(form.reopenMinClosed, 'Fewest closes for a reopen rate'),
    signals: Object.fromEntries(
      form.signals.map((sig) => [
        sig.name,
        {
          threshold: sig.relative
            ? { kind: 'relative', factor: number(sig.value, `${sig.label}: the factor`) }
            : { kind: 'absolute', level: number(sig.value, `${sig.label}: the level`), strict: sig.strict },
          cells: cells(sig.cells, `${sig.label}: cells`),
        },
      ]),
    ),
  };
}

/** A rule version as the list shows it. */
function summary(v: RuleSetView) {
  return { ...v, editable: !v.builtIn && v.lockedBy.length === 0, locks: v.lockedBy.map((l) => l.waveName).join(', ') };
}

export async function rulesPage(s: Services) {
  const list = await listRuleVersions(s);
  return { inForce: list.inForce, versions: list.versions.map(summary) };
}

/** One rule version: its rules, the edit form when no wave has locked it, and the form for a new version from it. */
export async function ruleVersionPage(s: Services, version: string, typed?: { readonly form: RuleForm; readonly asNew: boolean }) {
  const v = summary(await getRuleVersion(s, version));
  const rules = v.rules as BreakpointRuleSet;
  const stored = ruleForm(rules);
  return {
    rule: v,
    rows: stored.signals.map((sig) => ({ ...sig, threshold: sig.relative ? `≥ ${sig.value} × the unit's baseline` : `${sig.strict ? '>' : '≥'} ${sig.value}` })),
    settings: stored,
    editForm: typed && !typed.asNew ? typed.form : stored,
    newForm: typed && typed.asNew ? typed.form : ruleForm(rules, `${rules.version}-next`),
  };
}

/** Admin tokens (names and dates) and the console sessions still valid; `created` is a token just made, shown once. */
export async function accessPage(s: Services, currentSession: number | null, created?: { readonly name: string; readonly token: string }, typedName = '') {
  const tokens = await listTokens(s);
  const names = new Map(tokens.map((t) => [t.id, t.name]));
  const { sessions } = await activeSessions(s);
  return {
    tokens: tokens.map((t) => ({ ...t, active: t.revokedAt === null })),
    sessions: sessions.map((x) => ({ ...x, tokenName: x.tokenId === null ? 'SEICI_ADMIN_TOKEN' : (names.get(x.tokenId) ?? `#${x.tokenId}`), current: x.id === currentSession })),
    created,
    typedName,
    configuredToken: s.config.adminToken !== undefined,
  };
}

/** The audit log's filter as typed on its page: dates are days in the organisation's zone. */
export interface AuditPageQuery {
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly from: string;
  readonly to: string;
  readonly limit: number;
}

export function auditQuery(query: Record<string, unknown>): AuditPageQuery {
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string).trim().slice(0, 200) : '');
  const limit = Number(text('limit') || 200);
  return { actor: text('actor'), action: text('action'), target: text('target'), from: text('from'), to: text('to'), limit: Number.isInteger(limit) && limit >= 1 && limit <= 5000 ? limit : 200 };
}

/** The newest audit entries passing the filter; `from`/`to` are whole days in the organisation's zone (to inclusive). */
export async function auditPage(s: Services, q: AuditPageQuery) {
  const day = (text: string, what: string) => {
    if (!text) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new HttpError(400, `${what} must be a date (YYYY-MM-DD); got "${text.slice(0, 40)}".`);
    return fromLocalInput(`${text}T00:00`, s.config.timeZone);
  };
  const since = day(q.from, 'From');
  const toDay = day(q.to, 'To');
  const until = toDay === undefined ? undefined : new Date(Date.parse(toDay) + 86_400_000).toISOString();
  const { entries } = await auditLog(s, q.limit, { actor: q.actor || undefined, action: q.action || undefined, target: q.target || undefined, since, until });
  return {
    query: q,
    entries: entries.map((e) => ({ ...e, detailText: e.details && typeof e.details === 'object' && Object.keys(e.details).length === 0 ? '' : JSON.stringify(e.details) })),
    filtered: Boolean(q.actor || q.action || q.target || q.from || q.to),
    timeZone: s.config.timeZone,
  };
}
