import { RecordError, SalesforceApiError, notFound } from './salesforce-error';
import { type JsonValue, type OutputValue, isJsonObject } from '@/sandbox/core/exact-json';
import { type CoercedInput, coerceFieldValue, coerceRecordInput } from './field-values';
import { fetchRecordMap } from './query-executor';
import {
  type WriteContext,
  createRecord,
  deleteRecord,
  externalIdField,
  updateRecord,
  upsertRecord,
} from './record-writer';
import {
  type ApiContext,
  type ApiRequest,
  type ApiResponse,
  inTransaction,
  jsonObjectBody,
  methodNotAllowed,
} from './rest-context';
import { normalizeSalesforceId } from './salesforce-id';
import { compileFieldList } from './soql-compiler';
import { type SObjectDefinition, SOBJECTS, findSObject } from './sobject-definitions';

/**
 * sObject Collections (`/composite/sobjects`): up to 200 records per call, answered with one
 * result per record in request order. Each record runs under its own savepoint; with allOrNone
 * any failure rolls the whole call back and the records that had succeeded report
 * ALL_OR_NONE_OPERATION_ROLLED_BACK.
 */

export const MAX_COLLECTION_SIZE = 200;

type SaveError = { statusCode: string; message: string; fields: string[] };
type ItemResult = { id?: string; success: boolean; errors: SaveError[]; created?: boolean };

/** One record's planned operation: either ready to run, or already failed validation. */
type Item =
  | { id?: string; run: (write: WriteContext) => Promise<{ id: string; created?: boolean }> }
  | { id?: string; error: RecordError };

const ROLLED_BACK: SaveError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

export async function handleCollections(
  context: ApiContext,
  request: ApiRequest,
  segments: string[],
): Promise<ApiResponse> {
  const { method } = request;
  const [typeName, externalFieldName, ...rest] = segments;
  if (rest.length > 0) throw notFound();
  if (typeName === undefined) {
    if (method === 'POST') return createMany(context, request);
    if (method === 'PATCH') return updateMany(context, request);
    if (method === 'DELETE') return deleteMany(context, request);
    throw methodNotAllowed(method, ['POST', 'PATCH', 'DELETE']);
  }
  const definition = findSObject(typeName);
  if (!definition) throw notFound();
  if (externalFieldName === undefined) {
    if (method === 'GET' || method === 'POST') return retrieveMany(context, request, definition);
    throw methodNotAllowed(method, ['GET', 'POST']);
  }
  if (method === 'PATCH') return upsertMany(context, request, definition, externalFieldName);
  throw methodNotAllowed(method, ['PATCH']);
}

function readCollection(request: ApiRequest): { allOrNone: boolean; records: { [key: string]: JsonValue }[] } {
  const body = jsonObjectBody(request);
  const records = body.records;
  if (!Array.isArray(records)) {
    throw SalesforceApiError.of(400, 'JSON_PARSER_ERROR', 'The request body must contain a "records" array.');
  }
  checkSize(records.length);
  return {
    allOrNone: body.allOrNone === true,
    records: records.map((record) => {
      if (!isJsonObject(record)) {
        throw SalesforceApiError.of(400, 'JSON_PARSER_ERROR', 'Each element of "records" must be an sObject.');
      }
      return record;
    }),
  };
}

function checkSize(count: number): void {
  if (count > MAX_COLLECTION_SIZE) {
    throw SalesforceApiError.of(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_COLLECTION_SIZE} records into this call`,
    );
  }
}

/** The object named by a record's `attributes.type`. */
function recordType(record: { [key: string]: JsonValue }): SObjectDefinition {
  const attributes = record.attributes;
  const type = isJsonObject(attributes) && typeof attributes.type === 'string' ? attributes.type : undefined;
  if (!type) {
    throw SalesforceApiError.of(400, 'INVALID_TYPE', 'Each record must name its sObject type in attributes.type.');
  }
  const definition = findSObject(type);
  if (!definition) {
    throw SalesforceApiError.of(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`);
  }
  return definition;
}

function plan(
  input: CoercedInput,
  run: (write: WriteContext) => Promise<{ id: string; created?: boolean }>,
  id?: string,
): Item {
  const item = input.recordError ? { error: input.recordError } : { run };
  return id ? { id, ...item } : item;
}

async function createMany(context: ApiContext, request: ApiRequest): Promise<ApiResponse> {
  const { allOrNone, records } = readCollection(request);
  const items = records.map((record): Item => {
    const definition = recordType(record);
    if (Object.keys(record).some((key) => key.toLowerCase() === 'id')) {
      return { error: new RecordError('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']) };
    }
    const input = coerceRecordInput(definition, record, 'create');
    return plan(input, async (write) => ({ id: await createRecord(write, definition, input) }));
  });
  return { status: 200, body: await runItems(context, items, allOrNone) };
}

async function updateMany(context: ApiContext, request: ApiRequest): Promise<ApiResponse> {
  const { allOrNone, records } = readCollection(request);
  const items = records.map((record): Item => {
    const definition = recordType(record);
    const rawId = Object.entries(record).find(([key]) => key.toLowerCase() === 'id')?.[1];
    if (typeof rawId !== 'string' || rawId === '') {
      return { error: new RecordError('MISSING_ARGUMENT', 'Id not specified in an update call') };
    }
    const id = normalizeSalesforceId(rawId);
    if (!id || !id.startsWith(definition.keyPrefix)) {
      return { error: new RecordError('MALFORMED_ID', `Record ID: id value of incorrect type: ${rawId}`, ['Id']) };
    }
    const input = coerceRecordInput(definition, record, 'update', new Set(['id']));
    return plan(input, async (write) => (await updateRecord(write, definition, id, input), { id }), id);
  });
  return { status: 200, body: await runItems(context, items, allOrNone) };
}

