import type { CompareOperator, Condition, Literal, QueryColumn } from './conditions';
import { NetSuiteApiError } from './netsuite-error';
import { DateFormatError, parseDateText } from './oracle-dates';

/**
 * The record service's `q=` filter on collection GETs, e.g.
 * `lastModifiedDate ON_OR_AFTER "1/31/2026 10:00 am" AND subsidiary ANY_OF [1, 2]`.
 * Supported operators: IS, IS_NOT, ANY_OF, NONE_OF, START_WITH, CONTAIN, EMPTY, EMPTY_NOT,
 * EQUAL, GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL, AFTER, BEFORE, ON, ON_OR_AFTER,
 * ON_OR_BEFORE; conditions joined by AND / OR (AND binds tighter).
 */

function invalidQuery(reason: string): NetSuiteApiError {
  return new NetSuiteApiError(
    400,
    'INVALID_PARAMETER',
    `Invalid search query. Provide a valid search query. ${reason}`,
    {
      'o:errorQueryParam': 'q',
    },
  );
}

type Token = { kind: 'word'; text: string } | { kind: 'string'; text: string } | { kind: 'symbol'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text.charAt(at);
    if (/\s/.test(char)) {
      at++;
    } else if (char === '"' || char === "'") {
      const end = text.indexOf(char, at + 1);
      if (end < 0) throw invalidQuery('A quoted value is not closed.');
      tokens.push({ kind: 'string', text: text.slice(at + 1, end) });
      at = end + 1;
    } else if ('[],'.includes(char)) {
      tokens.push({ kind: 'symbol', text: char });
      at++;
    } else {
      const match = /^[^\s[\],"']+/.exec(text.slice(at));
      const word = match?.[0] ?? char;
      tokens.push({ kind: 'word', text: word });
      at += word.length;
    }
  }
  return tokens;
}

const DAY = 86_400_000;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function parseRecordQuery(text: string, columns: Map<string, QueryColumn>): Condition {
  const tokens = tokenize(text);
  let at = 0;
  const next = () => tokens[at++];
  const peek = () => tokens[at];

  const value = (): Token => {
    const token = next();
    if (!token || token.kind === 'symbol') throw invalidQuery('A value is missing.');
    return token;
  };
  const literal = (token: Token): Literal => {
    if (token.kind === 'word' && /^-?\d+(\.\d+)?$/.test(token.text)) return { kind: 'number', value: token.text };
    if (token.kind === 'word' && /^(true|false)$/i.test(token.text))
      return { kind: 'boolean', value: /^true$/i.test(token.text) };
    return { kind: 'string', value: token.text };
  };
  const dateOf = (token: Token, column: QueryColumn): { date: Date; dayOnly: boolean } => {
    try {
      return { date: parseDateText(token.text), dayOnly: !/\d:\d/.test(token.text) };
    } catch (error) {
      if (error instanceof DateFormatError) throw invalidQuery(`${error.message} for field '${column.name}'.`);
      throw error;
    }
  };
  const compare = (column: QueryColumn, operator: CompareOperator, date: Date): Condition => ({
    kind: 'compare',
    column,
    operator,
    value: { kind: 'timestamp', value: date },
  });

  const term = (): Condition => {
    const fieldToken = next();
    if (!fieldToken || fieldToken.kind !== 'word') throw invalidQuery('A field name is missing.');
    const column = columns.get(fieldToken.text.toLowerCase());
    if (!column) throw invalidQuery(`The field '${fieldToken.text}' is not valid for this search.`);
    const operatorToken = next();
    if (!operatorToken || operatorToken.kind !== 'word')
      throw invalidQuery(`An operator is missing after '${fieldToken.text}'.`);
    const operator = operatorToken.text.toUpperCase();
    switch (operator) {
      case 'IS':
      case 'IS_NOT':
      case 'EQUAL':
      case 'EQUAL_NOT':
        return { kind: 'compare', column, operator: operator.endsWith('NOT') ? '<>' : '=', value: literal(value()) };
      case 'GREATER':
        return { kind: 'compare', column, operator: '>', value: literal(value()) };
      case 'GREATER_OR_EQUAL':
        return { kind: 'compare', column, operator: '>=', value: literal(value()) };
      case 'LESS':
        return { kind: 'compare', column, operator: '<', value: literal(value()) };
      case 'LESS_OR_EQUAL':
        return { kind: 'compare', column, operator: '<=', value: literal(value()) };
      case 'ANY_OF':
      case 'NONE_OF': {
        const values: Literal[] = [];
        if (peek()?.text === '[' && peek()?.kind === 'symbol') {
          next();
          while (peek() && !(peek()?.kind === 'symbol' && peek()?.text === ']')) {
            values.push(literal(value()));
            if (peek()?.kind === 'symbol' && peek()?.text === ',') next();
          }
          if (!next()) throw invalidQuery("A list is not closed with ']'.");
        } else {
          values.push(literal(value()));
        }
        return { kind: 'in', column, values, negated: operator === 'NONE_OF' };
      }
      case 'START_WITH':
      case 'START_WITH_NOT':
      case 'CONTAIN':
      case 'CONTAIN_NOT': {
        const text = escapeLike(value().text);
        const pattern = operator.startsWith('START') ? `${text}%` : `%${text}%`;
        return { kind: 'like', column, pattern, negated: operator.endsWith('NOT'), caseInsensitive: true };
      }
      case 'EMPTY':
      case 'EMPTY_NOT':
        return { kind: 'null', column, negated: operator === 'EMPTY_NOT' };
      case 'AFTER':
      case 'BEFORE':
      case 'ON':
      case 'ON_OR_AFTER':
      case 'ON_OR_BEFORE': {
        const { date, dayOnly } = dateOf(value(), column);
        // A day given without a time covers that whole day.
        const end = new Date(date.getTime() + (dayOnly ? DAY : 0));
        if (operator === 'ON') {
          if (!dayOnly) return compare(column, '=', date);
          return { kind: 'and', left: compare(column, '>=', date), right: compare(column, '<', end) };
        }
        if (operator === 'AFTER') return dayOnly ? compare(column, '>=', end) : compare(column, '>', date);
        if (operator === 'BEFORE') return compare(column, '<', date);
        if (operator === 'ON_OR_AFTER') return compare(column, '>=', date);
        return dayOnly ? compare(column, '<', end) : compare(column, '<=', date);
      }
      default:
        throw invalidQuery(`The operator '${operatorToken.text}' is not supported.`);
    }
  };

  const conjunction = (): Condition => {
    let left = term();
    while (peek()?.kind === 'word' && peek()?.text.toUpperCase() === 'AND') {
      next();
      left = { kind: 'and', left, right: term() };
    }
    return left;
  };

  let condition = conjunction();
  while (peek()?.kind === 'word' && peek()?.text.toUpperCase() === 'OR') {
    next();
    condition = { kind: 'or', left: condition, right: conjunction() };
  }
  const rest = peek();
  if (rest) throw invalidQuery(`Unexpected '${rest.text}'.`);
  return condition;
}
