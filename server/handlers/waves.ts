import type { z } from 'zod';
import { iso } from '../clock.js';
import { HttpError, conflict, notFound } from '../errors.js';
import { findInstrumentDocument, listInstrumentVersions } from '../queries/instruments.js';
import { findUnitsByKeys } from '../queries/units.js';
import {
  addWaveUnits,
  deleteWave as deleteWaveRow,
  findWave,
  insertWave,
  invitationCount,
  listWaves,
  setWaveStatus,
  updateWave as updateWaveRow,
  waveProgress,
  waveUnitKeys,
  type WaveChanges,
  type WaveRecord,
  type WaveStatus,
} from '../queries/waves.js';
import type { WaveCreate, WaveUnitsAdd, WaveUpdate } from '../schemas.js';
import type { Services } from '../services.js';
import { audit } from './audit.js';

/**
 * A wave's status at `now`: closed once closed by hand or past its closing time, open from its
 * opening time, scheduled before. The stored status follows with the scheduler; answers are
 * judged by this, so a late scheduler tick never lets an answer in after closing time.
 */
export function effectiveStatus(wave: Pick<WaveRecord, 'status' | 'opensAt' | 'closesAt'>, now: Date): WaveStatus {
  const t = iso(now);
  if (wave.status === 'closed' || t >= wave.closesAt) return 'closed';
  if (t >= wave.opensAt) return 'open';
  return 'scheduled';
}

export interface WaveView extends Omit<WaveRecord, 'status'> {
  readonly status: WaveStatus;
  readonly unitKeys: string[];
}

async function view(s: Services, wave: WaveRecord): Promise<WaveView> {
  return { ...wave, status: effectiveStatus(wave, s.clock()), unitKeys: await waveUnitKeys(s.db, wave.id) };
}

export async function requireWave(s: Services, id: number): Promise<WaveRecord> {
  const wave = await findWave(s.db, id);
  if (!wave) throw notFound(`No wave has the id ${id}.`);
  return wave;
}

export async function listAllWaves(s: Services): Promise<WaveView[]> {
  const waves = await listWaves(s.db);
  return Promise.all(waves.map((w) => view(s, w)));
}

export async function getWave(s: Services, id: number) {
  const wave = await requireWave(s, id);
  const progress = (await waveProgress(s.db, id)).map((p) => ({ ...p, belowMinimum: p.complete < wave.minGroupSize }));
  return { ...(await view(s, wave)), progress };
}

const DAY_MS = 86_400_000;
/** A wave opens within a year of its creation (before or after), and stays open at most two years. */
const MAX_OPEN_DISTANCE_MS = 366 * DAY_MS;
const MAX_WAVE_MS = 730 * DAY_MS;

function utc(text: string): string {
  return new Date(text).toISOString();
}

