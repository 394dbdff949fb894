import { Connection } from 'jsforce';
import pg from 'pg';
import {
  type SalesforceEmulator,
  type SalesforceEmulatorOptions,
  startSalesforceEmulator,
} from '@/sandbox/salesforce/salesforce-emulator';

/**
 * Test support: an emulator on a database of its own (tests pass a scratch database), and real
 * jsforce connections to it authenticated over HTTP with the client-credentials flow.
 */

/** A throw-away database, as test/scratch-database creates them. */
export interface OwnedDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface Harness {
  pool: pg.Pool;
  emulator: SalesforceEmulator;
  /** A fresh token from the token endpoint. */
  token(): Promise<string>;
  /** A jsforce connection with a fresh token, as a connector would build it. */
  connect(): Promise<Connection>;
  /** Starts the emulator again on the same database (same schema and options). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(
  database: OwnedDatabase,
  options: Omit<SalesforceEmulatorOptions, 'pool'> = {},
): Promise<Harness> {
  const pool = new pg.Pool({ connectionString: database.url, max: 8 });
  // Unexpected errors are answered as UNKNOWN_EXCEPTION; print them so a failing test shows why.
  const logger = { error: (details: object, message: string) => console.error(message, details) };
  options = { logger, ...options };
  let emulator = await startSalesforceEmulator({ pool, ...options });

  const harness: Harness = {
    pool,
    get emulator() {
      return emulator;
    },
    token: () => requestToken(emulator),
    async connect() {
      return new Connection({
        instanceUrl: emulator.baseUrl,
        accessToken: await requestToken(emulator),
        version: emulator.apiVersion,
      });
    },
    async restart() {
      await emulator.close();
      emulator = await startSalesforceEmulator({ pool, ...options });
    },
    async stop() {
      await emulator.close();
      await pool.end();
      await database.drop();
    },
  };
  return harness;
}

export async function requestToken(emulator: SalesforceEmulator): Promise<string> {
  const response = await fetch(emulator.credentials.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: emulator.credentials.clientId,
      client_secret: emulator.credentials.clientSecret,
    }),
  });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

/** The error a call rejects with (fails the test when it succeeds); jsforce queries are thenables. */
export async function rejection(
  promise: PromiseLike<unknown>,
): Promise<Error & { errorCode?: string; data?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { errorCode?: string; data?: unknown };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
