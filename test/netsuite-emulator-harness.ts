import pg from 'pg';
import { type NetSuiteEmulator, startNetSuiteEmulator } from '@/sandbox/netsuite/netsuite-emulator';
import {
  createNetSuiteConnector,
  type NetSuiteConnector,
  type NetSuiteConnectorOptions,
} from '@/server/connectors/netsuite/netsuite-connector';
import { loadMinimalAccountData } from './netsuite-minimal-account-data';
import { createScratchDatabase } from './scratch-database';

export interface NetSuiteHarness {
  pool: pg.Pool;
  emulator: NetSuiteEmulator;
  /** A connector to the emulator, as a connection would build it, with any options overridden. */
  connect(overrides?: Partial<NetSuiteConnectorOptions>): NetSuiteConnector;
  stop(): Promise<void>;
}

/**
 * Test support: the NetSuite emulator on a scratch database of its own, holding the minimal account
 * data (test/netsuite-minimal-account-data), and real connectors to it over HTTP.
 */
export async function startNetSuiteHarness(
  options: { poolSize?: number; accountDataAt?: Date } = {},
): Promise<NetSuiteHarness> {
  const database = await createScratchDatabase({ migrated: false });
  const pool = new pg.Pool({ connectionString: database.url, max: options.poolSize ?? 8 });
  const emulator = await startNetSuiteEmulator({ pool, port: 0 });
  await loadMinimalAccountData(pool, options.accountDataAt ? { now: options.accountDataAt } : {});
  return {
    pool,
    emulator,
    connect: (overrides = {}) =>
      createNetSuiteConnector({
        baseUrl: emulator.baseUrl,
        accountId: emulator.accountId,
        credentials: emulator.credentials,
        ...overrides,
      }),
    async stop() {
      await emulator.close();
      await pool.end();
      await database.drop();
    },
  };
}