export async function createWave(s: Services, actor: string, input: z.output<typeof WaveCreate>): Promise<WaveView> {
  const opensAt = utc(input.opensAt);
  const closesAt = utc(input.closesAt);
  if (closesAt <= opensAt) throw new HttpError(400, `closesAt (${input.closesAt}) must be later than opensAt (${input.opensAt}).`);
  if (Math.abs(Date.parse(opensAt) - s.clock().getTime()) > MAX_OPEN_DISTANCE_MS) {
    throw new HttpError(400, `opensAt must lie within a year of now; ${opensAt.slice(0, 10)} does not.`);
  }
  if (Date.parse(closesAt) - Date.parse(opensAt) > MAX_WAVE_MS) {
    throw new HttpError(400, `A wave may stay open at most two years (730 days); from ${opensAt.slice(0, 10)} to ${closesAt.slice(0, 10)} is longer.`);
  }
  const reminders = [...new Set((input.reminders ?? []).map(utc))].sort();
  for (const at of reminders) {
    if (at <= opensAt || at >= closesAt) throw new HttpError(400, `reminders must lie between opensAt and closesAt; ${at} does not.`);
  }
  const unitKeys = [...new Set(input.unitKeys)];
  const units = await findUnitsByKeys(s.db, unitKeys);
  if (units.length < unitKeys.length) {
    const known = new Set(units.map((u) => u.key));
    const missing = unitKeys.filter((k) => !known.has(k));
    throw new HttpError(400, `unitKeys names no unit: ${missing.slice(0, 5).map((k) => `"${k}"`).join(', ')}${missing.length > 5 ? ' and others' : ''}.`);
  }
  const instrument = input.instrumentVersion === undefined ? await s.instruments.latest() : await s.instruments.get(input.instrumentVersion);
  if (!instrument && input.instrumentVersion !== undefined && (await findInstrumentDocument(s.db, input.instrumentVersion))?.status === 'draft') {
    throw new HttpError(400, `instrumentVersion ${input.instrumentVersion} is a draft; publish it before a wave uses it.`);
  }
  if (!instrument) {
    const published = (await listInstrumentVersions(s.db)).map((v) => v.definition.version);
    throw new HttpError(400, `instrumentVersion names no published version: "${input.instrumentVersion}"; published: ${published.join(', ') || 'none'}.`);
  }
  const locales = [...new Set(input.locales ?? ['en'])];
  for (const locale of locales) {
    if (!instrument.definition.items.every((item) => item.text[locale])) {
      throw new HttpError(400, `locales: instrument version ${instrument.definition.version} has no complete "${locale}" text.`);
    }
  }
  const now = s.clock();
  const wave = {
    name: input.name,
    instrumentVersion: instrument.definition.version,
    opensAt,
    closesAt,
    status: effectiveStatus({ status: 'scheduled', opensAt, closesAt }, now),
    locales,
    reminders,
    minGroupSize: input.minGroupSize ?? s.config.minGroupSize,
    createdAt: iso(now),
  };
  const id = await s.db.transaction(async (trx) => {
    const waveId = await insertWave(trx, wave, units.map((u) => u.id));
    await audit(s, actor, 'wave.create', `wave:${waveId}`, input, trx);
    return waveId;
  });
  return view(s, (await findWave(s.db, id))!);
}

export async function closeWave(s: Services, actor: string, id: number): Promise<WaveView> {
  await requireWave(s, id);
  await s.db.transaction(async (trx) => {
    const changed = await setWaveStatus(trx, id, 'closed', iso(s.clock()));
    if (changed) {
      await audit(s, actor, 'wave.close', `wave:${id}`, {}, trx);
      // Closing publishes the wave: its run is queued with the close (see AnalysisRunner).
      await s.analyses.enqueue(trx, id, actor);
    }
  });
  s.analyses.kick();
  return view(s, (await findWave(s.db, id))!);
}

/**
 * Changes the name, dates or reminders of a wave that has not closed. The opening time changes
 * only before the wave opens (the rules it locks and the links it hands out start then); the
 * closing time may move to any time ahead of now (extending a wave, or closing it earlier);
 * reminders replace the unsent ones and must lie ahead, between opening and closing. Audited as
 * `wave.update` with the old and new values. 409 for a closed wave.
 */
