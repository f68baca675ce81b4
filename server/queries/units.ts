import type { Db } from '../db.js';

export interface UnitRecord {
  readonly id: number;
  readonly key: string;
  readonly name: string;
  readonly parentKey: string | null;
  readonly context: string | null;
  readonly attributes: Record<string, string | number | boolean | null>;
  readonly createdAt: string;
}

export interface UnitFields {
  readonly key: string;
  readonly name: string;
  readonly parentId: number | null;
  readonly context: string | null;
  readonly attributes: Record<string, unknown>;
}

interface UnitRow {
  id: number;
  key: string;
  name: string;
  parent_key: string | null;
  context: string | null;
  attributes: string;
  created_at: string;
}

function selectUnits(db: Db) {
  return db('units as u')
    .leftJoin('units as p', 'p.id', 'u.parent_id')
    .select('u.id', 'u.key', 'u.name', 'p.key as parent_key', 'u.context', 'u.attributes', 'u.created_at');
}

function toUnit(row: UnitRow): UnitRecord {
  return {
    id: Number(row.id),
    key: row.key,
    name: row.name,
    parentKey: row.parent_key ?? null,
    context: row.context ?? null,
    attributes: JSON.parse(row.attributes),
    createdAt: row.created_at,
  };
}

export async function listUnits(db: Db): Promise<UnitRecord[]> {
  return (await selectUnits(db).orderBy('u.key')).map(toUnit);
}

export async function findUnitByKey(db: Db, key: string): Promise<UnitRecord | undefined> {
  const row = await selectUnits(db).where('u.key', key).first();
  return row ? toUnit(row) : undefined;
}

export async function findUnitsByKeys(db: Db, keys: readonly string[]): Promise<UnitRecord[]> {
  const rows: UnitRow[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    rows.push(...(await selectUnits(db).whereIn('u.key', keys.slice(i, i + 500))));
  }
  return rows.map(toUnit);
}

export async function insertUnit(db: Db, unit: UnitFields, createdAt: string): Promise<number> {
  const [row] = await db('units')
    .insert({
      key: unit.key,
      name: unit.name,
      parent_id: unit.parentId,
      context: unit.context,
      attributes: JSON.stringify(unit.attributes),
      created_at: createdAt,
    })
    .returning('id');
  return Number(row.id);
}

export async function updateUnit(db: Db, id: number, unit: Omit<UnitFields, 'key'>): Promise<void> {
  await db('units')
    .where({ id })
    .update({ name: unit.name, parent_id: unit.parentId, context: unit.context, attributes: JSON.stringify(unit.attributes) });
}

/** The ids of a unit and all its ancestors, nearest first (to refuse a parent that would make a cycle). */
export async function ancestorIds(db: Db, id: number): Promise<number[]> {
  const chain: number[] = [];
  let current: number | null = id;
  while (current !== null && !chain.includes(current)) {
    chain.push(current);
    const row: { parent_id: number | null } | undefined = await db('units').where({ id: current }).first('parent_id');
    current = row?.parent_id ?? null;
  }
  return chain;
}
