import type { Server } from 'node:http';
import { createApp, type App } from './app.js';
import { iso } from './clock.js';
import type { Config } from './config.js';
import { migrateToLatest, openDatabase, type Db } from './db.js';
import { publishBundledInstruments } from './instrument_source.js';
import { WaveScheduler } from './jobs/scheduler.js';
import { createLogger, type Logger } from './logger.js';
import { createMailer } from './mail.js';

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
 * wave scheduler. Used by `npm start` (server/main.ts) and `seici serve`. `hint` receives the
 * demo's survey links as plain text for the console (stderr by default), never the log.
 */
export async function startServer(
  config: Config,
  logger: Logger = createLogger(config.logLevel),
  hint: (text: string) => void = (text) => process.stderr.write(text),
): Promise<RunningServer> {
  const db = openDatabase(config);
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  await publishBundledInstruments(db, iso(new Date()));
  const mailer = createMailer(config.smtp);
  const app = createApp({ db, config, logger, mailer });
  if (config.demo) {
    // Loaded only when wanted: the demo pulls in the simulation code.
    const { seedDemo } = await import('./demo.js');
    const links = await seedDemo(app.services);
    if (links.length > 0) {
      // Survey links are secrets: printed once as a hint for the person starting the demo,
      // never written to the JSON log (which may be shipped and kept elsewhere).
      logger.info({ surveyLinks: links.length }, 'seeded the demo organisation');
      hint(['', 'Try the demo survey as a respondent (each link works once):', ...links.map((l) => `  ${l}`), ''].join('\n') + '\n');
    }
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
      await app.services.analyses.stop();
      await app.services.responses.close();
      mailer?.close();
      await db.destroy();
    },
  };
}
