import Decimal from 'decimal.js';
import { JsonNumber, type JsonValue, isJsonObject } from '@/sandbox/core/exact-json';
import { RecordError, SalesforceApiError } from './salesforce-error';
import { normalizeSalesforceId } from './salesforce-id';
import {
  type FieldDefinition,
  type FieldType,
  type SObjectDefinition,
  type StoredRecord,
  type StoredValue,
  findField,
  isIdType,
  isNumericType,
  isTextType,
} from './sobject-definitions';
import { quoteColumn } from './salesforce-schema';

/**
 * Conversions of field values between the three places they live: request JSON, the emulator's
 * StoredValue, and PostgreSQL columns (read back as text so no driver parsing can touch them).
 */

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Typed output of `coerceRecordInput`. */
export interface CoercedInput {
  values: StoredRecord;
  provided: Set<string>;
  /** The first record-level problem found (a collection reports it for this record only). */
  recordError?: RecordError;
}

/** Salesforce's request-level complaint about a value it cannot deserialize. */
function deserializeError(type: FieldType, value: JsonValue): SalesforceApiError {
  const token =
    typeof value === 'string'
      ? 'VALUE_STRING'
      : value instanceof JsonNumber
        ? /[.eE]/.test(value.text)
          ? 'VALUE_NUMBER_FLOAT'
          : 'VALUE_NUMBER_INT'
        : typeof value === 'boolean'
          ? `VALUE_${String(value).toUpperCase()}`
          : Array.isArray(value)
            ? 'START_ARRAY'
            : 'START_OBJECT';
  const shown = value instanceof JsonNumber ? value.text : typeof value === 'string' ? value : '';
  return SalesforceApiError.of(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${type} from ${token} value ${shown} or request may be missing a required field`,
  );
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isValidDate(text: string): boolean {
  const match = DATE_TEXT.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0));
}

/** An ISO-8601 datetime (any offset, or a bare date) as ISO UTC with milliseconds, or null. */
export function parseDateTime(text: string): string | null {
  if (isValidDate(text)) return `${text}T00:00:00.000Z`;
  const match = DATETIME_TEXT.exec(text);
  if (!match || !isValidDate(text.slice(0, 10))) return null;
  const [hour, minute, second] = [Number(match[4]), Number(match[5]), Number(match[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return null;
  const fraction = (match[7] ?? '').slice(1, 4).padEnd(3, '0');
  const zone = match[8] ?? 'Z';
  if (zone === 'Z' || zone === '+00:00' || zone === '+0000') {
    // UTC needs no arithmetic; seed loads parse many of these.
    return `${text.slice(0, 10)}T${match[4]}:${match[5]}:${match[6] ?? '00'}.${fraction}Z`;
  }
  const offset = zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const millis = Date.parse(`${text.slice(0, 10)}T${match[4]}:${match[5]}:${match[6] ?? '00'}.${fraction}${offset}`);
  return Number.isNaN(millis) ? null : new Date(millis).toISOString();
}

const bounds = new Map<FieldDefinition, Decimal>();

/** The smallest magnitude a numeric field cannot hold: 10^(precision - scale). */
function numericBound(field: FieldDefinition): Decimal {
  let bound = bounds.get(field);
  if (!bound) {
    bound = new Decimal(10).pow((field.precision ?? 18) - (field.scale ?? 0));
    bounds.set(field, bound);
  }
  return bound;
}

/** Converts one request value for `field`, throwing RecordError or SalesforceApiError. */
export function coerceFieldValue(field: FieldDefinition, raw: JsonValue): StoredValue {
  if (raw === null || (raw === '' && field.type !== 'boolean')) return field.type === 'boolean' ? false : null;
  if (Array.isArray(raw) || isJsonObject(raw)) throw deserializeError(field.type, raw);

  if (isIdType(field.type)) {
    const text = raw instanceof JsonNumber ? raw.text : String(raw);
    const id = normalizeSalesforceId(text);
    if (!id) throw new RecordError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${text}`, [field.name]);
    return id;
  }
  if (isTextType(field.type)) {
    const text = raw instanceof JsonNumber ? raw.text : String(raw);
    if (field.length !== undefined && text.length > field.length) {
      throw new RecordError(
        'STRING_TOO_LONG',
        `${field.label}: data value too large: ${text} (max length=${field.length})`,
        [field.name],
      );
    }
    if (field.picklist?.restricted) {
      const match = field.picklist.values.find((v) => v.toLowerCase() === text.toLowerCase());
      if (!match) {
        const what =
          field.name === 'CurrencyIsoCode' ? 'invalid currency code' : 'bad value for restricted picklist field';
        throw new RecordError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.label}: ${what}: ${text}`, [
          field.name,
        ]);
      }
      return match;
    }
    return text;
  }
  if (isNumericType(field.type)) {
    const text = raw instanceof JsonNumber ? raw.text : typeof raw === 'string' ? raw.trim() : null;
    if (text === null || !DECIMAL_TEXT.test(text)) throw deserializeError(field.type, raw);
    const value = new Decimal(text).toDecimalPlaces(field.scale ?? 0, Decimal.ROUND_HALF_UP);
    if (value.abs().gte(numericBound(field))) {
      throw new RecordError(
        'NUMBER_OUTSIDE_VALID_RANGE',
        `${field.label}: value outside of valid range on numeric field: ${text}`,
        [field.name],
      );
    }
    return value;
  }
  if (field.type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw deserializeError('boolean', raw);
  }
  if (field.type === 'date') {
    if (typeof raw === 'string' && isValidDate(raw)) return raw;
    if (typeof raw === 'string' && DATETIME_TEXT.test(raw) && isValidDate(raw.slice(0, 10))) return raw.slice(0, 10);
    throw deserializeError(field.type, raw);
  }
  if (field.type === 'datetime') {
    const parsed = typeof raw === 'string' ? parseDateTime(raw) : null;
    if (!parsed) throw deserializeError(field.type, raw);
    return parsed;
  }
  throw deserializeError(field.type, raw);
}

/** The error for fields a create or update may not set. */
export function notWritableError(fields: string[]): RecordError {
  return new RecordError(
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${fields.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    fields,
  );
}

/**
 * Converts a request body into stored values. Unknown fields fail the whole request, as they do
 * on Salesforce; per-field problems become the record's error.
 */
export function coerceRecordInput(
  definition: SObjectDefinition,
  body: { [key: string]: JsonValue },
  mode: 'create' | 'update' | 'upsert',
  ignore: ReadonlySet<string> = new Set(),
): CoercedInput {
  const values: StoredRecord = {};
  const provided = new Set<string>();
  const notWritable: string[] = [];
  let recordError: RecordError | undefined;
  for (const [key, raw] of Object.entries(body)) {
    if (key === 'attributes' || ignore.has(key.toLowerCase())) continue;
    const field = findField(definition, key);
    if (!field) {
      throw SalesforceApiError.of(
        400,
        'INVALID_FIELD',
        `No such column '${key}' on sobject of type ${definition.name}`,
      );
    }
    const writable =
      mode === 'create'
        ? field.createable
        : mode === 'update'
          ? field.updateable
          : field.createable || field.updateable;
    if (!writable) {
      notWritable.push(field.name);
      continue;
    }
    try {
      values[field.name] = coerceFieldValue(field, raw ?? null);
      provided.add(field.name);
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      recordError ??= error;
    }
  }
  if (notWritable.length > 0) recordError = notWritableError(notWritable);
  return { values, provided, ...(recordError ? { recordError } : {}) };
}

/** SQL that reads a column as text in the form `storedFromColumn` expects. */
export function selectExpression(alias: string, field: FieldDefinition): string {
  const column = `${alias}.${quoteColumn(field.name)}`;
  if (isNumericType(field.type)) return `${column}::text`;
  if (field.type === 'date') return `to_char(${column}, 'YYYY-MM-DD')`;
  if (field.type === 'datetime') return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return column;
}

/** The SQL cast for a bound parameter of this field. */
export function parameterCast(field: FieldDefinition): string {
  if (isNumericType(field.type)) return 'numeric';
  if (field.type === 'boolean') return 'boolean';
  if (field.type === 'date') return 'date';
  if (field.type === 'datetime') return 'timestamptz';
  return 'text';
}

/** A StoredValue as a pg parameter. */
export function toParameter(value: StoredValue | undefined): string | boolean | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Decimal) return value.toFixed();
  return value;
}

/** A column value read through `selectExpression` as a StoredValue. */
export function storedFromColumn(field: FieldDefinition, value: unknown): StoredValue {
  if (value === null || value === undefined) return field.type === 'boolean' ? false : null;
  if (isNumericType(field.type)) return new Decimal(String(value));
  if (field.type === 'boolean') return value === true;
  return String(value);
}

/** A StoredValue as Salesforce prints it in JSON. */
export function renderValue(
  field: FieldDefinition,
  value: StoredValue | undefined,
): null | boolean | string | JsonNumber {
  if (value === undefined || value === null) return null;
  if (value instanceof Decimal) return new JsonNumber(value.isInteger() ? `${value.toFixed(0)}.0` : value.toFixed());
  if (field.type === 'datetime' && typeof value === 'string') return value.replace(/Z$/, '+0000');
  return value;
}
