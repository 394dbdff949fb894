/**
 * JSON with numbers kept as their decimal text. Request bodies carry amounts, and JSON.parse
 * would turn them into binary floats; responses must print stored decimals exactly.
 */

/** A JSON number, kept as written. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | { [key: string]: JsonValue };

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Parses JSON text, keeping every number as a JsonNumber. */
export function parseExactJson(text: string): JsonValue {
  let pos = 0;

  const fail = (what: string): never => {
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const column = pos - before.lastIndexOf('\n');
    const found = pos < text.length ? `'${text.charAt(pos)}' (code ${text.charCodeAt(pos)})` : 'end-of-input';
    throw new JsonSyntaxError(`Unexpected character (${found}): ${what}`, line, column);
  };
  const skipSpace = () => {
    while (pos < text.length && ' \t\r\n'.includes(text.charAt(pos))) pos++;
  };
  const expectWord = (word: string) => {
    if (text.startsWith(word, pos)) pos += word.length;
    else fail(`expected '${word}'`);
  };

  const parseString = (): string => {
    pos++; // opening quote
    let out = '';
    for (;;) {
      const char = text.charAt(pos);
      if (pos >= text.length) fail('unterminated string');
      if (char === '"') {
        pos++;
        return out;
      }
      if (char === '\\') {
        const esc = text.charAt(pos + 1);
        const simple: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (esc in simple) {
          out += simple[esc];
          pos += 2;
        } else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
          out += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
          pos += 6;
        } else {
          pos++;
          fail('bad escape in string');
        }
      } else if (char < ' ') {
        fail('control character in string');
      } else {
        out += char;
        pos++;
      }
    }
  };

  const parseNumber = (): JsonNumber => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos));
    if (!match) return fail('expected a value');
    pos += match[0].length;
    return new JsonNumber(match[0]);
  };

  const parseValue = (): JsonValue => {
    skipSpace();
    const char = text.charAt(pos);
    if (char === '{') {
      pos++;
      const object: { [key: string]: JsonValue } = {};
      skipSpace();
      if (text.charAt(pos) === '}') {
        pos++;
        return object;
      }
      for (;;) {
        skipSpace();
        if (text.charAt(pos) !== '"') fail('expected a field name');
        const key = parseString();
        skipSpace();
        if (text.charAt(pos) !== ':') fail("expected ':'");
        pos++;
        object[key] = parseValue();
        skipSpace();
        if (text.charAt(pos) === ',') {
          pos++;
          continue;
        }
        if (text.charAt(pos) === '}') {
          pos++;
          return object;
        }
        fail("expected ',' or '}'");
      }
    }
    if (char === '[') {
      pos++;
      const array: JsonValue[] = [];
      skipSpace();
      if (text.charAt(pos) === ']') {
        pos++;
        return array;
      }
      for (;;) {
        array.push(parseValue());
        skipSpace();
        if (text.charAt(pos) === ',') {
          pos++;
          continue;
        }
        if (text.charAt(pos) === ']') {
          pos++;
          return array;
        }
        fail("expected ',' or ']'");
      }
    }
    if (char === '"') return parseString();
    if (char === 't') return (expectWord('true'), true);
    if (char === 'f') return (expectWord('false'), false);
    if (char === 'n') return (expectWord('null'), null);
    return parseNumber();
  };

  const value = parseValue();
  skipSpace();
  if (pos < text.length) fail('expected end of input');
  return value;
}

/** Values a response may hold: plain JSON plus exact numbers. */
export type OutputValue =
  null | undefined | boolean | string | number | JsonNumber | OutputValue[] | { [key: string]: OutputValue };

/** Serializes like JSON.stringify, printing JsonNumber text as is; undefined members are left out. */
export function stringifyExactJson(value: OutputValue): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return JSON.stringify(value);
  if (Array.isArray(value))
    return `[${value.map((item) => stringifyExactJson(item === undefined ? null : item)).join(',')}]`;
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${stringifyExactJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

export function isJsonObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}
