import { RecordError, SalesforceApiError, notFound } from './salesforce-error';
import { API_ROOT } from './api-version';
import { coerceFieldValue, coerceRecordInput } from './field-values';
import { fetchRecords } from './query-executor';
import { deleteRecord, externalIdField, findByField, updateRecord, upsertRecord, createRecord } from './record-writer';
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
import { describeGlobal, describeSObject, sobjectBasicInfo } from './sobject-describe';
import { type FieldDefinition, type SObjectDefinition, findSObject } from './sobject-definitions';

/**
 * The sObject resources: describe, and single-record retrieve / create / update / delete and
 * upsert or retrieve by external id.
 */

export async function handleSObjects(
  context: ApiContext,
  request: ApiRequest,
  segments: string[],
): Promise<ApiResponse> {
  const { method } = request;
  const [typeName, second, third, ...rest] = segments;
  if (typeName === undefined) {
    if (method !== 'GET') throw methodNotAllowed(method, ['GET', 'HEAD']);
    return { status: 200, body: describeGlobal() };
  }
  const definition = findSObject(typeName);
  if (!definition || rest.length > 0) throw notFound();

  if (second === undefined) {
    if (method === 'GET') return { status: 200, body: sobjectBasicInfo(definition) };
    if (method === 'POST') return create(context, request, definition);
    throw methodNotAllowed(method, ['GET', 'HEAD', 'POST']);
  }
  if (third === undefined && second.toLowerCase() === 'describe') {
    if (method !== 'GET') throw methodNotAllowed(method, ['GET', 'HEAD']);
    return { status: 200, body: describeSObject(definition) };
  }
  if (third === undefined) {
    const id = recordIdFromPath(definition, second);
    if (method === 'GET') return retrieve(context, request, definition, id);
    if (method === 'PATCH') return update(context, request, definition, id);
    if (method === 'DELETE') return remove(context, definition, id);
    throw methodNotAllowed(method, ['GET', 'HEAD', 'PATCH', 'DELETE']);
  }
  const field = externalIdField(definition, second);
  if (method === 'PATCH') return upsert(context, request, definition, field, third);
  if (method === 'GET' || method === 'DELETE') {
    const value = externalValue(field, third);
    const ids = await findByField({ client: context.pool, schema: context.schema }, definition, field, value, 200);
    if (ids.length > 1) return multipleChoices(definition, ids);
    const id = ids[0];
    if (!id) throw notFound();
    return method === 'GET' ? retrieve(context, request, definition, id) : remove(context, definition, id);
  }
  throw methodNotAllowed(method, ['GET', 'HEAD', 'PATCH', 'DELETE']);
}

/** A record id from the URL: ids of another object are simply not found here. */
function recordIdFromPath(definition: SObjectDefinition, segment: string): string {
  const id = normalizeSalesforceId(segment);
  if (!id) {
    if (/^[0-9A-Za-z]{15}([0-9A-Za-z]{3})?$/.test(segment)) {
      throw SalesforceApiError.of(400, 'MALFORMED_ID', `malformed id ${segment}`);
    }
    throw SalesforceApiError.of(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${segment}`,
    );
  }
  if (!id.startsWith(definition.keyPrefix)) throw notFound();
  return id;
}

/** The external-id value from the URL, normalized like a stored value of that field. */
function externalValue(field: FieldDefinition, raw: string): string {
  try {
    const value = coerceFieldValue(field, raw);
    if (typeof value !== 'string') throw notFound();
    return value;
  } catch (error) {
    if (error instanceof RecordError) throw SalesforceApiError.of(400, error.statusCode, error.message, error.fields);
    throw error;
  }
}

function multipleChoices(definition: SObjectDefinition, ids: string[]): ApiResponse {
  return { status: 300, body: ids.map((id) => `${API_ROOT}/sobjects/${definition.name}/${id}`) };
}

async function retrieve(
  context: ApiContext,
  request: ApiRequest,
  definition: SObjectDefinition,
  id: string,
): Promise<ApiResponse> {
  const fieldsParam = request.searchParams.get('fields');
  const paths = fieldsParam
    ? fieldsParam
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean)
    : definition.fields.map((f) => f.name);
  const compiled = compileFieldList(definition, paths, { schema: context.schema });
  const [record] = await fetchRecords(context, compiled, [id]);
  if (!record) throw notFound();
  return { status: 200, body: record };
}

async function create(context: ApiContext, request: ApiRequest, definition: SObjectDefinition): Promise<ApiResponse> {
  const input = coerceRecordInput(definition, jsonObjectBody(request), 'create');
  const id = await singleRecord(() => inTransaction(context, (write) => createRecord(write, definition, input)));
  return { status: 201, body: { id, success: true, errors: [] } };
}

async function update(
  context: ApiContext,
  request: ApiRequest,
  definition: SObjectDefinition,
  id: string,
): Promise<ApiResponse> {
  const input = coerceRecordInput(definition, jsonObjectBody(request), 'update', new Set(['id']));
  await singleRecord(() => inTransaction(context, (write) => updateRecord(write, definition, id, input)));
  return { status: 204 };
}

async function remove(context: ApiContext, definition: SObjectDefinition, id: string): Promise<ApiResponse> {
  await singleRecord(() => inTransaction(context, (write) => deleteRecord(write, definition, id)));
  return { status: 204 };
}

async function upsert(
  context: ApiContext,
  request: ApiRequest,
  definition: SObjectDefinition,
  field: FieldDefinition,
  rawValue: string,
): Promise<ApiResponse> {
  const value = field.name === 'Id' ? normalizeSalesforceId(rawValue) : externalValue(field, rawValue);
  if (!value) throw SalesforceApiError.of(400, 'MALFORMED_ID', `malformed id ${rawValue}`);
  // The key comes from the URL; a copy of it in the body is ignored.
  const input = coerceRecordInput(
    definition,
    jsonObjectBody(request),
    'upsert',
    new Set([field.name.toLowerCase(), 'id']),
  );
  const outcome = await singleRecord(() =>
    inTransaction(context, (write) => upsertRecord(write, definition, field, value, input)),
  );
  if (outcome.kind === 'ambiguous') return multipleChoices(definition, outcome.ids);
  return {
    status: outcome.created ? 201 : 200,
    body: { id: outcome.id, success: true, errors: [], created: outcome.created },
  };
}

/** Single-record calls answer a record-level failure as a plain error array. */
async function singleRecord<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RecordError) throw error.toApiError();
    throw error;
  }
}
