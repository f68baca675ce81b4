import type { Config } from './config.js';
import type { Clock } from './clock.js';
import type { Db } from './db.js';
import type { Logger } from './logger.js';
import type { Mailer } from './mail.js';
import type { InstrumentCache } from './instrument_cache.js';
import type { AnalysisRunner } from './jobs/analysis_runner.js';
import type { InvitationLookup } from './queries/invitation_lookup.js';
import type { ResponseWriter } from './queries/response_writer.js';

/** What handlers work with: the store, the configuration read at start, and the app's collaborators. */
export interface Services {
  readonly db: Db;
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly mailer?: Mailer;
  readonly instruments: InstrumentCache;
  readonly analyses: AnalysisRunner;
  /** Stores answer sets with group commit. */
  readonly responses: ResponseWriter;
  /** The key answer sets are stored under, held outside the database (server/response_key.ts). */
  readonly responseKey: Buffer;
  /** Finds what a survey token opens, on the answer path. */
  readonly invitations: InvitationLookup;
}
