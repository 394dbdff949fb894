import type pg from 'pg';
import { SOBJECTS, type FieldDefinition, type FieldType, type SObjectDefinition } from './sobject-definitions';

/**
 * The emulator's PostgreSQL schema: one table per object with a typed column per field (named
 * exactly as the API field, so SOQL translates to plain SQL), plus credentials, tokens, the
 * daily API counter and query cursors. Creation is idempotent and adds columns for new fields.
 */

export const DEFAULT_SCHEMA = 'sandbox_salesforce';

/** A schema name safe to splice into SQL. */
export function schemaIdentifier(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RangeError(`invalid schema name: ${schema}`);
  return `"${schema}"`;
}

export function quoteColumn(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function tableName(schema: string, definition: SObjectDefinition): string {
  return `${schemaIdentifier(schema)}.${quoteColumn(definition.table)}`;
}

export function columnType(type: FieldType): string {
  switch (type) {
    case 'id':
    case 'reference':
      return 'text COLLATE "C"';
    case 'string':
    case 'textarea':
    case 'picklist':
      return 'text';
    case 'currency':
    case 'double':
    case 'percent':
      return 'numeric';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'timestamptz';
  }
}

function columnDefinition(field: FieldDefinition): string {
  const base = `${quoteColumn(field.name)} ${columnType(field.type)}`;
  if (field.name === 'Id') return `${base} PRIMARY KEY`;
  if (field.type === 'boolean') return `${base} NOT NULL DEFAULT false`;
  if (['CreatedDate', 'LastModifiedDate', 'SystemModstamp'].includes(field.name)) return `${base} NOT NULL`;
  return base;
}

function objectStatements(schema: string, definition: SObjectDefinition): string[] {
  const table = tableName(schema, definition);
  const indexName = (suffix: string) => quoteColumn(`${definition.table}_${suffix}`.slice(0, 63));
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${table} (${definition.fields.map(columnDefinition).join(', ')})`,
    ...definition.fields
      .filter((f) => f.name !== 'Id')
      .map((f) => `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${columnDefinition(f)}`),
    `CREATE INDEX IF NOT EXISTS ${indexName('modstamp')} ON ${table} ("SystemModstamp", "Id")`,
  ];
  for (const f of definition.fields) {
    if (f.type === 'reference' && f.referenceTo !== 'User') {
      statements.push(`CREATE INDEX IF NOT EXISTS ${indexName(`${f.name}_idx`)} ON ${table} (${quoteColumn(f.name)})`);
    }
    if (f.unique) {
      statements.push(
        `CREATE UNIQUE INDEX IF NOT EXISTS ${indexName(`${f.name}_unique`)} ON ${table} (lower(${quoteColumn(f.name)})) WHERE NOT "IsDeleted"`,
      );
    } else if (f.externalId) {
      statements.push(
        `CREATE INDEX IF NOT EXISTS ${indexName(`${f.name}_lower`)} ON ${table} (lower(${quoteColumn(f.name)}))`,
      );
    }
  }
  return statements;
}

export function schemaStatements(schema: string): string[] {
  const s = schemaIdentifier(schema);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.setting (key text PRIMARY KEY, value text NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${s}.access_token (
       token_hash text PRIMARY KEY,
       issued_at timestamptz NOT NULL,
       last_used_at timestamptz NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${s}.api_usage (day date PRIMARY KEY, used integer NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${s}.query_cursor (
       id text PRIMARY KEY,
       soql text NOT NULL,
       include_deleted boolean NOT NULL,
       ids text[] NOT NULL,
       batch_size integer NOT NULL,
       expires_at timestamptz NOT NULL)`,
    `CREATE SEQUENCE IF NOT EXISTS ${s}.id_counter`,
    `CREATE SEQUENCE IF NOT EXISTS ${s}.auto_number`,
    ...Object.values(SOBJECTS).flatMap((definition) => objectStatements(schema, definition)),
  ];
}

const ensured = new WeakMap<pg.Pool, Map<string, Promise<void>>>();

/** Creates the schema and its tables if missing; safe to call concurrently and repeatedly. */
export function ensureSalesforceSchema(pool: pg.Pool, schema: string = DEFAULT_SCHEMA): Promise<void> {
  let perPool = ensured.get(pool);
  if (!perPool) {
    perPool = new Map();
    ensured.set(pool, perPool);
  }
  let done = perPool.get(schema);
  if (!done) {
    done = createSchema(pool, schema);
    perPool.set(schema, done);
    done.catch(() => perPool.delete(schema));
  }
  return done;
}

async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Concurrent CREATE ... IF NOT EXISTS can still collide in the catalog; serialize per schema.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sandbox-salesforce:${schema}`]);
    for (const statement of schemaStatements(schema)) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
