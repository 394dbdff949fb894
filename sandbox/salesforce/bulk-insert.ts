import Decimal from 'decimal.js';
import type pg from 'pg';
import { RecordError, SalesforceApiError } from './salesforce-error';
import { JsonNumber, type JsonValue } from '@/sandbox/core/exact-json';
import { coerceFieldValue, parameterCast, toParameter } from './field-values';
import { loadOrCreateIdentity } from './auth-store';
import { normalizeSalesforceId, salesforceIdCounter } from './salesforce-id';
import { DEFAULT_SCHEMA, ensureSalesforceSchema, quoteColumn, schemaIdentifier, tableName } from './salesforce-schema';
import { SOBJECTS, type SObjectName, type StoredRecord, findField } from './sobject-definitions';

/**
 * Loads records straight into the emulator's tables for seeding: no API, no budget, no faults,
 * one `INSERT ... SELECT FROM unnest(...)` per few thousand rows. Values are converted and checked
 * like API input (types, lengths, restricted picklists, required fields) and calculated fields
 * are derived, but references are not checked, so objects may be loaded in any order.
 * System fields (CreatedDate, LastModifiedDate, SystemModstamp, ...) may be given; missing ones
 * default to `now`. Amounts may be given as Decimal, decimal strings or integers.
 */

export interface BulkInsertOptions {
  schema?: string;
  /** The time written into missing system dates; default: the current second. */
  now?: Date;
}

export type BulkRecord = Record<string, unknown> & { Id: string };

const CHUNK_SIZE = 5000;
const AUTO_NUMBER_BLOCK = 1000;

export async function bulkInsertSObjects(
  pool: pg.Pool,
  sobject: SObjectName,
  records: BulkRecord[],
  options: BulkInsertOptions = {},
): Promise<void> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const definition = SOBJECTS[sobject];
  if (!definition) throw new Error(`unknown sObject ${String(sobject)}`);
  if (records.length === 0) return;
  await ensureSalesforceSchema(pool, schema);
  // Seeded records look created by the same integration user as API-created ones.
  const { userId } = await loadOrCreateIdentity(pool, schema);
  const now = new Date(options.now ?? new Date());
  now.setUTCMilliseconds(0);
  const stamp = now.toISOString();
  const s = schemaIdentifier(schema);

  const autoNumbers: number[] = [];
  const autoNumber = async () => {
    if (autoNumbers.length === 0) {
      const result = await pool.query(`SELECT nextval('${s}.auto_number')::int AS n FROM generate_series(1, $1)`, [
        AUTO_NUMBER_BLOCK,
      ]);
      autoNumbers.push(...result.rows.map((row: { n: number }) => row.n));
    }
    return autoNumbers.shift() ?? 0;
  };

  const fields = definition.fields;
  const columns = fields.map((f) => quoteColumn(f.name)).join(', ');
  const arrays = fields.map((f, i) => `$${i + 1}::${parameterCast(f)}[]`).join(', ');
  let maxCounter = 0;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Each chunk's INSERT is sent without waiting, so PostgreSQL writes one chunk while the
    // next is being prepared; the client runs them in order on the one transaction.
    const inserts: Promise<unknown>[] = [];
    for (let start = 0; start < records.length; start += CHUNK_SIZE) {
      const rows: StoredRecord[] = [];
      for (const input of records.slice(start, start + CHUNK_SIZE)) {
        const row = await prepareRow(sobject, input, { stamp, userId }, autoNumber);
        rows.push(row);
        maxCounter = Math.max(maxCounter, salesforceIdCounter(String(row.Id)) ?? 0);
      }
      const parameters = fields.map((f) =>
        rows.map((row) => toParameter(row[f.name] ?? (f.type === 'boolean' ? false : null))),
      );
      const insert = client.query(
        `INSERT INTO ${tableName(schema, definition)} (${columns}) SELECT * FROM unnest(${arrays})`,
        parameters,
      );
      insert.catch(() => undefined); // observed below; a failure must not surface as unhandled meanwhile
      inserts.push(insert);
      // Let the client hear back and send the queued statement before preparing more.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(inserts);
    // Keep ids the API generates clear of the ones just loaded.
    await client.query(`SELECT setval('${s}.id_counter', $1) WHERE $1 > (SELECT last_value FROM ${s}.id_counter)`, [
      maxCounter,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if ((error as { code?: string }).code === '23505') {
      throw new Error(`bulk insert of ${sobject} clashes with existing records: ${(error as Error).message}`);
    }
    throw error;
  } finally {
    client.release();
  }
}

async function prepareRow(
  sobject: SObjectName,
  input: BulkRecord,
  { stamp, userId }: { stamp: string; userId: string },
  autoNumber: () => Promise<number>,
): Promise<StoredRecord> {
  const definition = SOBJECTS[sobject];
  const id = typeof input.Id === 'string' ? normalizeSalesforceId(input.Id) : null;
  if (!id || !id.startsWith(definition.keyPrefix)) {
    throw new Error(`${sobject} record has a bad Id ${String(input.Id)} (expected key prefix ${definition.keyPrefix})`);
  }
  const row: StoredRecord = { Id: id };
  const provided = new Set<string>();
  for (const [key, value] of Object.entries(input)) {
    if (key === 'Id' || value === undefined) continue;
    const field = findField(definition, key);
    if (!field) throw new Error(`${sobject} has no field ${key} (record ${id})`);
    try {
      row[field.name] = coerceFieldValue(field, toJsonValue(value));
    } catch (error) {
      if (error instanceof RecordError || error instanceof SalesforceApiError) {
        throw new Error(`${sobject} ${id}: ${error.message}`);
      }
      throw error;
    }
    provided.add(field.name);
  }
  // Seeds may bring their own auto-number names; derive must not replace them.
  const givenName = row.Name;
  await definition.derive?.(row, { provided, autoNumber });
  if (provided.has('Name')) row.Name = givenName ?? null;
  const missing = definition.fields
    .filter((f) => f.required && (row[f.name] === undefined || row[f.name] === null))
    .map((f) => f.name);
  if (missing.length > 0) throw new Error(`${sobject} ${id}: required fields are missing: [${missing.join(', ')}]`);
  row.IsDeleted ??= false;
  row.CreatedDate ??= stamp;
  row.CreatedById ??= userId;
  row.LastModifiedById ??= row.CreatedById;
  row.LastModifiedDate ??= row.CreatedDate;
  row.SystemModstamp ??= row.LastModifiedDate;
  return row;
}

/** Caller values (Decimal, number, Date, ...) in the form the API coercion reads. */
function toJsonValue(value: unknown): JsonValue {
  if (value === null) return null;
  if (value instanceof Decimal) return new JsonNumber(value.toFixed());
  if (typeof value === 'number' || typeof value === 'bigint') return new JsonNumber(String(value));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  throw new Error(`unsupported value ${String(value)}`);
}
