import type pg from 'pg';
import { compileCondition, type Condition, SqlParameters } from './conditions';
import { NetSuiteApiError } from './netsuite-error';
import { JsonNumber } from '@/sandbox/core/exact-json';
import { type FieldInput, missingRequired, type ParsedRecordBody, type ReferenceInput } from './record-input';
import {
  columnName,
  type FieldDefinition,
  recordTypeDefinition,
  type RecordTypeDefinition,
  requireRecordType,
} from './record-types';
import { quoteIdent, recordTable } from './netsuite-schema';

/**
 * Record service storage: get, create, update, upsert by external id, delete and list over the
 * typed tables, rendering records the way the REST record service prints them.
 */

export type RecordKey = { id: string } | { externalId: string };

type Row = Record<string, unknown>;

const RECORD_PATH = '/services/rest/record/v1';

export function recordHref(baseUrl: string, type: string, id: string): string {
  return `${baseUrl}${RECORD_PATH}/${type}/${id}`;
}

function selfLinks(href: string) {
  return [{ rel: 'self', href }];
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

export function notFound(): NetSuiteApiError {
  return new NetSuiteApiError(
    404,
    'NONEXISTENT_ID',
    'The record instance does not exist. Provide a valid record instance ID.',
  );
}

function duplicateExternalId(externalId: string): NetSuiteApiError {
  return new NetSuiteApiError(
    400,
    'DUP_RCRD',
    `Error while accessing a resource. A record with the external ID '${externalId}' already exists.`,
    { 'o:errorPath': 'externalId' },
  );
}

/** The display expression (refName) of a record of `definition` aliased `alias`. */
function refNameSql(definition: RecordTypeDefinition, alias: string): string {
  const parts = definition.refNameFields.map((name) => {
    const field = definition.fields.find((f) => f.name === name);
    return field ? `NULLIF(${alias}.${quoteIdent(columnName(field))}, '')` : null;
  });
  return `coalesce(${[...parts.filter((p): p is string => p !== null), `${alias}.id::text`].join(', ')})`;
}

/** SQL rendering a field as the text (or boolean) the REST output needs. */
function fieldSelectSql(field: FieldDefinition, alias: string): string {
  const column = `${alias}.${quoteIdent(columnName(field))}`;
  switch (field.type) {
    case 'decimal':
    case 'money':
      return `trim_scale(${column})::text`;
    case 'integer':
    case 'reference':
      return `${column}::text`;
    case 'date':
      return `to_char(${column}, 'YYYY-MM-DD')`;
    case 'boolean':
      return `coalesce(${column}, false)`;
    case 'text':
    case 'select':
      return column;
  }
}

const DATETIME_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;

export class RecordStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    private readonly baseUrl: () => string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private table(definition: RecordTypeDefinition): string {
    return recordTable(this.schema, definition);
  }

  private keyCondition(key: RecordKey, params: SqlParameters, alias = 't'): string {
    return 'id' in key
      ? `${alias}.id = ${params.add(key.id, 'bigint')}`
      : `${alias}.external_id = ${params.add(key.externalId, 'text')}`;
  }

  /** The record as GET prints it; `fields` limits the body fields returned. */
  async get(
    definition: RecordTypeDefinition,
    key: RecordKey,
    fields?: ReadonlySet<string>,
  ): Promise<Record<string, unknown>> {
    const params = new SqlParameters();
    const selects = [
      `t.id::text AS "id"`,
      `t.external_id AS "externalId"`,
      `to_char(t.date_created AT TIME ZONE 'UTC', ${DATETIME_FORMAT}) AS "created"`,
      `to_char(t.last_modified AT TIME ZONE 'UTC', ${DATETIME_FORMAT}) AS "modified"`,
    ];
    const joins: string[] = [];
    definition.fields.forEach((field, index) => {
      selects.push(`${fieldSelectSql(field, 't')} AS "f${index}"`);
      if (field.type === 'reference' && field.references) {
        const target = requireRecordType(field.references);
        joins.push(`LEFT JOIN ${this.table(target)} r${index} ON r${index}.id = t.${quoteIdent(columnName(field))}`);
        selects.push(`${refNameSql(target, `r${index}`)} AS "r${index}"`);
      }
    });
    const sql = `SELECT ${selects.join(', ')} FROM ${this.table(definition)} t ${joins.join(' ')} WHERE ${this.keyCondition(key, params)}`;
    const { rows } = await this.pool.query<Row>(sql, params.values);
    const row = rows[0];
    if (!row) throw notFound();
    return this.render(definition, row, fields);
  }

  private render(definition: RecordTypeDefinition, row: Row, only?: ReadonlySet<string>): Record<string, unknown> {
    const base = this.baseUrl();
    const id = String(row.id);
    const wanted = (name: string) => !only || only.has(name.toLowerCase());
    const out: Record<string, unknown> = { links: selfLinks(recordHref(base, definition.type, id)), id };
    if (row.externalId !== null && wanted('externalId')) out.externalId = row.externalId;
    if (wanted(definition.createdField)) out[definition.createdField] = row.created;
    if (wanted(definition.modifiedField)) out[definition.modifiedField] = row.modified;
    definition.fields.forEach((field, index) => {
      const value = row[`f${index}`];
      if (value === null || value === undefined || !wanted(field.name)) return;
      switch (field.type) {
        case 'decimal':
        case 'money':
        case 'integer':
          out[field.name] = new JsonNumber(String(value));
          break;
        case 'reference':
          out[field.name] = {
            links: selfLinks(recordHref(base, field.references ?? '', String(value))),
            id: String(value),
            refName: row[`r${index}`] ?? String(value),
          };
          break;
        case 'select':
          out[field.name] = { id: String(value), refName: field.options?.[String(value)] ?? String(value) };
          break;
        default:
          out[field.name] = value;
      }
    });
    return out;
  }

  private async withTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** Serialises id allocation and external-id upserts of one record type. */
  private async lockType(client: pg.PoolClient, definition: RecordTypeDefinition): Promise<void> {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `netsuite-record:${this.schema}.${definition.type}`,
    ]);
  }

  private async resolveReference(
    client: pg.PoolClient,
    field: FieldDefinition,
    input: ReferenceInput,
  ): Promise<string> {
    const target = recordTypeDefinition(field.references ?? '');
    if (!target) throw new Error(`field ${field.name} has no reference type`);
    const params = new SqlParameters();
    const where = 'id' in input && input.id.length > 18 ? 'FALSE' : this.keyCondition(input, params);
    const { rows } = await client.query<{ id: string }>(
      `SELECT t.id::text AS id FROM ${this.table(target)} t WHERE ${where}`,
      params.values,
    );
    const found = rows[0];
    if (!found) {
      const shown = 'id' in input ? input.id : `eid:${input.externalId}`;
      throw new NetSuiteApiError(400, 'INVALID_KEY_OR_REF', `Invalid ${field.name} reference key ${shown}.`, {
        'o:errorPath': field.name,
      });
    }
    return found.id;
  }

  /** Column values for the given inputs, with references resolved to internal ids. */
  private async columnValues(client: pg.PoolClient, inputs: FieldInput[]): Promise<Array<[FieldDefinition, unknown]>> {
    const out: Array<[FieldDefinition, unknown]> = [];
    for (const { field, value } of inputs) {
      if (value !== null && typeof value === 'object')
        out.push([field, await this.resolveReference(client, field, value)]);
      else out.push([field, value]);
    }
    return out;
  }

  private async insert(
    client: pg.PoolClient,
    definition: RecordTypeDefinition,
    body: ParsedRecordBody,
  ): Promise<string> {
    const missing = definition.fields.filter(
      (field) => field.required && !body.fields.some((input) => input.field === field && input.value !== null),
    );
    if (missing.length > 0) throw missingRequired(missing);
    const values = await this.columnValues(client, body.fields);
    await this.lockType(client, definition);
    const table = this.table(definition);
    const { rows } = await client.query<{ next: string }>(
      `SELECT (coalesce(max(id), 0) + 1)::text AS next FROM ${table}`,
    );
    const id = rows[0]?.next ?? '1';
    const now = this.clock();
    const params = new SqlParameters();
    const columns = ['id', 'external_id', 'date_created', 'last_modified'];
    const placeholders = [
      params.add(id, 'bigint'),
      params.add(body.externalId ?? null, 'text'),
      params.add(now),
      params.add(now),
    ];
    for (const [field, value] of values) {
      columns.push(quoteIdent(columnName(field)));
      placeholders.push(params.add(value));
    }
    try {
      await client.query(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders.join(', ')})`,
        params.values,
      );
    } catch (error) {
      if (isUniqueViolation(error) && body.externalId) throw duplicateExternalId(body.externalId);
      throw error;
    }
    return id;
  }

  private async modify(
    client: pg.PoolClient,
    definition: RecordTypeDefinition,
    id: string,
    body: ParsedRecordBody,
  ): Promise<void> {
    const cleared = body.fields.filter((input) => input.field.required && input.value === null).map((i) => i.field);
    if (cleared.length > 0) throw missingRequired(cleared);
    const values = await this.columnValues(client, body.fields);
    const params = new SqlParameters();
    const sets = [`last_modified = ${params.add(this.clock())}`];
    if (body.externalId !== undefined) sets.push(`external_id = ${params.add(body.externalId, 'text')}`);
    for (const [field, value] of values) sets.push(`${quoteIdent(columnName(field))} = ${params.add(value)}`);
    try {
      await client.query(
        `UPDATE ${this.table(definition)} SET ${sets.join(', ')} WHERE id = ${params.add(id, 'bigint')}`,
        params.values,
      );
    } catch (error) {
      if (isUniqueViolation(error) && body.externalId) throw duplicateExternalId(body.externalId);
      throw error;
    }
  }

  private async findId(client: pg.PoolClient, definition: RecordTypeDefinition, key: RecordKey): Promise<string> {
    if ('id' in key && key.id.length > 18) throw notFound();
    const params = new SqlParameters();
    const { rows } = await client.query<{ id: string }>(
      `SELECT t.id::text AS id FROM ${this.table(definition)} t WHERE ${this.keyCondition(key, params)} FOR UPDATE`,
      params.values,
    );
    const found = rows[0];
    if (!found) throw notFound();
    return found.id;
  }

  /** Creates a record; returns its new internal id. */
  async create(definition: RecordTypeDefinition, body: ParsedRecordBody): Promise<string> {
    return this.withTransaction((client) => this.insert(client, definition, body));
  }

  async update(definition: RecordTypeDefinition, key: RecordKey, body: ParsedRecordBody): Promise<void> {
    await this.withTransaction(async (client) => {
      const id = await this.findId(client, definition, key);
      await this.modify(client, definition, id, body);
    });
  }

  /** Updates the record with this external id, or creates it; `created` says which. */
  async upsert(
    definition: RecordTypeDefinition,
    externalId: string,
    body: ParsedRecordBody,
  ): Promise<{ id: string; created: boolean }> {
    const withKey: ParsedRecordBody = { ...body, externalId };
    return this.withTransaction(async (client) => {
      await this.lockType(client, definition);
      const { rows } = await client.query<{ id: string }>(
        `SELECT id::text AS id FROM ${this.table(definition)} WHERE external_id = $1 FOR UPDATE`,
        [externalId],
      );
      const existing = rows[0];
      if (existing) {
        await this.modify(client, definition, existing.id, { fields: body.fields });
        return { id: existing.id, created: false };
      }
      return { id: await this.insert(client, definition, withKey), created: true };
    });
  }

  async delete(definition: RecordTypeDefinition, key: RecordKey): Promise<void> {
    if ('id' in key && key.id.length > 18) throw notFound();
    const params = new SqlParameters();
    const result = await this.pool.query(
      `DELETE FROM ${this.table(definition)} t WHERE ${this.keyCondition(key, params)}`,
      params.values,
    );
    if (result.rowCount === 0) throw notFound();
  }

  /** One page of record ids in id order, with the total number matching. */
  async list(
    definition: RecordTypeDefinition,
    limit: number,
    offset: number,
    filter?: Condition,
  ): Promise<{ ids: string[]; total: number }> {
    const params = new SqlParameters();
    const where = filter ? `WHERE ${compileCondition(filter, params)}` : '';
    const table = this.table(definition);
    const [count, page] = await Promise.all([
      this.pool.query<{ total: string }>(`SELECT count(*)::text AS total FROM ${table} t ${where}`, params.values),
      this.pool.query<{ id: string }>(
        `SELECT t.id::text AS id FROM ${table} t ${where} ORDER BY t.id LIMIT ${limit} OFFSET ${offset}`,
        params.values,
      ),
    ]);
    return { ids: page.rows.map((r) => r.id), total: Number(count.rows[0]?.total ?? 0) };
  }
}
