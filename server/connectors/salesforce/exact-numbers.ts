import Decimal from 'decimal.js';

/**
 * Salesforce prints currency, number and percent fields as JSON numbers (`"Amount": 1.5E7`,
 * `"Amount": 1234567890123.45`). jsforce parses bodies with JSON.parse, which would turn them into
 * binary floats and lose cents on large amounts. So the body text is rewritten before jsforce
 * reads it: every number literal becomes a string holding its exact decimal value in plain
 * notation (`"15000000"`, `"1234567890123.45"`).
 *
 * The one number jsforce itself reads — a query result's top-level `totalSize` — stays a number.
 * Strings (and their escapes) are copied untouched, so a field value that merely looks like a
 * number is never changed.
 */

const KEPT_TOP_LEVEL_NUMBERS = new Set(['totalSize']);

interface Frame {
  kind: 'object' | 'array';
  /** Inside an object: the next string is a member name. */
  expectingKey: boolean;
  key: string | null;
}

function isNumberStart(char: string): boolean {
  return char === '-' || (char >= '0' && char <= '9');
}

function isNumberChar(char: string): boolean {
  return (char >= '0' && char <= '9') || char === '-' || char === '+' || char === '.' || char === 'e' || char === 'E';
}

/** The end (exclusive) of the string literal that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const char = text[i];
    if (char === '\\') i += 2;
    else if (char === '"') return i + 1;
    else i += 1;
  }
  return text.length;
}

function plainDecimal(literal: string): string {
  try {
    return new Decimal(literal).toFixed();
  } catch {
    return literal; // not a number after all: leave it for the JSON parser to judge
  }
}

/** The JSON text with number literals turned into exact decimal strings (see above). */
export function quoteJsonNumbers(text: string): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  let copiedUpTo = 0;
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? '';
    const top = stack.at(-1);
    if (char === '"') {
      const end = stringEnd(text, i);
      if (top?.kind === 'object' && top.expectingKey) {
        top.key = text.slice(i + 1, end - 1);
        top.expectingKey = false;
      }
      i = end;
    } else if (char === '{' || char === '[') {
      stack.push({ kind: char === '{' ? 'object' : 'array', expectingKey: char === '{', key: null });
      i += 1;
    } else if (char === '}' || char === ']') {
      stack.pop();
      i += 1;
    } else if (char === ',') {
      if (top?.kind === 'object') top.expectingKey = true;
      i += 1;
    } else if (isNumberStart(char)) {
      let end = i + 1;
      while (end < text.length && isNumberChar(text[end] ?? '')) end += 1;
      const kept =
        stack.length === 1 && top?.kind === 'object' && top.key !== null && KEPT_TOP_LEVEL_NUMBERS.has(top.key);
      if (!kept) {
        out.push(text.slice(copiedUpTo, i), `"${plainDecimal(text.slice(i, end))}"`);
        copiedUpTo = end;
      }
      i = end;
    } else {
      i += 1;
    }
  }
  if (copiedUpTo === 0) return text;
  out.push(text.slice(copiedUpTo));
  return out.join('');
}
