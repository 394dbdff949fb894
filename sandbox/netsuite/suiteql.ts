import sqlParser from 'node-sql-parser/build/postgresql';
import type pg from 'pg';
import {
  compileCondition,
  type CompareOperator,
  type Condition,
  ConditionValueError,
  type Literal,
  type QueryColumn,
  SqlParameters,
} from './conditions';
import { invalidSearchQuery } from './netsuite-error';
import { DateFormatError, parseDateText, parseOracleDate } from './oracle-dates';
import { suiteqlColumns } from './record-columns';
import { recordTypeForSuiteqlTable, type RecordTypeDefinition } from './record-types';
import { recordTable } from './netsuite-schema';

/**
 * The SuiteQL subset the emulator runs: `SELECT` columns, `*` or `TO_CHAR(col[, format])` from
 * one record table; `WHERE` with comparisons, IN, BETWEEN, LIKE, IS [NOT] NULL, AND/OR/NOT over
 * string and number literals, `TO_DATE`/`TO_TIMESTAMP`, `SYSDATE` (± days); `ORDER BY`.
 * Values come back as strings, dates in the account format (M/D/YYYY — datetimes too, as on
 * NetSuite; use TO_CHAR for the time), booleans as 'T'/'F', nulls left out, `links: []` on each
 * row. Anything else is answered with NetSuite's 400 INVALID_PARAMETER search error.
 */

const parser = new sqlParser.Parser();

type Node = { [key: string]: unknown };

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unsupported(what: string): Error {
  return invalidSearchQuery(`Search error occurred: ${what} is not supported.`);
}

interface Output {
  key: string;
  /** SQL producing the string SuiteQL returns. */
  valueSql: string;
  /** SQL to sort by when ORDER BY names this output. */
  orderSql: string;
}

export interface SuiteqlPlan {
  definition: RecordTypeDefinition;
  outputs: Output[];
  where?: Condition;
  orderBy: Array<{ sql: string; descending: boolean }>;
}

