import { parse } from 'csv-parse/sync';
import type { z } from 'zod';
import { iso } from '../clock.js';
import type { Db } from '../db.js';
import { HttpError, conflict, notFound } from '../errors.js';
import { ancestorIds, findUnitByKey, insertUnit, listUnits, updateUnit, type UnitRecord } from '../queries/units.js';
import { UnitCreate, type UnitUpdate } from '../schemas.js';
import type { Services } from '../services.js';
import { describeIssue } from '../validation.js';
import { audit } from './audit.js';

export async function listAllUnits(s: Services): Promise<UnitRecord[]> {
  return listUnits(s.db);
}

export async function getUnit(s: Services, key: string): Promise<UnitRecord> {
  const unit = await findUnitByKey(s.db, key);
  if (!unit) throw notFound(`No unit has the key "${key}".`);
  return unit;
}

async function parentId(db: Db, parentKey: string | null | undefined, field = 'parentKey'): Promise<number | null> {
  if (parentKey === undefined || parentKey === null) return null;
  const parent = await findUnitByKey(db, parentKey);
  if (!parent) throw new HttpError(400, `${field} names no unit: "${parentKey}".`);
  return parent.id;
}

export async function createUnit(s: Services, actor: string, input: z.output<typeof UnitCreate>): Promise<UnitRecord> {
  return s.db.transaction(async (trx) => {
    if (await findUnitByKey(trx, input.key)) throw conflict(`A unit with the key "${input.key}" exists already.`);
    const fields = {
      key: input.key,
      name: input.name,
      parentId: await parentId(trx, input.parentKey),
      context: input.context ?? null,
      attributes: input.attributes ?? {},
    };
    await insertUnit(trx, fields, iso(s.clock()));
    await audit(s, actor, 'unit.create', `unit:${input.key}`, input, trx);
    return (await findUnitByKey(trx, input.key))!;
  });
}

export async function changeUnit(s: Services, actor: string, key: string, input: z.output<typeof UnitUpdate>): Promise<UnitRecord> {
  return s.db.transaction(async (trx) => {
    const unit = await findUnitByKey(trx, key);
    if (!unit) throw notFound(`No unit has the key "${key}".`);
    const newParent = input.parentKey === undefined ? await parentId(trx, unit.parentKey) : await parentId(trx, input.parentKey);
    if (newParent !== null && (await ancestorIds(trx, newParent)).includes(unit.id)) {
      throw new HttpError(400, `parentKey "${input.parentKey}" would make unit "${key}" its own ancestor.`);
    }
    await updateUnit(trx, unit.id, {
      name: input.name ?? unit.name,
      parentId: newParent,
      context: input.context === undefined ? unit.context : input.context,
      attributes: input.attributes ?? unit.attributes,
    });
    await audit(s, actor, 'unit.update', `unit:${key}`, input, trx);
    return (await findUnitByKey(trx, key))!;
  });
}

const KNOWN_COLUMNS = new Set(['key', 'name', 'parentKey', 'parent_key', 'context']);

/**
 * Creates or updates units from CSV: columns `key`, `name`, optional `parentKey` (or
 * `parent_key`) and `context`; every other column becomes an attribute (empty cells are left
 * out). Parents may be defined anywhere in the file. All rows are checked before anything is
 * stored; the first bad row is reported by its line number and nothing is stored.
 */
export async function importUnits(s: Services, actor: string, csv: string): Promise<{ created: number; updated: number; units: UnitRecord[] }> {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new HttpError(400, `The CSV could not be read: ${(err as Error).message.split('\n')[0]}`);
  }
  if (records.length === 0) throw new HttpError(400, 'The CSV has no unit rows; it needs a header row with key and name, then one row per unit.');
  const header = Object.keys(records[0]);
  for (const required of ['key', 'name']) {
    if (!header.includes(required)) throw new HttpError(400, `The CSV has no "${required}" column; its columns are ${header.join(', ')}.`);
  }
  const rows = records.map((record, i) => {
    const attributes: Record<string, string> = {};
    for (const [column, value] of Object.entries(record)) {
      if (!KNOWN_COLUMNS.has(column) && value !== '') attributes[column] = value;
    }
    const candidate = {
      key: record.key,
      name: record.name,
      parentKey: (record.parentKey ?? record.parent_key) || undefined,
      context: record.context || undefined,
      attributes,
    };
    const parsed = UnitCreate.safeParse(candidate);
    if (!parsed.success) throw new HttpError(400, `Line ${i + 2}: ${describeIssue(parsed.error.issues[0], candidate, 'the row')}`);
    return { line: i + 2, unit: parsed.data };
  });
  const seen = new Map<string, number>();
  for (const { line, unit } of rows) {
    if (seen.has(unit.key)) throw new HttpError(400, `Line ${line}: the key "${unit.key}" appears already on line ${seen.get(unit.key)}.`);
    seen.set(unit.key, line);
  }
  return s.db.transaction(async (trx) => {
    let created = 0;
    let updated = 0;
    const now = iso(s.clock());
    for (const { unit } of rows) {
      const existing = await findUnitByKey(trx, unit.key);
      const fields = { name: unit.name, parentId: existing ? await parentId(trx, existing.parentKey) : null, context: unit.context ?? null, attributes: unit.attributes ?? {} };
      if (existing) {
        await updateUnit(trx, existing.id, fields);
        updated++;
      } else {
        await insertUnit(trx, { key: unit.key, ...fields }, now);
        created++;
      }
    }
    for (const { line, unit } of rows) {
      if (unit.parentKey === undefined) continue;
      const self = (await findUnitByKey(trx, unit.key))!;
      const parent = await findUnitByKey(trx, unit.parentKey);
      if (!parent) throw new HttpError(400, `Line ${line}: parentKey names no unit: "${unit.parentKey}".`);
      if ((await ancestorIds(trx, parent.id)).includes(self.id)) {
        throw new HttpError(400, `Line ${line}: parentKey "${unit.parentKey}" would make unit "${unit.key}" its own ancestor.`);
      }
      await updateUnit(trx, self.id, { name: self.name, parentId: parent.id, context: self.context, attributes: self.attributes });
    }
    await audit(s, actor, 'unit.import', null, { created, updated, keys: rows.map((r) => r.unit.key) }, trx);
    const keys = new Set(rows.map((r) => r.unit.key));
    return { created, updated, units: (await listUnits(trx)).filter((u) => keys.has(u.key)) };
  });
}
