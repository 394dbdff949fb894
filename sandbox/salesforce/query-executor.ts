import type pg from 'pg';
import { SalesforceApiError } from './salesforce-error';
import { API_ROOT } from './api-version';
import type { OutputValue } from '@/sandbox/core/exact-json';
import { renderValue, storedFromColumn } from './field-values';
import { salesforceId } from './salesforce-id';
import { schemaIdentifier } from './salesforce-schema';
import { type CompiledQuery, type SelectionItem, compileSoql } from './soql-compiler';
import { QUERY_LOCATOR_KEY_PREFIX, type SObjectDefinition } from './sobject-definitions';

/**
 * Runs compiled queries. The first call resolves the full ordered list of matching ids (one
 * indexed SQL query), answers the first batch, and keeps the rest as a cursor in the database so
 * `nextRecordsUrl` pages are a snapshot, survive a restart and cost one array slice each.
 */

export const DEFAULT_BATCH_SIZE = 2000;
export const MIN_BATCH_SIZE = 200;
const CURSOR_TTL = "interval '15 minutes'";

export interface QueryResponse {
  [key: string]: OutputValue;
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: OutputValue[];
}

export interface QueryEnvironment {
  pool: pg.Pool;
  schema: string;
}

/** Batch size from a `Sforce-Query-Options: batchSize=N` header, kept within 200–2000. */
export function batchSizeFromHeader(header: string | undefined): number | undefined {
  const match = header ? /batchSize\s*=\s*(\d+)/i.exec(header) : null;
  if (!match) return undefined;
  return Math.min(DEFAULT_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(match[1])));
}

