/**
 * JSON whose numbers stay decimal text in both directions. Request bodies carry amounts that
 * JSON.parse would turn into binary floats, and responses must print stored decimals as written.
 */

/** A JSON number held as its literal text. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type ExactJson = null | boolean | string | JsonNumber | ExactJson[] | { [key: string]: ExactJson };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Parses JSON text, keeping every number as a JsonNumber; throws SyntaxError with a position. */
export function parseExactJson(text: string): ExactJson {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${at}`);
  };
  const space = () => {
    while (at < text.length && ' \t\r\n'.includes(text.charAt(at))) at++;
  };
  const word = (w: string) => {
    if (!text.startsWith(w, at)) fail(`expected '${w}'`);
    at += w.length;
  };
  const string = (): string => {
    at++;
    let out = '';
    while (at < text.length) {
      const char = text.charAt(at);
      if (char === '"') {
        at++;
        return out;
      }
      if (char === '\\') {
        const esc = text.charAt(at + 1);
        const simple = ESCAPES[esc];
        if (simple !== undefined) {
          out += simple;
          at += 2;
        } else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) {
          out += String.fromCharCode(parseInt(text.slice(at + 2, at + 6), 16));
          at += 6;
        } else {
          fail('bad escape');
        }
      } else if (char < ' ') {
        fail('control character in string');
      } else {
        out += char;
        at++;
      }
    }
    return fail('unterminated string');
  };
  const value = (depth: number): ExactJson => {
    if (depth > 64) fail('nesting too deep');
    space();
    const char = text.charAt(at);
    if (char === '{') {
      at++;
      const out: { [key: string]: ExactJson } = {};
      space();
      if (text.charAt(at) === '}') {
        at++;
        return out;
      }
      for (;;) {
        space();
        if (text.charAt(at) !== '"') fail('expected a property name');
        const key = string();
        space();
        word(':');
        out[key] = value(depth + 1);
        space();
        if (text.charAt(at) === ',') at++;
        else if (text.charAt(at) === '}') {
          at++;
          return out;
        } else fail("expected ',' or '}'");
      }
    }
    if (char === '[') {
      at++;
      const out: ExactJson[] = [];
      space();
      if (text.charAt(at) === ']') {
        at++;
        return out;
      }
      for (;;) {
        out.push(value(depth + 1));
        space();
        if (text.charAt(at) === ',') at++;
        else if (text.charAt(at) === ']') {
          at++;
          return out;
        } else fail("expected ',' or ']'");
      }
    }
    if (char === '"') return string();
    for (const [literal, result] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(literal, at)) {
        at += literal.length;
        return result;
      }
    }
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (!match) return fail('unexpected character');
    at += match[0].length;
    return new JsonNumber(match[0]);
  };
  const result = value(0);
  space();
  if (at < text.length) fail('unexpected text after the JSON value');
  return result;
}

/** Serialises a value to JSON, printing JsonNumber as its text; undefined properties are left out. */
export function stringifyExactJson(input: unknown): string {
  if (input instanceof JsonNumber) return input.text;
  if (input === null || typeof input !== 'object') return JSON.stringify(input) ?? 'null';
  if (Array.isArray(input)) return `[${input.map((item) => stringifyExactJson(item ?? null)).join(',')}]`;
  const parts: string[] = [];
  for (const [key, item] of Object.entries(input)) {
    if (item === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${stringifyExactJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

export function isJsonObject(value: ExactJson | undefined): value is { [key: string]: ExactJson } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}
