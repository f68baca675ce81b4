import type { z } from 'zod';
import { iso } from '../clock.js';
import type { Db } from '../db.js';
import { HttpError, conflict, notFound } from '../errors.js';
import { ancestorIds, findUnitByKey, insertUnit, listUnits, updateUnit, type UnitRecord } from '../queries/units.js';
import type { UnitCreate, UnitUpdate } from '../schemas.js';
import type { Services } from '../services.js';
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

export { importUnits } from '../imports/unit_import.js';
