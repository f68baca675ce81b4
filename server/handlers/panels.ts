import type { z } from 'zod';
import { contentValidity } from '../../analysis/index.js';
import { buildPanelQuestionnaire, isLocale, PANEL_PRIVACY_NOTE, itemMap, panelRatings, type InstrumentVersion } from '../../instrument/index.js';
import { iso } from '../clock.js';
import { HttpError, badRequest, conflict, notFound } from '../errors.js';
import type { ExpertInvite, PanelCreate, PanelRatingsSubmit } from '../panel_schemas.js';
import { findInstrumentDocument } from '../queries/instruments.js';
import {
  closePanel,
  findExpertByToken,
  findPanel,
  insertPanel,
  insertPanelAnalysis,
  insertPanelExperts,
  latestPanelAnalysis,
  listPanelExperts,
  listPanels,
  saveExpertAnswers,
  type PanelRecord,
} from '../queries/panels.js';
import type { Services } from '../services.js';
import { hashToken, newToken } from '../tokens.js';
import { audit } from './audit.js';
import { createVersion } from './instrument.js';
import type { Page } from './pages.js';

/** The seed of an expert's item order: fixed by their link, so a resumed page shows the same order. */
const seedOf = (tokenHash: string) => Number.parseInt(tokenHash.slice(0, 8), 16);

async function requirePanel(s: Services, id: number): Promise<PanelRecord> {
  const panel = await findPanel(s.db, id);
  if (!panel) throw notFound(`No expert panel has the id ${id}.`);
  return panel;
}

async function versionOf(s: Services, panel: PanelRecord): Promise<InstrumentVersion> {
  const v = await s.instruments.document(panel.instrumentVersion);
  if (!v) throw new Error(`panel ${panel.id} pins instrument version ${panel.instrumentVersion}, which is not stored`);
  return v;
}

async function view(s: Services, panel: PanelRecord) {
  const experts = await listPanelExperts(s.db, panel.id);
  return {
    ...panel,
    experts: { invited: experts.length, started: experts.filter((e) => e.answers !== null).length, complete: experts.filter((e) => e.complete).length },
  };
}

export async function getPanel(s: Services, id: number) {
  return view(s, await requirePanel(s, id));
}

/** Creates a panel on a published version (default the latest); a draft or unknown version is a 400. */
export async function createPanel(s: Services, actor: string, input: z.output<typeof PanelCreate>) {
  const instrument = input.instrumentVersion === undefined ? await s.instruments.latest() : await s.instruments.get(input.instrumentVersion);
  if (!instrument) {
    const draft = input.instrumentVersion !== undefined && (await findInstrumentDocument(s.db, input.instrumentVersion))?.status === 'draft';
    throw badRequest(draft ? `instrumentVersion ${input.instrumentVersion} is a draft; publish it before a panel rates it.` : `instrumentVersion names no published version: "${input.instrumentVersion}".`);
  }
  const panel = { name: input.name, instrumentVersion: instrument.definition.version, status: 'open' as const, createdAt: iso(s.clock()) };
  const id = await s.db.transaction(async (trx) => {
    const panelId = await insertPanel(trx, panel);
    await audit(s, actor, 'panel.create', `panel:${panelId}`, input, trx);
    return panelId;
  });
  return getPanel(s, id);
}

/** Issues single-use links for `count` more experts (labelled E1, E2, …). */
export async function inviteExperts(s: Services, actor: string, id: number, input: z.output<typeof ExpertInvite>) {
  const panel = await requirePanel(s, id);
  if (panel.status === 'closed') throw conflict(`Expert panel ${id} is closed; it takes no more experts.`);
  const tokens = Array.from({ length: input.count }, () => newToken());
  const labels = await s.db.transaction(async (trx) => {
    const issued = await insertPanelExperts(trx, id, tokens.map((t) => hashToken(t)));
    await audit(s, actor, 'panel.invite', `panel:${id}`, { count: input.count }, trx);
    return issued;
  });
  return { experts: tokens.map((token, i) => ({ label: labels[i], token, url: `${s.config.publicUrl}/p/${token}` })) };
}

