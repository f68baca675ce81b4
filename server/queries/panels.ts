import type { Db } from '../db.js';

export interface PanelRecord {
  readonly id: number;
  readonly name: string;
  readonly instrumentVersion: string;
  readonly status: 'open' | 'closed';
  readonly createdAt: string;
}

export interface PanelExpertRecord {
  readonly id: number;
  readonly panelId: number;
  readonly label: string;
  readonly tokenHash: string;
  readonly answers: Record<string, unknown> | null;
  readonly complete: boolean;
  readonly savedAt: string | null;
}

const toPanel = (r: { id: number; name: string; instrument_version: string; status: 'open' | 'closed'; created_at: string }): PanelRecord => ({
  id: Number(r.id),
  name: r.name,
  instrumentVersion: r.instrument_version,
  status: r.status,
  createdAt: r.created_at,
});

const toExpert = (r: { id: number; panel_id: number; label: string; token_hash: string; answers: string | null; complete: boolean | number; saved_at: string | null }): PanelExpertRecord => ({
  id: Number(r.id),
  panelId: Number(r.panel_id),
  label: r.label,
  tokenHash: r.token_hash,
  answers: r.answers === null ? null : JSON.parse(r.answers),
  complete: Boolean(r.complete),
  savedAt: r.saved_at,
});

export async function insertPanel(db: Db, p: Omit<PanelRecord, 'id'>): Promise<number> {
  const [row] = await db('expert_panels')
    .insert({ name: p.name, instrument_version: p.instrumentVersion, status: p.status, created_at: p.createdAt })
    .returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

export async function findPanel(db: Db, id: number): Promise<PanelRecord | undefined> {
  const row = await db('expert_panels').where({ id }).first();
  return row ? toPanel(row) : undefined;
}

export async function closePanel(db: Db, id: number): Promise<void> {
  await db('expert_panels').where({ id }).update({ status: 'closed' });
}

export async function listPanelExperts(db: Db, panelId: number): Promise<PanelExpertRecord[]> {
  const rows = await db('panel_experts').where({ panel_id: panelId }).orderBy('id');
  return rows.map(toExpert);
}

/** Adds `tokenHashes.length` experts labelled E<n> after the panel's last one. */
export async function insertPanelExperts(db: Db, panelId: number, tokenHashes: readonly string[]): Promise<string[]> {
  const [{ n }] = await db('panel_experts').where({ panel_id: panelId }).count({ n: '*' });
  const labels = tokenHashes.map((_, i) => `E${Number(n) + i + 1}`);
  await db('panel_experts').insert(tokenHashes.map((h, i) => ({ panel_id: panelId, label: labels[i], token_hash: h, complete: false })));
  return labels;
}

export async function findExpertByToken(db: Db, tokenHash: string): Promise<(PanelExpertRecord & { panel: PanelRecord }) | undefined> {
  const row = await db('panel_experts').where({ token_hash: tokenHash }).first();
  if (!row) return undefined;
  const panel = (await findPanel(db, Number(row.panel_id)))!;
  return { ...toExpert(row), panel };
}

/** Saves an expert's ratings unless a complete set is stored already; false when it was. */
export async function saveExpertAnswers(db: Db, expertId: number, answers: Record<string, unknown>, complete: boolean, at: string): Promise<boolean> {
  const changed = await db('panel_experts')
    .where({ id: expertId, complete: false })
    .update({ answers: JSON.stringify(answers), complete, saved_at: at });
  return changed > 0;
}

export async function insertPanelAnalysis(db: Db, panelId: number, experts: number, results: unknown, at: string): Promise<number> {
  const [row] = await db('panel_analyses').insert({ panel_id: panelId, experts, results: JSON.stringify(results), created_at: at }).returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

export async function latestPanelAnalysis(db: Db, panelId: number): Promise<{ id: number; experts: number; results: unknown; createdAt: string } | undefined> {
  const row = await db('panel_analyses').where({ panel_id: panelId }).orderBy('id', 'desc').first();
  return row ? { id: Number(row.id), experts: Number(row.experts), results: JSON.parse(row.results), createdAt: row.created_at } : undefined;
}

/** Every panel, newest first. */
export async function listPanels(db: Db): Promise<PanelRecord[]> {
  const rows = await db('expert_panels').orderBy('id', 'desc');
  return rows.map(toPanel);
}
