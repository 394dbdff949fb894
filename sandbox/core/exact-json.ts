/**
 * JSON whose numbers stay decimal text in both directions. Request bodies carry amounts that
 * JSON.parse would turn into binary floats, and responses must print stored decimals as written.
 */

/** A JSON number held as its literal text. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | { [key: string]: JsonValue };

/** Values a response may hold: plain JSON plus exact numbers. */
export type OutputValue =
  null | undefined | boolean | string | number | JsonNumber | OutputValue[] | { [key: string]: OutputValue };

/**
 * Where and why a text is not JSON. Each emulator words the complaint as its service does:
 * NetSuite by offset, Salesforce by line and column (counted from 1).
 */
export class JsonSyntaxError extends SyntaxError {
  readonly line: number;
  readonly column: number;

  constructor(
    readonly reason: string,
    readonly position: number,
    text: string,
  ) {
    super(`${reason} at position ${position}`);
    const before = text.slice(0, position);
    this.line = before.split('\n').length;
    this.column = position - before.lastIndexOf('\n');
  }
}

const MAX_DEPTH = 64;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const LITERALS = { t: ['true', true], f: ['false', false], n: ['null', null] } as const;

/** Parses JSON text, keeping every number as a JsonNumber; throws JsonSyntaxError. */
export function parseExactJson(text: string): JsonValue {
  let at = 0;
  const fail = (reason: string): never => {
    throw new JsonSyntaxError(reason, at, text);
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
          at++;
          fail('bad escape in string');
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
  // Nesting is bounded so that a hostile body is a 400, not a stack overflow.
  const value = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    space();
    const char = text.charAt(at);
    if (char === '{') {
      at++;
      const out: { [key: string]: JsonValue } = {};
      space();
      if (text.charAt(at) === '}') {
        at++;
        return out;
      }
      for (;;) {
        space();
        if (text.charAt(at) !== '"') fail('expected a field name');
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
      const out: JsonValue[] = [];
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
    if (Object.hasOwn(LITERALS, char)) {
      const [literal, result] = LITERALS[char as keyof typeof LITERALS];
      word(literal);
      return result;
    }
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (!match) return fail('expected a value');
    at += match[0].length;
    return new JsonNumber(match[0]);
  };
  const result = value(0);
  space();
  if (at < text.length) fail('expected end of input');
  return result;
}

/** Serialises like JSON.stringify, printing JsonNumber as its text; undefined members are left out. */
export function stringifyExactJson(input: unknown): string {
  if (input instanceof JsonNumber) return input.text;
  if (input === null || typeof input !== 'object') return JSON.stringify(input) ?? 'null';
  if (Array.isArray(input)) return `[${input.map((item) => stringifyExactJson(item ?? null)).join(',')}]`;
  const parts: string[] = [];
  for (const [key, item] of Object.entries(input)) {
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${stringifyExactJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

export function isJsonObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}
