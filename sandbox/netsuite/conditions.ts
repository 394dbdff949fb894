import { Decimal } from 'decimal.js';
import { DateFormatError, parseDateText, utcTimestampText } from './oracle-dates';
import type { FieldType } from './record-types';

/**
 * Filters shared by SuiteQL `WHERE` and the record service's `q=` parameter: both are parsed
 * into this small condition tree, then compiled into parameterised SQL against the typed tables.
 */

export type ColumnKind = FieldType | 'id' | 'datetime';

/** A column a filter or select list may name. */
export interface QueryColumn {
  /** The name the client uses. */
  name: string;
  kind: ColumnKind;
  /** SQL expression over the record table aliased `t`. */
  sql: string;
}

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'timestamp'; value: Date }
  | { kind: 'null' };

export type CompareOperator = '=' | '<>' | '<' | '>' | '<=' | '>=';

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'compare'; column: QueryColumn; operator: CompareOperator; value: Literal }
  | { kind: 'in'; column: QueryColumn; values: Literal[]; negated: boolean }
  | { kind: 'null'; column: QueryColumn; negated: boolean }
  | { kind: 'like'; column: QueryColumn; pattern: string; negated: boolean; caseInsensitive: boolean }
  | { kind: 'between'; column: QueryColumn; low: Literal; high: Literal; negated: boolean };

/** A value that does not fit the column it is compared with. */
export class ConditionValueError extends Error {}

/** Collects positional parameters for one statement. */
export class SqlParameters {
  readonly values: unknown[] = [];

  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}

function literalText(literal: Literal): string {
  switch (literal.kind) {
    case 'string':
    case 'number':
      return literal.value;
    case 'boolean':
      return literal.value ? 'T' : 'F';
    case 'timestamp':
      return literal.value.toISOString();
    case 'null':
      return 'NULL';
  }
}

function literalDate(literal: Literal, column: QueryColumn): Date {
  if (literal.kind === 'timestamp') return literal.value;
  if (literal.kind === 'string') {
    try {
      return parseDateText(literal.value);
    } catch (error) {
      if (error instanceof DateFormatError)
        throw new ConditionValueError(`${error.message} for field '${column.name}'`);
      throw error;
    }
  }
  throw new ConditionValueError(`'${literalText(literal)}' is not a valid date for field '${column.name}'`);
}

/** The SQL for `column <op> literal`'s two sides, each typed for PostgreSQL. */
function operands(column: QueryColumn, literal: Literal, params: SqlParameters): { left: string; right: string } {
  if (literal.kind === 'null') return { left: column.sql, right: 'NULL' };
  const text = literalText(literal);
  switch (column.kind) {
    case 'id':
    case 'integer':
    case 'reference':
      if (literal.kind === 'timestamp' || literal.kind === 'boolean' || !/^\s*-?\d+\s*$/.test(text)) {
        throw new ConditionValueError(`'${text}' is not a valid number for field '${column.name}'`);
      }
      return { left: column.sql, right: params.add(text.trim(), 'bigint') };
    case 'decimal':
    case 'money':
      try {
        if (literal.kind === 'timestamp' || literal.kind === 'boolean') throw new Error('not a number');
        return { left: column.sql, right: params.add(new Decimal(text.trim()).toFixed(), 'numeric') };
      } catch {
        throw new ConditionValueError(`'${text}' is not a valid number for field '${column.name}'`);
      }
    case 'boolean': {
      const value = literal.kind === 'boolean' ? literal.value : parseBoolean(text);
      if (value === undefined)
        throw new ConditionValueError(`'${text}' is not a valid boolean for field '${column.name}'`);
      return { left: column.sql, right: params.add(value, 'boolean') };
    }
    case 'date':
      return {
        left: `${column.sql}::timestamp`,
        right: params.add(utcTimestampText(literalDate(literal, column)), 'timestamp'),
      };
    case 'datetime':
      return { left: column.sql, right: params.add(literalDate(literal, column).toISOString(), 'timestamptz') };
    case 'text':
    case 'select':
      return { left: column.sql, right: params.add(text, 'text') };
  }
}

function parseBoolean(text: string): boolean | undefined {
  const upper = text.trim().toUpperCase();
  if (upper === 'T' || upper === 'TRUE') return true;
  if (upper === 'F' || upper === 'FALSE') return false;
  return undefined;
}

/** Compiles a condition into a SQL boolean expression, adding its parameters. */
export function compileCondition(condition: Condition, params: SqlParameters): string {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return `(${compileCondition(condition.left, params)} ${condition.kind.toUpperCase()} ${compileCondition(condition.right, params)})`;
    case 'not':
      return `(NOT ${compileCondition(condition.inner, params)})`;
    case 'compare': {
      if (condition.value.kind === 'null') return 'NULL::boolean';
      const { left, right } = operands(condition.column, condition.value, params);
      return `(${left} ${condition.operator} ${right})`;
    }
    case 'in': {
      const values = condition.values.filter((v) => v.kind !== 'null');
      if (values.length === 0) return condition.negated ? 'NULL::boolean' : 'FALSE';
      const sides = values.map((v) => operands(condition.column, v, params));
      const left = sides[0]?.left ?? condition.column.sql;
      return `(${left} ${condition.negated ? 'NOT IN' : 'IN'} (${sides.map((s) => s.right).join(', ')}))`;
    }
    case 'null':
      return `(${condition.column.sql} IS ${condition.negated ? 'NOT ' : ''}NULL)`;
    case 'like': {
      const operator = `${condition.negated ? 'NOT ' : ''}${condition.caseInsensitive ? 'ILIKE' : 'LIKE'}`;
      return `(${condition.column.sql}::text ${operator} ${params.add(condition.pattern, 'text')})`;
    }
    case 'between': {
      const low = operands(condition.column, condition.low, params);
      const high = operands(condition.column, condition.high, params);
      return `(${low.left} ${condition.negated ? 'NOT ' : ''}BETWEEN ${low.right} AND ${high.right})`;
    }
  }
}
