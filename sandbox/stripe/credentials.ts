/**
 * The sandbox account's API keys: random per sandbox, made on first start and kept in the
 * schema so that a restart (and every client configured with them) keeps working.
 */
import type pg from 'pg';
import { quoteSchema } from './stripe-schema';
import { randomBase62 } from './stripe-ids';

export interface StripeCredentials {
  secretKey: string;
  publishableKey: string;
  /** Secret keys rolled away from: Stripe answers them 401 api_key_expired, not "invalid". */
  expiredSecretKeys?: string[];
}

export async function loadOrCreateCredentials(pool: pg.Pool, schema: string): Promise<StripeCredentials> {
  const s = quoteSchema(schema);
  const fresh: StripeCredentials = {
    secretKey: `sk_test_${randomBase62(48)}`,
    publishableKey: `pk_test_${randomBase62(48)}`,
  };
  // Two emulators starting at once on one schema must agree: the first insert wins.
  await pool.query(`INSERT INTO ${s}.settings (key, value) VALUES ('credentials', $1) ON CONFLICT (key) DO NOTHING`, [
    JSON.stringify(fresh),
  ]);
  const { rows } = await pool.query<{ value: StripeCredentials }>(
    `SELECT value FROM ${s}.settings WHERE key = 'credentials'`,
  );
  const stored = rows[0]?.value;
  if (!stored) throw new Error('Stripe sandbox credentials could not be stored');
  return {
    secretKey: stored.secretKey,
    publishableKey: stored.publishableKey,
    expiredSecretKeys: stored.expiredSecretKeys ?? [],
  };
}

/**
 * Rolls the secret key as Stripe's dashboard does ("Roll key…", expiring now): a new key answers
 * from this moment and the old one is refused as expired. `credentials` is changed in place, so
 * the running emulator checks the new key at once.
 */
export async function rollSecretKey(
  pool: pg.Pool,
  schema: string,
  credentials: StripeCredentials,
): Promise<{ secretKey: string }> {
  const rolled: StripeCredentials = {
    secretKey: `sk_test_${randomBase62(48)}`,
    publishableKey: credentials.publishableKey,
    expiredSecretKeys: [...(credentials.expiredSecretKeys ?? []), credentials.secretKey],
  };
  await pool.query(`UPDATE ${quoteSchema(schema)}.settings SET value = $1 WHERE key = 'credentials'`, [
    JSON.stringify(rolled),
  ]);
  Object.assign(credentials, rolled);
  return { secretKey: rolled.secretKey };
}

/** How Stripe prints a rejected key: its mode prefix and last four characters. */
export function maskKey(key: string): string {
  const prefix = /^(sk|pk|rk)_(test|live)_/.exec(key)?.[0] ?? '';
  const tail = key.length > prefix.length + 4 ? key.slice(-4) : '';
  const hidden = Math.max(key.length - prefix.length - tail.length, 0);
  return `${prefix}${'*'.repeat(hidden)}${tail}`;
}