export async function closeExpertPanel(s: Services, actor: string, id: number) {
  await requirePanel(s, id);
  await closePanel(s.db, id);
  await audit(s, actor, 'panel.close', `panel:${id}`, {});
  return getPanel(s, id);
}

/**
 * Saves an expert's ratings: partial saves merge (the expert resumes), one complete set per link
 * (the same set sent again is answered 200, a different one 409); a closed panel answers 410.
 */
export async function submitPanelRatings(s: Services, input: z.output<typeof PanelRatingsSubmit>) {
  const tokenHash = hashToken(input.token);
  const expert = await findExpertByToken(s.db, tokenHash);
  if (!expert) throw notFound('This panel link is not known; check that it was copied completely.');
  if (expert.panel.status === 'closed') throw new HttpError(410, `The expert panel "${expert.panel.name}" is closed; ratings are no longer accepted.`);
  const version = await versionOf(s, expert.panel);
  const merged = { ...(expert.answers ?? {}), ...input.answers };
  // Ratings the panel cannot take are an InputError: the error handler answers it 400.
  const ratings = panelRatings(version, expert.label, seedOf(tokenHash), merged);
  if (expert.complete) {
    if (JSON.stringify(expert.answers) === JSON.stringify(merged) && input.complete) return { status: 200, body: { complete: true, rated: ratings.filter((r) => r.relevance !== null).length, items: ratings.length } };
    throw conflict('This panel link has been used for a complete rating set already; it cannot be used again.');
  }
  if (!(await saveExpertAnswers(s.db, expert.id, merged, input.complete, iso(s.clock())))) {
    throw conflict('This panel link has been used for a complete rating set already; it cannot be used again.');
  }
  return { status: expert.answers === null ? 201 : 200, body: { complete: input.complete, rated: ratings.filter((r) => r.relevance !== null).length, items: ratings.length } };
}

/**
 * Analyses the complete rating sets of a panel with `contentValidity` and stores the run (an
 * immutable row); the panel's minimum group size does not apply, experts are not respondents.
 */
export async function analysePanel(s: Services, actor: string, id: number) {
  const panel = await requirePanel(s, id);
  const version = await versionOf(s, panel);
  const experts = (await listPanelExperts(s.db, id)).filter((e) => e.complete);
  if (experts.length === 0) throw conflict(`Expert panel ${id} has no complete rating set yet.`);
  const ratings = experts.flatMap((e) => panelRatings(version, e.label, seedOf(e.tokenHash), e.answers ?? {}));
  const results = contentValidity(ratings, itemMap(version));
  const at = iso(s.clock());
  const analysisId = await s.db.transaction(async (trx) => {
    const newId = await insertPanelAnalysis(trx, id, experts.length, results, at);
    await audit(s, actor, 'panel.analyse', `panel:${id}`, { analysis: newId }, trx);
    return newId;
  });
  return { id: analysisId, experts: experts.length, createdAt: at, results };
}

export async function panelAnalysis(s: Services, id: number) {
  await requirePanel(s, id);
  const latest = await latestPanelAnalysis(s.db, id);
  if (!latest) throw notFound(`Expert panel ${id} has not been analysed yet.`);
  return latest;
}

