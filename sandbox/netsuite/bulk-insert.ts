import type pg from 'pg';
import {
  columnName,
  type FieldDefinition,
  type NetSuiteRecordType,
  type RecordTypeDefinition,
  requireRecordType,
} from './record-types';
import { checkSchemaName, DEFAULT_NETSUITE_SCHEMA, pgType, quoteIdent, recordTable } from './netsuite-schema';

/**
 * Bulk loading for the seed generator: rows go straight into the typed tables through
 * `INSERT … SELECT FROM unnest(array parameters)` in chunks, one transaction per call. No
 * reference checks are made — the caller supplies consistent ids (references as `{ id: '123' }`).
 * The emulator's own creates continue after the highest id loaded.
 */

export interface BulkRecord {
  /** Internal id, chosen by the caller. */
  id: number;
  externalId?: string;
  /** Field ids as the record service names them; the system timestamps may be given too. */
  fields: Record<string, unknown>;
}

const CHUNK_SIZE = 5_000;

function text(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  // decimal.js and similar decimal types print themselves exactly.
  if (typeof value === 'object' && value !== null && typeof (value as { toFixed?: unknown }).toFixed === 'function') {
    return (value as { toFixed(): string }).toFixed();
  }
  throw new TypeError(`field ${field}: cannot store ${JSON.stringify(value)}`);
}

function dateText(value: unknown, field: string): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return text(value, field);
}

function columnValue(field: FieldDefinition, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw new TypeError(`field ${field.name}: expected a boolean`);
      return value ? 't' : 'f';
    case 'date':
      return dateText(value, field.name);
    case 'reference':
    case 'select': {
      if (typeof value === 'object' && !(value instanceof Date)) {
        const id = (value as { id?: unknown }).id;
        if (id === undefined) throw new TypeError(`field ${field.name}: references must be given as { id }`);
        return text(id, field.name);
      }
      return text(value, field.name);
    }
    default:
      return text(value, field.name);
  }
}

function timestampText(value: unknown, fallback: Date, field: string): string {
  if (value === undefined || value === null) return fallback.toISOString();
  if (value instanceof Date) return value.toISOString();
  return text(value, field);
}

/** Loads records of one type; ids must be new. `now` stamps records without their own timestamps. */
export async function bulkInsertRecords(
  pool: pg.Pool,
  type: NetSuiteRecordType,
  records: ReadonlyArray<BulkRecord>,
  options: { schema?: string; now?: Date } = {},
): Promise<void> {
  const schema = checkSchemaName(options.schema ?? DEFAULT_NETSUITE_SCHEMA);
  const definition = requireRecordType(type);
  const now = options.now ?? new Date();
  const table = recordTable(schema, definition);
  const byName = new Map(definition.fields.map((field) => [field.name, field]));
  const columns = [
    'id',
    'external_id',
    'date_created',
    'last_modified',
    ...definition.fields.map((f) => quoteIdent(columnName(f))),
  ];
  const casts = ['bigint', 'text', 'timestamptz', 'timestamptz', ...definition.fields.map((f) => pgType(f.type))];
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${casts.map((cast, i) => `$${i + 1}::${cast}[]`).join(', ')})`;

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (let start = 0; start < records.length; start += CHUNK_SIZE) {
      const chunk = records.slice(start, start + CHUNK_SIZE);
      await client.query(sql, chunkArrays(definition, byName, chunk, now));
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  // Fresh statistics keep the planner on the paging index; the visibility map lets
  // SuiteQL's totalResults count come from the index alone.
  await pool.query(`VACUUM (ANALYZE) ${table}`);
}

/** One array per column (PostgreSQL input text or null), in INSERT column order. */
function chunkArrays(
  definition: RecordTypeDefinition,
  byName: Map<string, FieldDefinition>,
  chunk: ReadonlyArray<BulkRecord>,
  now: Date,
): Array<Array<string | null>> {
  const fieldIndex = new Map(definition.fields.map((field, index) => [field.name, 4 + index]));
  const arrays = Array.from({ length: 4 + definition.fields.length }, () =>
    new Array<string | null>(chunk.length).fill(null),
  );
  const put = (column: number, row: number, value: string | null) => {
    const array = arrays[column];
    if (array) array[row] = value;
  };
  chunk.forEach((record, row) => {
    if (!Number.isSafeInteger(record.id) || record.id <= 0)
      throw new TypeError(`record id must be a positive integer: ${record.id}`);
    put(0, row, String(record.id));
    put(1, row, record.externalId ?? null);
    put(2, row, timestampText(record.fields[definition.createdField], now, definition.createdField));
    put(3, row, timestampText(record.fields[definition.modifiedField], now, definition.modifiedField));
    for (const [name, value] of Object.entries(record.fields)) {
      if (name === definition.createdField || name === definition.modifiedField) continue;
      const field = byName.get(name);
      const column = fieldIndex.get(name);
      if (!field || column === undefined) throw new TypeError(`${definition.type} has no field ${name}`);
      put(column, row, columnValue(field, value));
    }
  });
  return arrays;
}
