import Decimal from 'decimal.js';

/**
 * JSON for NetSuite's record service without binary floats: money and quantities travel as JSON
 * numbers, and JSON.parse would round them through a double. Numbers read are kept as their exact
 * text; numbers written from decimal.js values are printed from their decimal digits.
 */

/** A JSON string literal (left alone) or a number token (to be quoted). Outside string literals
 *  JSON has only punctuation, whitespace and the digit-free keywords, so this sees every number. */
const STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** Parses JSON, turning every number into the string of its digits exactly as sent. */
export function parseJsonKeepingNumbers(text: string): unknown {
  return JSON.parse(text.replace(STRING_OR_NUMBER, (token) => (token.startsWith('"') ? token : `"${token}"`)));
}

/** A value with no JSON form, at `path` (e.g. `hours`, `custentity_x.id`). */
export class UnserializableValueError extends TypeError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'UnserializableValueError';
  }
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * Serialises a record body. decimal.js values become exact JSON numbers; JS numbers must be
 * finite; strings stay strings (a numeric string such as a phone number is never turned into a
 * number). Anything that has no JSON form is refused rather than silently dropped.
 */
export function stringifyRecordBody(value: unknown, path = ''): string {
  const at = (key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new UnserializableValueError(path, `${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new UnserializableValueError(path, `a ${typeof value} has no JSON form`);
  }
  if (Decimal.isDecimal(value)) {
    if (!value.isFinite()) throw new UnserializableValueError(path, `${value.toString()} has no JSON form`);
    return value.toFixed();
  }
  if (Array.isArray(value)) return `[${value.map((item, index) => stringifyRecordBody(item, at(index))).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (!isPlainObject(value))
    throw new UnserializableValueError(path, `a ${String(value.constructor?.name ?? 'object')} has no JSON form`);
  const members = Object.entries(value)
    .filter(([, item]) => item !== undefined)
    .map(([key, item]) => `${JSON.stringify(key)}:${stringifyRecordBody(item, at(key))}`);
  return `{${members.join(',')}}`;
}
