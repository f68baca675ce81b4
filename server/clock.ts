/** The current time; injected so that the scheduler and wave windows can be tested at chosen instants. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** An ISO 8601 UTC timestamp (fixed width, so stored timestamps compare as strings). */
export function iso(date: Date): string {
  return date.toISOString();
}

/** The UTC calendar date `YYYY-MM-DD`. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