/** The expert's page for a panel link: the panel questionnaire with the ratings saved so far. */
export async function panelPage(s: Services, token: string, lang: string | undefined): Promise<Page> {
  const tokenHash = hashToken(token);
  const expert = await findExpertByToken(s.db, tokenHash);
  const message = (status: number, title: string, text: string): Page => ({ status, view: 'message', data: { title, message: text } });
  if (!expert) return message(404, 'This link is not known', 'We could not find an expert panel for this link. Please check that you copied the whole link.');
  if (expert.complete) return message(409, 'Thank you', 'Your ratings were saved. Each link can be used once, so there is nothing more to do.');
  if (expert.panel.status === 'closed') return message(410, 'This panel is closed', `The expert panel "${expert.panel.name}" takes no more ratings.`);
  const version = await versionOf(s, expert.panel);
  const locale = lang && isLocale(lang) && version.locales.includes(lang) ? lang : version.locales[0];
  const survey = buildPanelQuestionnaire(version, locale, seedOf(tokenHash));
  return {
    status: 200,
    view: 'panel',
    data: {
      title: expert.panel.name,
      lang: locale,
      privacy: PANEL_PRIVACY_NOTE[locale],
      config: { token, survey, answers: expert.answers ?? {}, locale, locales: [locale], endpoint: '/api/v1/panel-ratings' },
    },
  };
}

/**
 * Turns a panel's latest verdicts into a draft version of its instrument: every item the panel
 * would drop is retired, with the verdict's reasons and the statistics as evidence (the analysis
 * run's id included); items to revise need new wording, so they are listed for the editor.
 */
export async function draftFromPanel(s: Services, actor: string, id: number, version: string) {
  const panel = await requirePanel(s, id);
  const latest = await latestPanelAnalysis(s.db, id);
  if (!latest) throw conflict(`Expert panel ${id} has not been analysed yet.`);
  type Verdict = { item: string; verdict: string | null; reasons: string[]; iCvi: number | null; cvr: number | null; cvrCritical: number | null; psa: number | null; csv: number | null };
  const items = (latest.results as { items: Verdict[] }).items;
  const drop = items.filter((i) => i.verdict === 'drop');
  if (drop.length === 0) throw conflict(`The panel's analysis ${latest.id} drops no item; revise items in the console instead.`);
  const draft = await createVersion(s, actor, {
    from: panel.instrumentVersion,
    version,
    changes: drop.map((i) => ({
      action: 'retire' as const,
      item: i.item,
      reason: `Expert panel: ${i.reasons.join('; ')}.`,
      evidence: { analysisId: `panel-${latest.id}`, statistics: { iCvi: i.iCvi, cvr: i.cvr, cvrCritical: i.cvrCritical, psa: i.psa, csv: i.csv } },
    })),
  });
  return { ...draft, toRevise: items.filter((i) => i.verdict === 'revise').map((i) => ({ item: i.item, reasons: i.reasons })) };
}

/** The console's list of panels with their progress, and the published versions a new panel can rate. */
export async function panelsPage(s: Services) {
  const panels = await Promise.all((await listPanels(s.db)).map((p) => view(s, p)));
  const latest = await s.instruments.latest();
  return { panels, latestVersion: latest?.definition.version ?? null };
}

/**
 * The console page of one panel: its progress, the links just issued (shown once: only their
 * hashes are stored), and the latest content-validity analysis with a verdict per item and the
 * per-cell S-CVI.
 */
export async function panelConsolePage(s: Services, id: number, links: readonly { label: string; url: string }[] = []) {
  const panel = await getPanel(s, id);
  const latest = await latestPanelAnalysis(s.db, id);
  type Row = { item: string; cell: string; iCvi: number | null; cvr: number | null; cvrCritical: number | null; psa: number | null; csv: number | null; verdict: string | null; reasons: string[] };
  const results = latest?.results as { experts: number; items: Row[]; cells: { cell: string; sCviAve: number | null; sCviUa: number | null }[]; sCviAve: number | null; sCviUa: number | null } | undefined;
  const progress = panel.experts.invited === 0 ? 0 : Math.round((100 * panel.experts.complete) / panel.experts.invited);
  return {
    panel,
    progress,
    links,
    analysis: latest && results ? { id: latest.id, createdAt: latest.createdAt, ...results, flagged: results.items.filter((i) => i.verdict !== 'keep') } : null,
  };
}
