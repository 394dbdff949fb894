import type pg from 'pg';
import { RecordError, SalesforceApiError } from './salesforce-error';
import type { CoercedInput } from './field-values';
import { notWritableError, parameterCast, selectExpression, storedFromColumn, toParameter } from './field-values';
import { salesforceId } from './salesforce-id';
import { quoteColumn, schemaIdentifier, tableName } from './salesforce-schema';
import {
  type FieldDefinition,
  type SObjectDefinition,
  type StoredRecord,
  SOBJECTS,
  findField,
} from './sobject-definitions';

/**
 * Record writes with Salesforce's save order: field values, calculated fields, required fields,
 * references, uniqueness, validation rules, then the row. Every function runs on a client inside
 * a transaction owned by the caller, so collections can roll back per record or all at once.
 */

export interface WriteContext {
  client: pg.PoolClient;
  schema: string;
  /** The integration user written into CreatedById / LastModifiedById. */
  userId: string;
  /** An injected validation rejection for this request. */
  reject: boolean;
  now: Date;
}

export type UpsertOutcome = { kind: 'saved'; id: string; created: boolean } | { kind: 'ambiguous'; ids: string[] };

const INJECTED_REJECTION = 'This record was rejected by a validation rule (fault injected by the Salesforce sandbox).';

function timestamp(now: Date): string {
  const whole = new Date(now);
  whole.setUTCMilliseconds(0); // Salesforce keeps datetimes to the second
  return whole.toISOString();
}