export async function runQuery(
  env: QueryEnvironment,
  soql: string,
  options: { includeDeleted: boolean; batchSize?: number | undefined },
): Promise<QueryResponse> {
  const compiled = compileSoql(soql, { schema: env.schema, includeDeleted: options.includeDeleted });
  const window = `${compiled.limit !== undefined ? ` LIMIT ${compiled.limit}` : ''}${compiled.offset !== undefined ? ` OFFSET ${compiled.offset}` : ''}`;
  if (compiled.countOnly) {
    const result = await env.pool.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${compiled.from} WHERE ${compiled.where}${window}) matched`,
      compiled.params,
    );
    return { totalSize: (result.rows[0] as { n: number }).n, done: true, records: [] };
  }
  const idsResult = await env.pool.query({
    text: `SELECT t0."Id" FROM ${compiled.from} WHERE ${compiled.where} ORDER BY ${compiled.orderBy}${window}`,
    values: compiled.params,
    rowMode: 'array',
  });
  const ids = idsResult.rows.map((row: unknown[]) => String(row[0]));
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const records = await fetchRecords(env, compiled, ids.slice(0, batchSize));
  if (ids.length <= batchSize) return { totalSize: ids.length, done: true, records };

  const cursorId = await createCursor(env, soql, options.includeDeleted, ids, batchSize);
  return {
    totalSize: ids.length,
    done: false,
    nextRecordsUrl: `${API_ROOT}/query/${cursorId}-${batchSize}`,
    records,
  };
}

/** The next batch of a query, from the last path segment of `nextRecordsUrl`. */
export async function continueQuery(
  env: QueryEnvironment,
  locator: string,
  batchSizeOverride?: number,
): Promise<QueryResponse> {
  const match = /^(01g[0-9A-Za-z]{15})-(\d+)$/.exec(locator);
  if (!match) throw invalidLocator();
  const cursorId = match[1] ?? '';
  const start = Number(match[2]);
  const s = schemaIdentifier(env.schema);
  const cursorResult = await env.pool.query(
    `UPDATE ${s}.query_cursor SET expires_at = now() + ${CURSOR_TTL}
     WHERE id = $1 AND expires_at > now()
     RETURNING soql, include_deleted, batch_size, cardinality(ids) AS total`,
    [cursorId],
  );
  const cursor = cursorResult.rows[0] as
    { soql: string; include_deleted: boolean; batch_size: number; total: number } | undefined;
  if (!cursor || start > cursor.total) throw invalidLocator();
  const batchSize = batchSizeOverride ?? cursor.batch_size;
  const sliceResult = await env.pool.query(`SELECT ids[$2:$3] AS page FROM ${s}.query_cursor WHERE id = $1`, [
    cursorId,
    start + 1,
    start + batchSize,
  ]);
  const page = ((sliceResult.rows[0] as { page: string[] | null } | undefined)?.page ?? []).map(String);
  const compiled = compileSoql(cursor.soql, { schema: env.schema, includeDeleted: cursor.include_deleted });
  const records = await fetchRecords(env, compiled, page);
  const next = start + page.length;
  const done = next >= cursor.total;
  return {
    totalSize: cursor.total,
    done,
    ...(done ? {} : { nextRecordsUrl: `${API_ROOT}/query/${cursorId}-${next}` }),
    records,
  };
}

function invalidLocator(): SalesforceApiError {
  return SalesforceApiError.of(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
}

async function createCursor(
  env: QueryEnvironment,
  soql: string,
  includeDeleted: boolean,
  ids: string[],
  batchSize: number,
): Promise<string> {
  const s = schemaIdentifier(env.schema);
  await env.pool.query(`DELETE FROM ${s}.query_cursor WHERE expires_at < now()`);
  const counter = await env.pool.query(`SELECT nextval('${s}.id_counter')::int AS n`);
  const id = salesforceId(QUERY_LOCATOR_KEY_PREFIX, (counter.rows[0] as { n: number }).n);
  await env.pool.query(
    `INSERT INTO ${s}.query_cursor (id, soql, include_deleted, ids, batch_size, expires_at)
     VALUES ($1, $2, $3, $4::text[], $5, now() + ${CURSOR_TTL})`,
    [id, soql, includeDeleted, ids, batchSize],
  );
  return id;
}

/** The selected fields of the given records, rendered in the order of `ids` (missing ones skipped). */
export async function fetchRecords(
  env: QueryEnvironment,
  compiled: CompiledQuery,
  ids: string[],
): Promise<OutputValue[]> {
  const byId = await fetchRecordMap(env, compiled, ids);
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The selected fields of the given records, by id. */
export async function fetchRecordMap(
  env: QueryEnvironment,
  compiled: CompiledQuery,
  ids: string[],
): Promise<Map<string, OutputValue>> {
  const records = new Map<string, OutputValue>();
  if (ids.length === 0) return records;
  const liveOnly = compiled.includeDeleted ? '' : ' AND NOT t0."IsDeleted"';
  const result = await env.pool.query(
    `SELECT ${compiled.selectList} FROM ${compiled.from} WHERE t0."Id" = ANY($1::text[])${liveOnly}`,
    [ids],
  );
  for (const row of result.rows as Record<string, unknown>[]) {
    records.set(
      String(row[compiled.idColumn]),
      renderRecord(compiled.definition, compiled.items, compiled.idColumn, row),
    );
  }
  return records;
}

function renderRecord(
  definition: SObjectDefinition,
  items: SelectionItem[],
  idColumn: string,
  row: Record<string, unknown>,
): { [key: string]: OutputValue } {
  const out: { [key: string]: OutputValue } = {
    attributes: { type: definition.name, url: `${API_ROOT}/sobjects/${definition.name}/${String(row[idColumn])}` },
  };
  for (const item of items) {
    if (item.kind === 'field') {
      out[item.field.name] = renderValue(item.field, storedFromColumn(item.field, row[item.column]));
    } else {
      out[item.name] =
        row[item.idColumn] === null || row[item.idColumn] === undefined
          ? null
          : renderRecord(item.definition, item.items, item.idColumn, row);
    }
  }
  return out;
}
