import { Decimal } from 'decimal.js';
import { NetSuiteApiError } from './netsuite-error';
import { type JsonValue, isJsonObject, JsonNumber } from '@/sandbox/core/exact-json';
import type { FieldDefinition, RecordTypeDefinition } from './record-types';

/**
 * Reads a record body as the record service accepts it: field ids as on GET, references as
 * `{ "id": "123" }` or `{ "externalId": "X" }`, selects as `{ "id": "A" }`, money as JSON numbers
 * (or numeric strings), dates as `YYYY-MM-DD`. Values come out as PostgreSQL input text.
 */

export type ReferenceInput = { id: string } | { externalId: string };

export interface FieldInput {
  field: FieldDefinition;
  /** null clears the field. */
  value: string | boolean | null | ReferenceInput;
}

export interface ParsedRecordBody {
  /** Present when the body sets or clears the external id. */
  externalId?: string | null;
  fields: FieldInput[];
}

/** Read-only or informational keys a client may echo back from a GET. */
const IGNORED_KEYS = new Set(['links', 'id', 'refName']);

function invalidValue(field: FieldDefinition, shown: string): NetSuiteApiError {
  return new NetSuiteApiError(
    400,
    'INVALID_CONTENT',
    `Error while accessing a resource. You have entered an Invalid Field Value ${shown} for the following field: ${field.name}`,
    { 'o:errorPath': field.name },
  );
}

function show(value: JsonValue): string {
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function parseReference(field: FieldDefinition, value: JsonValue): ReferenceInput {
  if (!isJsonObject(value)) throw invalidValue(field, show(value));
  const id = value.id;
  if (id instanceof JsonNumber && /^\d+$/.test(id.text)) return { id: id.text };
  if (typeof id === 'string' && /^\d+$/.test(id)) return { id };
  if (id !== undefined) throw invalidValue(field, show(id));
  if (typeof value.externalId === 'string' && value.externalId !== '') return { externalId: value.externalId };
  throw invalidValue(field, show(value));
}

function parseFieldValue(field: FieldDefinition, value: JsonValue): FieldInput['value'] {
  if (value === null) return null;
  switch (field.type) {
    case 'text':
      if (typeof value !== 'string') throw invalidValue(field, show(value));
      return value;
    case 'decimal':
    case 'money': {
      const text = value instanceof JsonNumber ? value.text : typeof value === 'string' ? value.trim() : undefined;
      if (text === undefined || !/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text))
        throw invalidValue(field, show(value));
      return new Decimal(text).toFixed();
    }
    case 'integer':
      if (!(value instanceof JsonNumber) || !/^-?\d+$/.test(value.text)) throw invalidValue(field, show(value));
      return value.text;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalidValue(field, show(value));
      return value;
    case 'date':
      if (typeof value !== 'string' || !isIsoDate(value)) throw invalidValue(field, show(value));
      return value;
    case 'reference':
      return parseReference(field, value);
    case 'select': {
      const id = isJsonObject(value) ? value.id : value;
      const key = id instanceof JsonNumber ? id.text : typeof id === 'string' ? id : undefined;
      if (key === undefined) throw invalidValue(field, show(value));
      if (!field.options || !(key in field.options)) {
        throw new NetSuiteApiError(400, 'INVALID_KEY_OR_REF', `Invalid ${field.name} reference key ${key}.`, {
          'o:errorPath': field.name,
        });
      }
      return key;
    }
  }
}

export function parseRecordBody(definition: RecordTypeDefinition, body: JsonValue): ParsedRecordBody {
  if (!isJsonObject(body)) {
    throw new NetSuiteApiError(400, 'INVALID_CONTENT', 'Invalid content in the request body. Provide a JSON object.');
  }
  const parsed: ParsedRecordBody = { fields: [] };
  const byName = new Map(definition.fields.map((field) => [field.name.toLowerCase(), field]));
  const readOnly = new Set([definition.createdField.toLowerCase(), definition.modifiedField.toLowerCase()]);
  for (const [key, value] of Object.entries(body)) {
    if (IGNORED_KEYS.has(key) || readOnly.has(key.toLowerCase())) continue;
    if (key === 'externalId') {
      if (value !== null && (typeof value !== 'string' || value === '')) {
        throw new NetSuiteApiError(400, 'INVALID_CONTENT', `Invalid value ${show(value)} for field externalId.`, {
          'o:errorPath': 'externalId',
        });
      }
      parsed.externalId = value;
      continue;
    }
    const field = byName.get(key.toLowerCase());
    if (!field) {
      throw new NetSuiteApiError(
        400,
        'INVALID_CONTENT',
        `Invalid content in the request body. The field '${key}' does not exist on record type '${definition.type}'.`,
        { 'o:errorPath': key },
      );
    }
    parsed.fields.push({ field, value: parseFieldValue(field, value) });
  }
  return parsed;
}

/** The USER_ERROR NetSuite answers when mandatory fields are left empty. */
export function missingRequired(fields: FieldDefinition[]): NetSuiteApiError {
  const first = fields[0];
  return new NetSuiteApiError(
    400,
    'USER_ERROR',
    `Error while accessing a resource. Please enter value(s) for: ${fields.map((f) => f.label).join(', ')}.`,
    first ? { 'o:errorPath': first.name } : {},
  );
}
