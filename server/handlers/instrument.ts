import { notFound } from '../errors.js';
import { listInstrumentVersions } from '../queries/instruments.js';
import type { Services } from '../services.js';

export async function latestInstrument(s: Services) {
  const latest = await s.instruments.latest();
  if (!latest) throw notFound('No instrument version is published.');
  return latest.definition;
}

export async function allInstruments(s: Services) {
  return { versions: (await listInstrumentVersions(s.db)).map((v) => v.definition) };
}

export async function instrumentVersion(s: Services, version: string) {
  const found = await s.instruments.get(version);
  if (!found) throw notFound(`No instrument version "${version}" is published.`);
  return found.definition;
}
