import type { Server } from 'node:http';
import { createApp, type App } from './app.js';
import { iso } from './clock.js';
import type { Config } from './config.js';
import { migrateToLatest, openDatabase, type Db } from './db.js';
import { publishBundledInstruments } from './instrument_source.js';
import { WaveScheduler } from './jobs/scheduler.js';
import { createLogger, type Logger } from './logger.js';
import { createMailer } from './mail.js';
import { createAdminToken } from './handlers/admin.js';
import { listAdminTokens } from './queries/admin.js';
import type { Services } from './services.js';
import type { ResponseWriter } from './queries/response_writer.js';

/** How the person starting the server signs in: a token made for them now, or what to use. */
export type FirstRunSignIn =
  | { readonly kind: 'generated'; readonly token: string; readonly name: string }
  | { readonly kind: 'configured' }
  | { readonly kind: 'stored' };

/** The name of the admin token made on a first start without SEICI_ADMIN_TOKEN. */
export const FIRST_RUN_TOKEN_NAME = 'first-run';

/**
 * On a first start (no SEICI_ADMIN_TOKEN and no admin token stored yet), makes a named admin
 * token, stored hashed like any other (revocable on the console's tokens page), so that the
 * person starting seici can sign in at once; it is printed once and never logged.
 */
export async function firstRunSignIn(s: Services): Promise<FirstRunSignIn> {
  if (s.config.adminToken) return { kind: 'configured' };
  if ((await listAdminTokens(s.db)).length > 0) return { kind: 'stored' };
  const created = await createAdminToken(s, 'first-run', FIRST_RUN_TOKEN_NAME);
  return { kind: 'generated', token: created.token, name: created.name };
}

/** The plain lines printed at start: where the console is, how to sign in, a survey link to try. */
export function welcome(base: string, signIn: FirstRunSignIn, links: readonly string[]): string {
  const lines = ['', `seici is running.`, '', `  Console:   ${base}/admin`];
  if (signIn.kind === 'generated') {
    lines.push(
      `  Sign in:   with this admin token (named "${signIn.name}"; shown only now, stored hashed):`,
      `             ${signIn.token}`,
      '             or set SEICI_ADMIN_TOKEN (at least 32 characters) and restart.',
    );
  } else if (signIn.kind === 'configured') {
    lines.push('  Sign in:   with the value of SEICI_ADMIN_TOKEN.');
  } else {
    lines.push('  Sign in:   with an admin token; `seici admin create-token --name NAME` prints a new one,', '             or set SEICI_ADMIN_TOKEN (at least 32 characters) and restart.');
  }
  if (links.length > 0) {
    lines.push(`  Try it:    ${links[0]}`, `             a demo survey link (each works once; ${links.length - 1} more below)`);
    lines.push('', 'More demo survey links:', ...links.slice(1).map((l) => `  ${l}`));
  } else {
    lines.push('  Try it:    create a wave in the console and download its survey links.');
  }
  return `${lines.join('\n')}\n\n`;
}

/**
 * What this process is: the only server process (the default), or one of a cluster's HTTP
 * workers (server/cluster.ts), which finds the store migrated and prepared by the primary,
 * commits answers through `responses`, prints nothing at start, and runs the wave scheduler
 * only when `scheduler` is set (one worker of the cluster).
 */
export type ProcessRole =
  | { readonly kind: 'single' }
  | { readonly kind: 'worker'; readonly scheduler: boolean; readonly responses?: ResponseWriter };

export interface RunningServer {
  readonly app: App;
  readonly db: Db;
  readonly server: Server;
  readonly scheduler: WaveScheduler | undefined;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts seici: opens and migrates the database, publishes the bundled instrument versions,
 * seeds the demo into an empty database (unless SEICI_DEMO=off), listens on PORT and runs the
 * wave scheduler. Used by `npm start` (server/main.ts) and `seici serve`. `hint` receives the
 * welcome lines (console URL, how to sign in, a survey link to try) as plain text for the person
 * starting it (stderr by default), never the log.
 */
export async function startServer(
  config: Config,
  logger: Logger = createLogger(config.logLevel),
  hint: (text: string) => void = (text) => process.stderr.write(text),
  role: ProcessRole = { kind: 'single' },
): Promise<RunningServer> {
  const db = openDatabase(config);
  const mailer = createMailer(config.smtp);
  let app: App;
  let welcomeFor: ((base: string) => string) | undefined;
  if (role.kind === 'single') {
    const prepared = await prepareStore(db, config, logger, mailer);
    app = prepared.app;
    welcomeFor = prepared.welcome;
  } else {
    app = createApp({ db, config, logger, mailer, responses: role.responses });
  }
  const scheduler = role.kind === 'single' || role.scheduler ? new WaveScheduler(app.services) : undefined;
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  scheduler?.start(config.schedulerIntervalMs);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  if (welcomeFor) {
    logger.info({ url, database: config.databaseUrl ? 'postgresql' : config.dataDir }, 'seici is listening');
    // Secrets (a first-run token, survey links) go to this hint only, never to the log, which may be
    // shipped and kept elsewhere.
    hint(welcomeFor(config.publicUrl === `http://localhost:${config.port}` ? url : config.publicUrl));
  }
  return {
    app,
    db,
    server,
    scheduler,
    url,
    async close() {
      await scheduler?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await app.services.analyses.stop();
      await app.services.responses.close();
      app.services.invitations.close();
      mailer?.close();
      await db.destroy();
    },
  };
}

/**
 * Readies a store for serving, once per start (by the only process, or by a cluster's primary
 * before it starts its workers): migrates it, publishes the bundled instrument versions, seeds
 * the demo into an empty database (unless SEICI_DEMO=off) and makes the first-run sign-in.
 * Returns an app on the store (not listening) and the welcome lines for the URL served.
 */
export async function prepareStore(db: Db, config: Config, logger: Logger, mailer: ReturnType<typeof createMailer>): Promise<{ app: App; welcome: (base: string) => string }> {
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  await publishBundledInstruments(db, iso(new Date()));
  const app = createApp({ db, config, logger, mailer });
  let links: string[] = [];
  if (config.demo) {
    // Loaded only when wanted: the demo pulls in the simulation code.
    const { seedDemo } = await import('./demo.js');
    links = await seedDemo(app.services);
    if (links.length > 0) logger.info({ surveyLinks: links.length }, 'seeded the demo organisation');
  }
  const signIn = await firstRunSignIn(app.services);
  if (!config.signingKey) logger.warn('SEICI_SIGNING_KEY is not set: pre-registration commitments cannot be made, and reports cannot check the ones stored');
  return { app, welcome: (base) => welcome(base, signIn, links) };
}
