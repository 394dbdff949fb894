/**
 * The emulator's PostgreSQL schema. Every object is a JSON document in Stripe's shape beside the
 * columns lists filter and page on; `seq` breaks ties between objects created in the same second,
 * so `(created, seq)` is the stable newest-first order Stripe lists in.
 */
import type pg from 'pg';

export const DEFAULT_STRIPE_SCHEMA = 'sandbox_stripe';

/** The schema name as a quoted SQL identifier; only plain lower-case names are accepted. */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RangeError(`invalid schema name: ${schema}`);
  return `"${schema}"`;
}

export async function ensureStripeSchema(pool: pg.Pool, schema: string = DEFAULT_STRIPE_SCHEMA): Promise<void> {
  const s = quoteSchema(schema);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Concurrent CREATE ... IF NOT EXISTS can still collide in the catalog; serialize them.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`syncwright-sandbox-stripe:${schema}`]);
    await client.query(`
      CREATE SCHEMA IF NOT EXISTS ${s};
      CREATE TABLE IF NOT EXISTS ${s}.settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL
      );
      CREATE TABLE IF NOT EXISTS ${s}.customers (
        seq bigserial UNIQUE,
        id text PRIMARY KEY,
        created bigint NOT NULL,
        email text,
        deleted boolean NOT NULL DEFAULT false,
        doc jsonb NOT NULL
      );
      CREATE INDEX IF NOT EXISTS customers_order ON ${s}.customers (created DESC, seq DESC);
      CREATE TABLE IF NOT EXISTS ${s}.invoice_items (
        seq bigserial UNIQUE,
        id text PRIMARY KEY,
        created bigint NOT NULL,
        customer text NOT NULL,
        invoice text,
        doc jsonb NOT NULL
      );
      CREATE INDEX IF NOT EXISTS invoice_items_order ON ${s}.invoice_items (created DESC, seq DESC);
      CREATE INDEX IF NOT EXISTS invoice_items_customer ON ${s}.invoice_items (customer, invoice);
      CREATE INDEX IF NOT EXISTS invoice_items_invoice ON ${s}.invoice_items (invoice, seq);
      CREATE TABLE IF NOT EXISTS ${s}.invoices (
        seq bigserial UNIQUE,
        id text PRIMARY KEY,
        created bigint NOT NULL,
        customer text NOT NULL,
        status text NOT NULL,
        doc jsonb NOT NULL
      );
      CREATE INDEX IF NOT EXISTS invoices_order ON ${s}.invoices (created DESC, seq DESC);
      CREATE INDEX IF NOT EXISTS invoices_customer ON ${s}.invoices (customer, status);
      CREATE TABLE IF NOT EXISTS ${s}.events (
        seq bigserial UNIQUE,
        id text PRIMARY KEY,
        created bigint NOT NULL,
        type text NOT NULL,
        doc jsonb NOT NULL
      );
      CREATE INDEX IF NOT EXISTS events_order ON ${s}.events (created DESC, seq DESC);
      CREATE TABLE IF NOT EXISTS ${s}.webhook_endpoints (
        seq bigserial UNIQUE,
        id text PRIMARY KEY,
        created bigint NOT NULL,
        secret text NOT NULL,
        doc jsonb NOT NULL
      );
      CREATE TABLE IF NOT EXISTS ${s}.webhook_deliveries (
        id bigserial PRIMARY KEY,
        event_id text NOT NULL,
        endpoint_id text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_response_status integer,
        last_error text,
        delivered_at timestamptz,
        UNIQUE (event_id, endpoint_id)
      );
      CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON ${s}.webhook_deliveries (next_attempt_at) WHERE status = 'pending';
      CREATE TABLE IF NOT EXISTS ${s}.idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        params_hash text NOT NULL,
        state text NOT NULL,
        status_code integer,
        body jsonb,
        request_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      );
    `);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A client of a pool or a transaction: what the object stores need to run their statements. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