/** The string SuiteQL prints for a column. */
function renderSql(column: QueryColumn): string {
  switch (column.kind) {
    case 'id':
    case 'integer':
    case 'reference':
      return `${column.sql}::text`;
    case 'decimal':
    case 'money':
      return `trim_scale(${column.sql})::text`;
    case 'boolean':
      return `CASE WHEN ${column.sql} THEN 'T' ELSE 'F' END`;
    case 'date':
      return `to_char(${column.sql}, 'FMMM/FMDD/YYYY')`;
    case 'datetime':
      return `to_char(${column.sql} AT TIME ZONE 'UTC', 'FMMM/FMDD/YYYY')`;
    case 'text':
    case 'select':
      return column.sql;
  }
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function functionName(node: Node): string {
  const name = node.name;
  if (typeof name === 'string') return name.toUpperCase();
  if (isNode(name) && Array.isArray(name.name)) {
    return name.name
      .map((part: unknown) => (isNode(part) && typeof part.value === 'string' ? part.value : ''))
      .join('.')
      .toUpperCase();
  }
  return '';
}

function functionArgs(node: Node): unknown[] {
  const args = node.args;
  if (isNode(args) && Array.isArray(args.value)) return args.value;
  return [];
}

class Planner {
  readonly columns: Map<string, QueryColumn>;
  private readonly tableNames: Set<string>;
  private expressionCount = 0;

  constructor(
    readonly definition: RecordTypeDefinition,
    table: string,
    alias: string | null,
  ) {
    this.columns = suiteqlColumns(definition);
    this.tableNames = new Set([table.toLowerCase(), ...(alias ? [alias.toLowerCase()] : [])]);
  }

  private unknownIdentifier(name: string): Error {
    const table = this.definition.suiteqlTable;
    return invalidSearchQuery(
      `Search error occurred: Unknown identifier '${name}'. Available identifiers are: {${table}=${table}}.`,
    );
  }

  /** The column a column_ref names, or null for `*`. */
  columnOf(node: Node): QueryColumn | null {
    if (typeof node.table === 'string' && !this.tableNames.has(node.table.toLowerCase())) {
      throw this.unknownIdentifier(`${node.table}`);
    }
    const raw = node.column;
    let name: string | undefined;
    if (typeof raw === 'string') name = raw;
    else if (isNode(raw) && isNode(raw.expr) && typeof raw.expr.value === 'string') name = raw.expr.value;
    if (name === '*') return null;
    if (name === undefined) throw unsupported('this column reference');
    const column = this.columns.get(name.toLowerCase());
    if (!column) throw this.unknownIdentifier(name);
    return column;
  }

  selectList(columns: unknown): Output[] {
    if (columns === '*') columns = [{ expr: { type: 'column_ref', table: null, column: '*' } }];
    if (!Array.isArray(columns)) throw unsupported('this select list');
    const outputs: Output[] = [];
    for (const item of columns) {
      if (!isNode(item) || !isNode(item.expr)) throw unsupported('this select list item');
      const expr = item.expr;
      const alias = typeof item.as === 'string' ? item.as.toLowerCase() : null;
      if (expr.type === 'column_ref') {
        const column = this.columnOf(expr);
        if (!column) {
          for (const c of this.columns.values()) outputs.push({ key: c.name, valueSql: renderSql(c), orderSql: c.sql });
        } else {
          outputs.push({ key: alias ?? column.name, valueSql: renderSql(column), orderSql: column.sql });
        }
        continue;
      }
      if (expr.type === 'function' && functionName(expr) === 'TO_CHAR') {
        this.expressionCount++;
        const valueSql = this.toChar(expr);
        outputs.push({ key: alias ?? `expr${this.expressionCount}`, valueSql, orderSql: valueSql });
        continue;
      }
      if (expr.type === 'aggr_func') throw unsupported(`the aggregate function ${String(expr.name)}`);
      if (expr.type === 'function') throw unsupported(`the function ${functionName(expr)} in the select list`);
      throw unsupported(`the select expression of type '${String(expr.type)}'`);
    }
    return outputs;
  }

  private toChar(node: Node): string {
    const [target, format, ...rest] = functionArgs(node);
    if (!isNode(target) || target.type !== 'column_ref' || rest.length > 0) {
      throw unsupported('TO_CHAR other than TO_CHAR(column[, format])');
    }
    const column = this.columnOf(target);
    if (!column) throw unsupported('TO_CHAR(*)');
    if (format === undefined) return renderSql(column);
    if (!isNode(format) || typeof format.value !== 'string')
      throw unsupported('a TO_CHAR format that is not a string literal');
    const source = column.kind === 'datetime' ? `${column.sql} AT TIME ZONE 'UTC'` : column.sql;
    if (column.kind === 'text' || column.kind === 'select' || column.kind === 'boolean') return renderSql(column);
    return `to_char(${source}, ${sqlString(format.value)})`;
  }

  /** A literal operand: string, number, null, or a date function. */
  literal(node: unknown): Literal {
    if (!isNode(node)) throw unsupported('this operand');
    switch (node.type) {
      case 'single_quote_string':
      case 'string':
        return { kind: 'string', value: String(node.value) };
      case 'number':
      case 'bigint':
        return { kind: 'number', value: String(node.value) };
      case 'bool':
      case 'boolean':
        return { kind: 'boolean', value: node.value === true || String(node.value).toUpperCase() === 'TRUE' };
      case 'null':
        return { kind: 'null' };
      case 'column_ref': {
        const name = isNode(node.column) && isNode(node.column.expr) ? node.column.expr.value : node.column;
        if (typeof name === 'string' && ['SYSDATE', 'CURRENT_DATE', 'CURRENT_TIMESTAMP'].includes(name.toUpperCase())) {
          return { kind: 'timestamp', value: new Date() };
        }
        throw unsupported('comparing a column with another column');
      }
      case 'function':
        return this.functionLiteral(node);
      case 'binary_expr':
        return this.dateArithmetic(node);
      default:
        throw unsupported(`the operand of type '${String(node.type)}'`);
    }
  }

  private functionLiteral(node: Node): Literal {
    const name = functionName(node);
    const args = functionArgs(node);
    if (['SYSDATE', 'CURRENT_DATE', 'CURRENT_TIMESTAMP', 'NOW'].includes(name) && args.length === 0) {
      return { kind: 'timestamp', value: new Date() };
    }
    if (name !== 'TO_DATE' && name !== 'TO_TIMESTAMP') throw unsupported(`the function ${name}`);
    const [text, format] = args.map((arg) => this.literal(arg));
    if (!text || text.kind !== 'string' || args.length > 2 || (format && format.kind !== 'string')) {
      throw unsupported(`${name} other than ${name}('text'[, 'format'])`);
    }
    try {
      return {
        kind: 'timestamp',
        value: format?.kind === 'string' ? parseOracleDate(text.value, format.value) : parseDateText(text.value),
      };
    } catch (error) {
      if (error instanceof DateFormatError) throw invalidSearchQuery(`Search error occurred: ${error.message}.`);
      throw error;
    }
  }

  /** `SYSDATE - 1`, `TO_DATE(…) + 0.5`: days added to a date. */
  private dateArithmetic(node: Node): Literal {
    const operator = node.operator;
    if (operator !== '+' && operator !== '-') throw unsupported(`the operator ${String(operator)} in a value`);
    const base = this.literal(node.left);
    const days = this.literal(node.right);
    if (base.kind !== 'timestamp' || days.kind !== 'number') throw unsupported('arithmetic other than date ± days');
    const sign = operator === '+' ? 1 : -1;
    return { kind: 'timestamp', value: new Date(base.value.getTime() + sign * Number(days.value) * 86_400_000) };
  }

  condition(node: unknown): Condition {
    if (!isNode(node)) throw unsupported('this WHERE clause');
    if (node.type === 'unary_expr' && String(node.operator).toUpperCase() === 'NOT') {
      return { kind: 'not', inner: this.condition(node.expr) };
    }
    // `NOT (…)` reaches us as a one-argument function named NOT.
    if (node.type === 'function' && functionName(node) === 'NOT' && functionArgs(node).length === 1) {
      return { kind: 'not', inner: this.condition(functionArgs(node)[0]) };
    }
    if (node.type !== 'binary_expr') throw unsupported(`the condition of type '${String(node.type)}'`);
    const operator = String(node.operator).toUpperCase();
    if (operator === 'AND' || operator === 'OR') {
      return {
        kind: operator === 'AND' ? 'and' : 'or',
        left: this.condition(node.left),
        right: this.condition(node.right),
      };
    }
    const COMPARE: Record<string, CompareOperator> = {
      '=': '=',
      '!=': '<>',
      '<>': '<>',
      '<': '<',
      '>': '>',
      '<=': '<=',
      '>=': '>=',
    };
    const FLIPPED: Record<CompareOperator, CompareOperator> = {
      '=': '=',
      '<>': '<>',
      '<': '>',
      '>': '<',
      '<=': '>=',
      '>=': '<=',
    };
    const compare = COMPARE[operator];
    if (compare) {
      const leftIsColumn = isNode(node.left) && node.left.type === 'column_ref' && !this.isDateKeyword(node.left);
      const [columnNode, valueNode, op] = leftIsColumn
        ? [node.left, node.right, compare]
        : [node.right, node.left, FLIPPED[compare]];
      return { kind: 'compare', column: this.requireColumn(columnNode), operator: op, value: this.literal(valueNode) };
    }
    const column = () => this.requireColumn(node.left);
    const list = (): unknown[] => {
      if (isNode(node.right) && node.right.type === 'expr_list' && Array.isArray(node.right.value))
        return node.right.value;
      throw unsupported(`${operator} without a list of values`);
    };
    switch (operator) {
      case 'IN':
      case 'NOT IN':
        return {
          kind: 'in',
          column: column(),
          values: list().map((v) => this.literal(v)),
          negated: operator === 'NOT IN',
        };
      case 'IS':
      case 'IS NOT':
        if (!isNode(node.right) || node.right.type !== 'null')
          throw unsupported(`${operator} other than ${operator} NULL`);
        return { kind: 'null', column: column(), negated: operator === 'IS NOT' };
      case 'LIKE':
      case 'NOT LIKE':
      case 'ILIKE':
      case 'NOT ILIKE': {
        const pattern = this.literal(node.right);
        if (pattern.kind !== 'string') throw unsupported(`${operator} with a pattern that is not a string`);
        return {
          kind: 'like',
          column: column(),
          pattern: pattern.value,
          negated: operator.startsWith('NOT'),
          caseInsensitive: operator.endsWith('ILIKE'),
        };
      }
      case 'BETWEEN':
      case 'NOT BETWEEN': {
        const [low, high, ...rest] = list();
        if (low === undefined || high === undefined || rest.length > 0) throw unsupported('BETWEEN without two bounds');
        return {
          kind: 'between',
          column: column(),
          low: this.literal(low),
          high: this.literal(high),
          negated: operator === 'NOT BETWEEN',
        };
      }
      default:
        throw unsupported(`the operator ${operator}`);
    }
  }

  private isDateKeyword(node: Node): boolean {
    const name = isNode(node.column) && isNode(node.column.expr) ? node.column.expr.value : node.column;
    return typeof name === 'string' && ['SYSDATE', 'CURRENT_DATE', 'CURRENT_TIMESTAMP'].includes(name.toUpperCase());
  }

  private requireColumn(node: unknown): QueryColumn {
    if (!isNode(node) || node.type !== 'column_ref') throw unsupported('a condition without a column on one side');
    const column = this.columnOf(node);
    if (!column) throw unsupported('* in a condition');
    return column;
  }

  orderBy(items: unknown, outputs: Output[]): Array<{ sql: string; descending: boolean }> {
    const order: Array<{ sql: string; descending: boolean }> = [];
    if (Array.isArray(items)) {
      for (const item of items) {
        if (!isNode(item) || !isNode(item.expr)) throw unsupported('this ORDER BY item');
        const descending = String(item.type ?? 'ASC').toUpperCase() === 'DESC';
        const expr = item.expr;
        if (expr.type === 'number') {
          const output = outputs[Number(expr.value) - 1];
          if (!output)
            throw invalidSearchQuery(`Search error occurred: ORDER BY position ${String(expr.value)} is out of range.`);
          order.push({ sql: output.orderSql, descending });
          continue;
        }
        if (expr.type !== 'column_ref') throw unsupported('ORDER BY an expression');
        const name = isNode(expr.column) && isNode(expr.column.expr) ? expr.column.expr.value : expr.column;
        const aliased =
          typeof name === 'string' && expr.table == null
            ? outputs.find((o) => o.key === name.toLowerCase())
            : undefined;
        const column = aliased ? null : this.columnOf(expr);
        order.push({ sql: aliased ? aliased.orderSql : (column?.sql ?? 't.id'), descending });
      }
    }
    // NetSuite leaves the order of ties open; a final id order keeps offset paging stable.
    if (!order.some((o) => o.sql === 't.id')) order.push({ sql: 't.id', descending: false });
    return order;
  }
}

/** Parses a SuiteQL query into a plan, or throws NetSuite's 400 search error. */
export function planSuiteql(query: string): SuiteqlPlan {
  if (query.trim() === '') {
    throw invalidSearchQuery('Search error occurred: the query is empty. Provide a valid search query.');
  }
  let ast: unknown;
  try {
    ast = parser.astify(query, { database: 'postgresql' });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw invalidSearchQuery(
      `Search error occurred: Invalid or unsupported search. The query could not be parsed: ${message}`,
    );
  }
  if (Array.isArray(ast)) {
    if (ast.length !== 1) throw unsupported('more than one statement');
    ast = ast[0];
  }
  if (!isNode(ast) || ast.type !== 'select') throw unsupported(`a statement other than SELECT`);
  if (ast.with) throw unsupported('WITH');
  if (ast._next || ast.set_op) throw unsupported('UNION, INTERSECT and MINUS');
  if (isNode(ast.distinct) && ast.distinct.type) throw unsupported('DISTINCT');
  if (ast.groupby && !(isNode(ast.groupby) && !ast.groupby.columns)) throw unsupported('GROUP BY');
  if (ast.having) throw unsupported('HAVING');
  if (isNode(ast.limit) && Array.isArray(ast.limit.value) && ast.limit.value.length > 0)
    throw unsupported('LIMIT and OFFSET (use the limit and offset query parameters)');
  if (!Array.isArray(ast.from) || ast.from.length === 0) throw unsupported('a query without FROM');
  if (ast.from.length > 1) throw unsupported('joins');
  const from: unknown = ast.from[0];
  if (!isNode(from) || typeof from.table !== 'string' || from.join || from.expr) throw unsupported('this FROM clause');
  const definition = recordTypeForSuiteqlTable(from.table);
  if (!definition) {
    throw invalidSearchQuery(`Invalid search type: ${from.table}.`);
  }
  const planner = new Planner(definition, from.table, typeof from.as === 'string' ? from.as : null);
  const outputs = planner.selectList(ast.columns);
  const where = ast.where ? planner.condition(ast.where) : undefined;
  return { definition, outputs, where, orderBy: planner.orderBy(ast.orderby, outputs) };
}

export interface SuiteqlRows {
  items: Array<Record<string, unknown>>;
  total: number;
}

/** Runs one page of a planned query plus its total count. */
export async function runSuiteql(
  pool: pg.Pool,
  schema: string,
  plan: SuiteqlPlan,
  limit: number,
  offset: number,
): Promise<SuiteqlRows> {
  const table = recordTable(schema, plan.definition);
  const countParams = new SqlParameters();
  const pageParams = new SqlParameters();
  let countWhere = '';
  let pageWhere = '';
  try {
    if (plan.where) {
      countWhere = `WHERE ${compileCondition(plan.where, countParams)}`;
      pageWhere = `WHERE ${compileCondition(plan.where, pageParams)}`;
    }
  } catch (error) {
    if (error instanceof ConditionValueError) throw invalidSearchQuery(`Search error occurred: ${error.message}.`);
    throw error;
  }
  const selects = plan.outputs.map((output, index) => `${output.valueSql} AS "c${index}"`).join(', ');
  const order = plan.orderBy.map((o) => `${o.sql} ${o.descending ? 'DESC' : 'ASC'}`).join(', ');
  try {
    const [count, page] = await Promise.all([
      pool.query<{ total: string }>(`SELECT count(*)::text AS total FROM ${table} t ${countWhere}`, countParams.values),
      pool.query<unknown[]>({
        text: `SELECT ${selects} FROM ${table} t ${pageWhere} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
        values: pageParams.values,
        rowMode: 'array',
      }),
    ]);
    const items = page.rows.map((row) => {
      const item: Record<string, unknown> = { links: [] };
      plan.outputs.forEach((output, index) => {
        const value = row[index];
        if (value !== null && value !== undefined) item[output.key] = String(value);
      });
      return item;
    });
    return { items, total: Number(count.rows[0]?.total ?? 0) };
  } catch (error) {
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    if (typeof code === 'string' && code.startsWith('22')) {
      throw invalidSearchQuery(`Search error occurred: ${(error as Error).message}.`);
    }
    throw error;
  }
}
