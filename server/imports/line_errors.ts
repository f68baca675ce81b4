import { HttpError } from '../errors.js';

/** Bad lines an import error lists; the rest are counted ("and 12 more"). */
export const LISTED_LINES = 20;

/**
 * One 400 for an import with bad lines: how many lines are wrong and that nothing was stored,
 * then the first LISTED_LINES problems (each naming its line) and how many more there are, so a
 * person can fix a file in one go rather than one line per attempt. `total` counts the bad lines
 * when only the first ones were kept (a streamed import).
 */
export function badLines(problems: readonly string[], total = problems.length): HttpError {
  if (total === 1) return new HttpError(400, problems[0]);
  const listed = problems.slice(0, LISTED_LINES).map((p) => p.replace(/\.$/, ''));
  const more = total - listed.length;
  return new HttpError(400, `${total} lines cannot be imported, so nothing was stored: ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`);
}
