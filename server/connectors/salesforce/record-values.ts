import Decimal from 'decimal.js';
import { ConnectorError } from '@/server/connectors/connector';

/** Record shapes between Salesforce's JSON and the pipeline. */

/** A record as Salesforce returned it, without the `attributes` envelopes (parents included). */
export function withoutAttributes(record: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    if (name === 'attributes') continue;
    data[name] =
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? withoutAttributes(value as Record<string, unknown>)
        : value;
  }
  return data;
}

/** Field names that address a record rather than describe it: the caller's key and target id do that. */
const ADDRESSING_FIELDS = new Set(['id', 'attributes']);

/**
 * The fields of an upsert as the JSON body needs them: decimals as plain decimal strings (which
 * Salesforce accepts for number and currency fields), dates as ISO text. A number that JSON cannot
 * carry is refused here rather than sent as null.
 */
export function outgoingFields(fields: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (ADDRESSING_FIELDS.has(name.toLowerCase()) || value === undefined) continue;
    if (Decimal.isDecimal(value)) body[name] = new Decimal(String(value)).toFixed();
    else if (value instanceof Date) body[name] = value.toISOString();
    else if (typeof value === 'bigint') body[name] = value.toString();
    else if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new ConnectorError({
        class: 'business',
        code: 'INVALID_FIELD_VALUE',
        message: `${name}: ${String(value)} is not a number Salesforce can store.`,
        field: name,
      });
    } else body[name] = value;
  }
  return body;
}
