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
  return { secretKey: stored.secretKey, publishableKey: stored.publishableKey };
}

/** How Stripe prints a rejected key: its mode prefix and last four characters. */
export function maskKey(key: string): string {
  const prefix = /^(sk|pk|rk)_(test|live)_/.exec(key)?.[0] ?? '';
  const tail = key.length > prefix.length + 4 ? key.slice(-4) : '';
  const hidden = Math.max(key.length - prefix.length - tail.length, 0);
  return `${prefix}${'*'.repeat(hidden)}${tail}`;
}
