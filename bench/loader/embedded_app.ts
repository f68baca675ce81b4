import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../server/app.js';
import { readConfig } from '../../server/config.js';
import { migrateToLatest, openDatabase, type Db } from '../../server/db.js';
import { publishBundledInstruments } from '../../server/instrument_source.js';

/** An app in this process on a fresh embedded SQLite store in a temporary folder, listening on a free loopback port. */
export interface EmbeddedApp {
  readonly server: Server;
  readonly db: Db;
  readonly port: number;
  /** Closes the server, waits for analyses in flight, closes the store and deletes the folder. */
  stop(): Promise<void>;
}

/** Starts an {@link EmbeddedApp} as `npm start` would (migrated, bundled instruments published, no demo), for the benches that talk to the app over HTTP. */
export async function startEmbeddedApp(prefix: string, adminToken: string): Promise<EmbeddedApp> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const config = readConfig({ SEICI_DATA_DIR: dataDir, SEICI_ADMIN_TOKEN: adminToken, SEICI_DEMO: 'off', LOG_LEVEL: 'silent' });
  const db = openDatabase(config);
  await migrateToLatest(db);
  await publishBundledInstruments(db, new Date().toISOString());
  const app = createApp({ db, config });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((ok) => server.once('listening', ok));
  return {
    server,
    db,
    port: (server.address() as AddressInfo).port,
    async stop() {
      await new Promise((ok) => server.close(ok));
      await app.services.analyses.idle();
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