/** Reads one record (deleted ones included) as stored values, optionally locking it. */
export async function loadRecord(
  ctx: Pick<WriteContext, 'client' | 'schema'>,
  definition: SObjectDefinition,
  id: string,
  lock = false,
): Promise<StoredRecord | null> {
  const columns = definition.fields.map((f, i) => `${selectExpression('t', f)} AS c${i}`).join(', ');
  const result = await ctx.client.query(
    `SELECT ${columns} FROM ${tableName(ctx.schema, definition)} t WHERE t."Id" = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  const row = result.rows[0] as Record<string, unknown> | undefined;
  if (!row) return null;
  const record: StoredRecord = {};
  definition.fields.forEach((f, i) => {
    record[f.name] = storedFromColumn(f, row[`c${i}`]);
  });
  return record;
}

export async function createRecord(
  ctx: WriteContext,
  definition: SObjectDefinition,
  input: CoercedInput,
): Promise<string> {
  const record = await prepare(ctx, definition, undefined, input);
  const stamp = timestamp(ctx.now);
  Object.assign(record, {
    IsDeleted: false,
    CreatedDate: stamp,
    CreatedById: ctx.userId,
    LastModifiedDate: stamp,
    LastModifiedById: ctx.userId,
    SystemModstamp: stamp,
  });
  const fields = definition.fields.filter((f) => f.name !== 'Id' && record[f.name] !== undefined);
  const columns = ['"Id"', ...fields.map((f) => quoteColumn(f.name))].join(', ');
  const values = ['$1::text', ...fields.map((f, i) => `$${i + 2}::${parameterCast(f)}`)].join(', ');
  const parameters = fields.map((f) => toParameter(record[f.name]));
  // Seeded rows may already use the next counter values; skip past them.
  for (let attempt = 0; attempt < 1000; attempt++) {
    const id = salesforceId(definition.keyPrefix, await nextCounter(ctx, 'id_counter'));
    const result = await reportingDuplicates(definition, () =>
      ctx.client.query(
        `INSERT INTO ${tableName(ctx.schema, definition)} (${columns}) VALUES (${values}) ON CONFLICT ("Id") DO NOTHING RETURNING "Id"`,
        [id, ...parameters],
      ),
    );
    if (result.rowCount === 1) return id;
  }
  throw new Error(`no free id for ${definition.name}`);
}

export async function updateRecord(
  ctx: WriteContext,
  definition: SObjectDefinition,
  id: string,
  input: CoercedInput,
): Promise<void> {
  const previous = await loadRecord(ctx, definition, id, true);
  if (!previous) throw new RecordError('NOT_FOUND', 'The requested resource does not exist', [], 404);
  if (previous.IsDeleted === true) throw new RecordError('ENTITY_IS_DELETED', 'entity is deleted', [], 404);
  const record = await prepare(ctx, definition, previous, input);
  const stamp = timestamp(ctx.now);
  Object.assign(record, { LastModifiedDate: stamp, LastModifiedById: ctx.userId, SystemModstamp: stamp });
  const fields = definition.fields.filter(
    (f) => !['Id', 'IsDeleted', 'CreatedDate', 'CreatedById'].includes(f.name) && record[f.name] !== undefined,
  );
  const assignments = fields.map((f, i) => `${quoteColumn(f.name)} = $${i + 2}::${parameterCast(f)}`).join(', ');
  await reportingDuplicates(definition, () =>
    ctx.client.query(`UPDATE ${tableName(ctx.schema, definition)} SET ${assignments} WHERE "Id" = $1`, [
      id,
      ...fields.map((f) => toParameter(record[f.name])),
    ]),
  );
}

/** Upsert by an external-id field (or Id): one match is updated, none creates, several is ambiguous. */
export async function upsertRecord(
  ctx: WriteContext,
  definition: SObjectDefinition,
  externalField: FieldDefinition,
  value: string,
  input: CoercedInput,
): Promise<UpsertOutcome> {
  // Two concurrent upserts of one new key must not both create.
  await ctx.client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `${ctx.schema}:${definition.name}:${externalField.name}:${value.toLowerCase()}`,
  ]);
  const matches = await findByField(ctx, definition, externalField, value, 2);
  if (matches.length > 1)
    return { kind: 'ambiguous', ids: await findByField(ctx, definition, externalField, value, 200) };
  const existing = matches[0];
  const operation = existing ? 'updateable' : 'createable';
  const notWritable = [...input.provided].filter((name) => !findField(definition, name)?.[operation]);
  if (notWritable.length > 0) throw notWritableError(notWritable);
  if (existing) {
    await updateRecord(ctx, definition, existing, input);
    return { kind: 'saved', id: existing, created: false };
  }
  if (externalField.name === 'Id') throw new RecordError('NOT_FOUND', 'The requested resource does not exist', [], 404);
  const withKey: CoercedInput = {
    ...input,
    values: { ...input.values, [externalField.name]: value },
    provided: new Set([...input.provided, externalField.name]),
  };
  return { kind: 'saved', id: await createRecord(ctx, definition, withKey), created: true };
}

/** Soft delete: the record leaves query results (queryAll still sees it) and its modstamp moves. */
export async function deleteRecord(ctx: WriteContext, definition: SObjectDefinition, id: string): Promise<void> {
  const table = tableName(ctx.schema, definition);
  const found = await ctx.client.query(`SELECT "IsDeleted" FROM ${table} WHERE "Id" = $1 FOR UPDATE`, [id]);
  const row = found.rows[0] as { IsDeleted: boolean } | undefined;
  if (!row) throw new RecordError('NOT_FOUND', 'The requested resource does not exist', [], 404);
  if (row.IsDeleted) throw new RecordError('ENTITY_IS_DELETED', 'entity is deleted', [], 404);
  if (ctx.reject) throw new RecordError('FIELD_CUSTOM_VALIDATION_EXCEPTION', INJECTED_REJECTION);
  const stamp = timestamp(ctx.now);
  await ctx.client.query(
    `UPDATE ${table} SET "IsDeleted" = true, "LastModifiedDate" = $2, "LastModifiedById" = $3, "SystemModstamp" = $2 WHERE "Id" = $1`,
    [id, stamp, ctx.userId],
  );
}

/** Live records whose field equals `value` (case-insensitively for text). */
export async function findByField(
  ctx: { client: pg.Pool | pg.PoolClient; schema: string },
  definition: SObjectDefinition,
  field: FieldDefinition,
  value: string,
  limit: number,
): Promise<string[]> {
  const column = quoteColumn(field.name);
  const condition = field.name === 'Id' ? `"Id" = $1` : `lower(${column}) = lower($1)`;
  const result = await ctx.client.query(
    `SELECT "Id" FROM ${tableName(ctx.schema, definition)} WHERE ${condition} AND NOT "IsDeleted" ORDER BY "Id" LIMIT ${limit}`,
    [value],
  );
  return result.rows.map((row: { Id: string }) => row.Id);
}

async function nextCounter(
  ctx: Pick<WriteContext, 'client' | 'schema'>,
  sequence: 'id_counter' | 'auto_number',
): Promise<number> {
  const result = await ctx.client.query(`SELECT nextval('${schemaIdentifier(ctx.schema)}.${sequence}')::int AS n`);
  return (result.rows[0] as { n: number }).n;
}

/** Merges, derives and validates a record about to be saved; throws the first RecordError. */
async function prepare(
  ctx: WriteContext,
  definition: SObjectDefinition,
  previous: StoredRecord | undefined,
  input: CoercedInput,
): Promise<StoredRecord> {
  if (input.recordError) throw input.recordError;
  const record: StoredRecord = { ...(previous ?? {}), ...input.values };
  await definition.derive?.(record, {
    ...(previous ? { previous } : {}),
    provided: input.provided,
    autoNumber: () => nextCounter(ctx, 'auto_number'),
  });

  const missing = definition.fields
    .filter((f) => f.required && (record[f.name] === undefined || record[f.name] === null || record[f.name] === ''))
    .map((f) => f.name);
  if (missing.length > 0) {
    throw new RecordError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  }

  for (const field of definition.fields) {
    if (field.type !== 'reference' || !input.provided.has(field.name)) continue;
    await checkReference(ctx, field, record[field.name]);
  }

  for (const field of definition.fields) {
    const value = record[field.name];
    if (!field.unique || typeof value !== 'string' || !input.provided.has(field.name)) continue;
    const clash = (await findByField(ctx, definition, field, value, 2)).find((id) => id !== previous?.Id);
    if (clash) {
      throw new RecordError(
        'DUPLICATE_VALUE',
        `duplicate value found: ${field.name} duplicates value on record with id: ${clash}`,
      );
    }
  }

  for (const rule of definition.validationRules) {
    const broken = rule.check(record);
    if (broken) throw new RecordError('FIELD_CUSTOM_VALIDATION_EXCEPTION', broken.message, broken.fields);
  }
  if (ctx.reject) throw new RecordError('FIELD_CUSTOM_VALIDATION_EXCEPTION', INJECTED_REJECTION);
  return record;
}

async function checkReference(ctx: WriteContext, field: FieldDefinition, value: unknown): Promise<void> {
  if (typeof value !== 'string' || field.referenceTo === undefined || field.referenceTo === 'User') return;
  const target = SOBJECTS[field.referenceTo];
  if (!value.startsWith(target.keyPrefix)) {
    throw new RecordError('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${value}`, [
      field.name,
    ]);
  }
  const found = await ctx.client.query(
    `SELECT 1 FROM ${tableName(ctx.schema, target)} WHERE "Id" = $1 AND NOT "IsDeleted"`,
    [value],
  );
  if (found.rowCount === 0) {
    throw new RecordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]);
  }
}

/** Runs a write, turning a unique-index clash that slipped past the pre-check into DUPLICATE_VALUE. */
async function reportingDuplicates<T>(definition: SObjectDefinition, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      const unique = definition.fields.find(
        (f) => f.unique && (error as { constraint?: string }).constraint?.includes(f.name),
      );
      throw new RecordError(
        'DUPLICATE_VALUE',
        `duplicate value found: ${unique?.name ?? 'unique field'} duplicates value on another record`,
      );
    }
    throw error;
  }
}

/** The external-id field named in an upsert URL, or the documented 404. */
export function externalIdField(definition: SObjectDefinition, name: string): FieldDefinition {
  const field = findField(definition, name);
  if (!field || (!field.externalId && field.name !== 'Id')) {
    throw SalesforceApiError.of(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${name}`,
    );
  }
  return field;
}
