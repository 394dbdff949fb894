import { randomBytes, randomInt } from 'node:crypto';
import type pg from 'pg';
import { quoteIdent } from './netsuite-schema';

/** Token-based-authentication credentials of the integration record and its access token. */
export interface NetSuiteCredentials {
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

export interface NetSuiteAccount {
  /** Sandbox account id, e.g. `4817263_SB1`; also the OAuth realm. */
  accountId: string;
  credentials: NetSuiteCredentials;
}

/** NetSuite issues 64-hex-character keys and secrets. */
function secret(): string {
  return randomBytes(32).toString('hex');
}

/** The account of this sandbox, generated on first start and read back on every later one. */
export async function loadOrCreateAccount(pool: pg.Pool, schema: string): Promise<NetSuiteAccount> {
  const table = `${quoteIdent(schema)}.account`;
  await pool.query(
    `INSERT INTO ${table} (account_id, consumer_key, consumer_secret, token_id, token_secret)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (singleton) DO NOTHING`,
    [`${randomInt(1_000_000, 10_000_000)}_SB1`, secret(), secret(), secret(), secret()],
  );
  const { rows } = await pool.query<{
    account_id: string;
    consumer_key: string;
    consumer_secret: string;
    token_id: string;
    token_secret: string;
  }>(`SELECT account_id, consumer_key, consumer_secret, token_id, token_secret FROM ${table}`);
  const row = rows[0];
  if (!row) throw new Error('the NetSuite sandbox account could not be created');
  return {
    accountId: row.account_id,
    credentials: {
      consumerKey: row.consumer_key,
      consumerSecret: row.consumer_secret,
      tokenId: row.token_id,
      tokenSecret: row.token_secret,
    },
  };
}
