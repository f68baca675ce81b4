import type { z } from 'zod';
import { iso } from '../clock.js';
import { conflict, notFound } from '../errors.js';
import { audit } from '../handlers/audit.js';
import { findUnitByKey } from '../queries/units.js';
import type { Services } from '../services.js';
import { deleteInterfaceChange, insertInterfaceChange, listInterfaceChanges } from './queries.js';
import type { InterfaceChangeRequest } from './schemas.js';

async function unitOf(s: Services, key: string) {
  const unit = await findUnitByKey(s.db, key);
  if (!unit) throw notFound(`No unit has the key "${key}".`);
  return unit;
}

/**
 * Records an interface change for a unit (issue 12): the treatment of the research run's
 * difference-in-differences and event study. A research run reads the changes recorded when
 * it runs; the earliest change of a unit in the design counts (analysis/publication's
 * eventWavePositions says which wave it first reaches).
 */
export async function recordInterfaceChange(s: Services, actor: string, key: string, body: z.output<typeof InterfaceChangeRequest>) {
  const unit = await unitOf(s, key);
  const id = await insertInterfaceChange(s.db, { unitId: unit.id, on: body.on, note: body.note ?? '', createdBy: actor, createdAt: iso(s.clock()) });
  if (id === undefined) throw conflict(`Unit "${key}" already has an interface change on ${body.on}.`);
  await audit(s, actor, 'interface-change.record', `unit:${key}`, { id, on: body.on });
  return (await listInterfaceChanges(s.db, unit.id)).find((c) => c.id === id)!;
}

/** Every recorded interface change, or one unit's. */
export async function interfaceChanges(s: Services, key?: string) {
  const unit = key === undefined ? undefined : await unitOf(s, key);
  return { changes: await listInterfaceChanges(s.db, unit?.id) };
}

/** Deletes a recorded interface change (a later research run no longer sees it; stored runs keep what they read). */
export async function removeInterfaceChange(s: Services, actor: string, key: string, id: number) {
  const unit = await unitOf(s, key);
  const change = (await listInterfaceChanges(s.db, unit.id)).find((c) => c.id === id);
  if (!change || !(await deleteInterfaceChange(s.db, unit.id, id))) throw notFound(`Unit "${key}" has no interface change with the id ${id}.`);
  await audit(s, actor, 'interface-change.delete', `unit:${key}`, { id, on: change.on });
  return change;
}
