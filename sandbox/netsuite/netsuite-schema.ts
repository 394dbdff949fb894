import type pg from 'pg';
import { allRecordTypes, columnName, type FieldType, type RecordTypeDefinition } from './record-types';

/**
 * The emulator's PostgreSQL schema: the account (id and generated credentials), the OAuth nonces
 * seen inside the replay window, and one typed table per record type. Typed columns keep SuiteQL
 * filters and the `lastmodifieddate` paging index cheap at a million rows.
 */

export const DEFAULT_NETSUITE_SCHEMA = 'sandbox_netsuite';

const PG_TYPES: Record<FieldType, string> = {
  text: 'text',
  decimal: 'numeric',
  money: 'numeric',
  integer: 'bigint',
  boolean: 'boolean',
  date: 'date',
  reference: 'bigint',
  select: 'text',
};

export function pgType(type: FieldType): string {
  return PG_TYPES[type];
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return schema;
}

/** The qualified table of a record type. */
export function recordTable(schema: string, definition: RecordTypeDefinition): string {
  return `${quoteIdent(schema)}.${quoteIdent(definition.type)}`;
}

/** Creates what is missing; safe to run at every start and from several processes at once. */
export async function ensureNetSuiteSchema(pool: pg.Pool, schema: string = DEFAULT_NETSUITE_SCHEMA): Promise<void> {
  checkSchemaName(schema);
  const s = quoteIdent(schema);
  const statements = [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.account (
       singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
       account_id text NOT NULL,
       consumer_key text NOT NULL,
       consumer_secret text NOT NULL,
       token_id text NOT NULL,
       token_secret text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE IF NOT EXISTS ${s}.oauth_nonce (
       nonce_key text PRIMARY KEY,
       seen_at timestamptz NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS oauth_nonce_seen_at ON ${s}.oauth_nonce (seen_at)`,
  ];
  for (const definition of allRecordTypes()) {
    const table = recordTable(schema, definition);
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${table} (
         id bigint PRIMARY KEY,
         external_id text,
         date_created timestamptz NOT NULL,
         last_modified timestamptz NOT NULL
       )`,
      ...definition.fields.map(
        (field) =>
          `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${quoteIdent(columnName(field))} ${pgType(field.type)}`,
      ),
      `CREATE UNIQUE INDEX IF NOT EXISTS ${quoteIdent(`${definition.type}_external_id`)} ON ${table} (external_id)`,
      `CREATE INDEX IF NOT EXISTS ${quoteIdent(`${definition.type}_last_modified`)} ON ${table} (last_modified, id)`,
    );
  }
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Concurrent starts on one database would otherwise race on the catalog.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`netsuite-schema:${schema}`]);
    for (const statement of statements) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