export async function updateWave(s: Services, actor: string, id: number, input: z.output<typeof WaveUpdate>): Promise<WaveView> {
  const wave = await requireWave(s, id);
  const now = s.clock();
  const status = effectiveStatus(wave, now);
  if (status === 'closed') throw conflict(`Wave "${wave.name}" is closed; a closed wave cannot change.`);
  const changes: { -readonly [K in keyof WaveChanges]: WaveChanges[K] } = {};
  if (input.name !== undefined && input.name !== wave.name) changes.name = input.name;
  const opensAt = input.opensAt === undefined ? wave.opensAt : utc(input.opensAt);
  if (opensAt !== wave.opensAt) {
    if (status !== 'scheduled') throw conflict(`opensAt cannot change: wave "${wave.name}" opened on ${wave.opensAt}.`);
    if (Math.abs(Date.parse(opensAt) - now.getTime()) > MAX_OPEN_DISTANCE_MS) throw new HttpError(400, `opensAt must lie within a year of now; ${opensAt.slice(0, 10)} does not.`);
    changes.opensAt = opensAt;
  }
  const closesAt = input.closesAt === undefined ? wave.closesAt : utc(input.closesAt);
  if (closesAt !== wave.closesAt) {
    if (closesAt <= iso(now)) throw new HttpError(400, `closesAt (${input.closesAt}) must lie ahead; to close the wave now, close it.`);
    changes.closesAt = closesAt;
  }
  if (closesAt <= opensAt) throw new HttpError(400, `closesAt (${closesAt}) must be later than opensAt (${opensAt}).`);
  if (Date.parse(closesAt) - Date.parse(opensAt) > MAX_WAVE_MS) {
    throw new HttpError(400, `A wave may stay open at most two years (730 days); from ${opensAt.slice(0, 10)} to ${closesAt.slice(0, 10)} is longer.`);
  }
  const reminders = input.reminders === undefined ? wave.reminders : [...new Set(input.reminders.map(utc))].sort();
  for (const at of reminders) {
    if (at <= opensAt || at >= closesAt) throw new HttpError(400, `reminders must lie between opensAt and closesAt; ${at} does not.`);
    if (input.reminders !== undefined && at < iso(now) && !wave.reminders.includes(at)) throw new HttpError(400, `reminders must lie ahead; ${at} has passed.`);
  }
  if (input.reminders !== undefined && reminders.join() !== wave.reminders.join()) changes.reminders = reminders;
  if (Object.keys(changes).length === 0) return view(s, wave);
  const before = Object.fromEntries(Object.keys(changes).map((k) => [k, wave[k as keyof WaveChanges]]));
  const done = await s.db.transaction(async (trx) => {
    if (!(await updateWaveRow(trx, id, changes, iso(now)))) return false;
    await audit(s, actor, 'wave.update', `wave:${id}`, { from: before, to: changes }, trx);
    return true;
  });
  if (!done) throw conflict(`Wave "${wave.name}" closed meanwhile; a closed wave cannot change.`);
  return view(s, (await findWave(s.db, id))!);
}

/** Adds units to a wave that has not closed (an open wave included); units it surveys already are skipped. */
export async function addUnitsToWave(s: Services, actor: string, id: number, input: z.output<typeof WaveUnitsAdd>): Promise<WaveView & { added: number }> {
  const wave = await requireWave(s, id);
  if (effectiveStatus(wave, s.clock()) === 'closed') throw conflict(`Wave "${wave.name}" is closed; units cannot be added to it.`);
  const unitKeys = [...new Set(input.unitKeys)];
  const units = await findUnitsByKeys(s.db, unitKeys);
  if (units.length < unitKeys.length) {
    const known = new Set(units.map((u) => u.key));
    const missing = unitKeys.filter((k) => !known.has(k));
    throw new HttpError(400, `unitKeys names no unit: ${missing.slice(0, 5).map((k) => `"${k}"`).join(', ')}${missing.length > 5 ? ' and others' : ''}.`);
  }
  const added = await s.db.transaction(async (trx) => {
    const n = await addWaveUnits(trx, id, units.map((u) => u.id));
    if (n > 0) await audit(s, actor, 'wave.add-units', `wave:${id}`, { unitKeys }, trx);
    return n;
  });
  return { ...(await view(s, (await findWave(s.db, id))!)), added };
}

/**
 * Deletes a draft: a wave that has not opened and has issued no invitation link. Anything else
 * is a 409 (a wave people may have answered is closed, never deleted).
 */
export async function deleteWave(s: Services, actor: string, id: number): Promise<{ id: number; deleted: true }> {
  const wave = await requireWave(s, id);
  if (effectiveStatus(wave, s.clock()) !== 'scheduled') throw conflict(`Wave "${wave.name}" has opened; only a wave that has not opened can be deleted (close it instead).`);
  if ((await invitationCount(s.db, id)) > 0) throw conflict(`Wave "${wave.name}" has issued invitation links; it cannot be deleted (close it instead).`);
  await s.db.transaction(async (trx) => {
    await deleteWaveRow(trx, id);
    await audit(s, actor, 'wave.delete', `wave:${id}`, { name: wave.name, opensAt: wave.opensAt, closesAt: wave.closesAt }, trx);
  });
  return { id, deleted: true as const };
}
