import type { Server } from 'node:http';
import { createApp, type App } from './app.js';
import { iso } from './clock.js';
import type { Config } from './config.js';
import { isPostgres, migrateToLatest, openDatabase, type Db } from './db.js';
import { publishBundledInstruments } from './instrument_source.js';
import { WaveScheduler } from './jobs/scheduler.js';
import { createLogger, type Logger } from './logger.js';
import { createMailer } from './mail.js';
import { failInterruptedAnalyses } from './queries/analyses.js';

export interface RunningServer {
  readonly app: App;
  readonly db: Db;
  readonly server: Server;
  readonly scheduler: WaveScheduler;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts seici: opens and migrates the database, publishes the bundled instrument versions,
 * seeds the demo into an empty database (unless SEICI_DEMO=off), listens on PORT and runs the
 * wave scheduler. Used by `npm start` (server/main.ts) and `seici serve`.
 */
export async function startServer(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const db = openDatabase(config);
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  await publishBundledInstruments(db, iso(new Date()));
  if (!isPostgres(db)) {
    // One process owns an SQLite database: whatever it left queued or running was interrupted.
    await failInterruptedAnalyses(db, iso(new Date()), iso(new Date()));
  }
  const mailer = createMailer(config.smtp);
  const app = createApp({ db, config, logger, mailer });
  if (config.demo) {
    // Loaded only when wanted: the demo pulls in the simulation code.
    const { seedDemo } = await import('./demo.js');
    const links = await seedDemo(app.services);
    if (links.length > 0) logger.info({ surveyLinks: links }, 'seeded the demo organisation; try a survey link');
  }
  if (!config.signingKey) logger.warn('SEICI_SIGNING_KEY is not set: pre-registration commitments cannot be made, and reports cannot check the ones stored');
  const scheduler = new WaveScheduler(app.services);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  scheduler.start(config.schedulerIntervalMs);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  logger.info({ url, database: config.databaseUrl ? 'postgresql' : config.dataDir }, 'seici is listening');
  return {
    app,
    db,
    server,
    scheduler,
    url,
    async close() {
      await scheduler.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await app.services.analyses.idle();
      await app.services.responses.close();
      mailer?.close();
      await db.destroy();
    },
  };
}