async function upsertMany(
  context: ApiContext,
  request: ApiRequest,
  definition: SObjectDefinition,
  externalFieldName: string,
): Promise<ApiResponse> {
  const field = externalIdField(definition, externalFieldName);
  const { allOrNone, records } = readCollection(request);
  const items = records.map((record): Item => {
    const raw = Object.entries(record).find(([key]) => key.toLowerCase() === field.name.toLowerCase())?.[1];
    if (raw === undefined || raw === null || raw === '') {
      return { error: new RecordError('MISSING_ARGUMENT', `${field.name} not specified`, [field.name]) };
    }
    let value: string | null;
    try {
      const coerced = coerceFieldValue(field, raw);
      value = typeof coerced === 'string' ? coerced : null;
    } catch (error) {
      if (error instanceof RecordError) return { error };
      throw error;
    }
    if (!value) return { error: new RecordError('MISSING_ARGUMENT', `${field.name} not specified`, [field.name]) };
    const key = value;
    const input = coerceRecordInput(definition, record, 'upsert', new Set([field.name.toLowerCase(), 'id']));
    return plan(input, async (write) => {
      const outcome = await upsertRecord(write, definition, field, key, input);
      if (outcome.kind === 'ambiguous') {
        throw new RecordError(
          'DUPLICATE_EXTERNAL_ID',
          `${field.name}: more than one record found for external id field: [${outcome.ids.join(', ')}]`,
          [field.name],
        );
      }
      return { id: outcome.id, created: outcome.created };
    });
  });
  return { status: 200, body: await runItems(context, items, allOrNone, true) };
}

async function deleteMany(context: ApiContext, request: ApiRequest): Promise<ApiResponse> {
  const ids = (request.searchParams.get('ids') ?? '').split(',').filter(Boolean);
  if (ids.length === 0) {
    throw SalesforceApiError.of(
      400,
      'MISSING_ARGUMENT',
      'The ids parameter is required and names the records to delete.',
    );
  }
  checkSize(ids.length);
  const allOrNone = request.searchParams.get('allOrNone') === 'true';
  const items = ids.map((rawId): Item => {
    const id = normalizeSalesforceId(rawId);
    const definition = id ? Object.values(SOBJECTS).find((d) => id.startsWith(d.keyPrefix)) : undefined;
    if (!id) return { error: new RecordError('MALFORMED_ID', `malformed id ${rawId}`) };
    if (!definition) return { id, error: new RecordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id') };
    return { id, run: async (write) => (await deleteRecord(write, definition, id), { id }) };
  });
  return { status: 200, body: await runItems(context, items, allOrNone) };
}

async function retrieveMany(
  context: ApiContext,
  request: ApiRequest,
  definition: SObjectDefinition,
): Promise<ApiResponse> {
  let ids: string[];
  let fields: string[];
  if (request.method === 'POST') {
    const body = jsonObjectBody(request);
    ids = Array.isArray(body.ids) ? body.ids.map(String) : [];
    fields = Array.isArray(body.fields) ? body.fields.map(String) : [];
  } else {
    ids = (request.searchParams.get('ids') ?? '').split(',').filter(Boolean);
    fields = (request.searchParams.get('fields') ?? '').split(',').filter(Boolean);
  }
  if (ids.length === 0 || fields.length === 0) {
    throw SalesforceApiError.of(400, 'MISSING_ARGUMENT', 'Both ids and fields are required.');
  }
  if (ids.length > 2000) {
    throw SalesforceApiError.of(
      400,
      'EXCEEDED_ID_LIMIT',
      'record limit reached. cannot submit more than 2000 records into this call',
    );
  }
  const compiled = compileFieldList(definition, fields, { schema: context.schema });
  const normalized = ids.map((id) => normalizeSalesforceId(id));
  const found = await fetchRecordMap(
    context,
    compiled,
    normalized.filter((id): id is string => id !== null),
  );
  return { status: 200, body: normalized.map((id) => (id ? (found.get(id) ?? null) : null)) };
}

/** Runs planned items in one transaction, each under a savepoint; applies allOrNone. */
async function runItems(
  context: ApiContext,
  items: Item[],
  allOrNone: boolean,
  reportCreated = false,
): Promise<OutputValue> {
  const outcomes: ItemResult[] = [];
  const rollBack = new Error('all-or-none rollback');
  try {
    await inTransaction(context, async (write) => {
      for (const item of items) {
        if ('error' in item) {
          outcomes.push(failure(item.id, item.error));
          continue;
        }
        await write.client.query('SAVEPOINT record');
        try {
          const { id, created } = await item.run(write);
          await write.client.query('RELEASE SAVEPOINT record');
          outcomes.push({ id, success: true, errors: [], ...(reportCreated ? { created: created ?? false } : {}) });
        } catch (error) {
          if (!(error instanceof RecordError)) throw error;
          await write.client.query('ROLLBACK TO SAVEPOINT record');
          outcomes.push(failure(item.id, error));
        }
      }
      if (allOrNone && outcomes.some((outcome) => !outcome.success)) throw rollBack;
    });
  } catch (error) {
    if (error !== rollBack) throw error;
    return outcomes.map((outcome, i) =>
      outcome.success
        ? { ...(items[i]?.id ? { id: items[i]?.id } : {}), success: false, errors: [ROLLED_BACK] }
        : outcome,
    ) as OutputValue;
  }
  return outcomes as OutputValue;
}

function failure(id: string | undefined, error: RecordError): ItemResult {
  return { ...(id ? { id } : {}), success: false, errors: [error.toSaveError()] };
}
