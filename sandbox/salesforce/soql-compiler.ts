import {
  type Condition,
  type FieldType as ParsedFieldType,
  type OrderByClause,
  type Query,
  type WhereClause,
  parseQuery,
} from '@jetstreamapp/soql-parser-js';
import { SalesforceApiError } from './salesforce-error';
import { dateLiteralRange } from './date-literals';
import { isValidDate, parseDateTime, selectExpression } from './field-values';
import { normalizeSalesforceId } from './salesforce-id';
import { quoteColumn, tableName } from './salesforce-schema';
import {
  type FieldDefinition,
  type SObjectDefinition,
  SOBJECTS,
  findField,
  findRelationship,
  findSObject,
  isIdType,
  isNumericType,
  isTextType,
} from './sobject-definitions';

/**
 * Translates the emulated SOQL subset into PostgreSQL over the object tables. Parsing is done by
 * @jetstreamapp/soql-parser-js; this module resolves names case-insensitively, type-checks
 * literals the way Salesforce does, and refuses anything it does not emulate with
 * MALFORMED_QUERY naming the construct.
 */

export interface SelectedField {
  kind: 'field';
  field: FieldDefinition;
  /** Column alias in the page query. */
  column: string;
}

export interface SelectedRelation {
  kind: 'relation';
  /** Relationship name as Salesforce prints it (e.g. Account, Opportunity__r). */
  name: string;
  definition: SObjectDefinition;
  /** Alias of the parent's Id column; null means no parent. */
  idColumn: string;
  items: SelectionItem[];
}

export type SelectionItem = SelectedField | SelectedRelation;

export interface CompiledQuery {
  definition: SObjectDefinition;
  countOnly: boolean;
  /** Soft-deleted records count as matches (queryAll). */
  includeDeleted: boolean;
  items: SelectionItem[];
  /** Alias of the root record's Id in the page query. */
  idColumn: string;
  /** Table expression with the joins parent fields need. */
  from: string;
  /** Condition on the root table alias `t0`; parameters numbered from $1. */
  where: string;
  params: unknown[];
  orderBy: string;
  limit?: number;
  offset?: number;
  /** Select list of the page query. */
  selectList: string;
}

export interface CompileOptions {
  schema: string;
  /** Include soft-deleted records (queryAll). */
  includeDeleted?: boolean;
  /** The moment relative date literals are evaluated against. */
  now?: Date;
}

export const MAX_OFFSET = 2000;

const malformed = (message: string) => SalesforceApiError.of(400, 'MALFORMED_QUERY', message);

/** Parses and compiles one SOQL statement. */
export function compileSoql(soql: string, options: CompileOptions): CompiledQuery {
  let parsed: Query;
  try {
    parsed = parseQuery(soql);
  } catch (error) {
    throw malformed(describeParseError(error instanceof Error ? error.message : String(error)));
  }
  return new QueryBuilder(soql, parsed, options).build();
}

/** Compiles a plain field list (the `?fields=` of a record GET) for one object. */
export function compileFieldList(
  definition: SObjectDefinition,
  fieldPaths: string[],
  options: CompileOptions,
): CompiledQuery {
  const soql = `SELECT ${fieldPaths.join(', ')} FROM ${definition.name}`;
  const query: Query = {
    sObject: definition.name,
    fields: fieldPaths.map((path) => {
      const parts = path.split('.');
      const last = parts.pop() ?? path;
      return parts.length > 0
        ? { type: 'FieldRelationship', field: last, relationships: parts, rawValue: path }
        : { type: 'Field', field: path };
    }),
  };
  return new QueryBuilder(soql, query, options).build();
}

/** Reduces a parser message to the part that says what was not understood. */
function describeParseError(message: string): string {
  const last = message.trim().split('\n').pop() ?? message;
  const lexing = /unexpected character: ->(.)<-/.exec(last);
  if (lexing) return `no viable alternative at character '${lexing[1]}'`;
  const expecting = /Expecting a token type of --> (\w+) <-- but found --> '(.*)' <--/.exec(last);
  if (expecting) {
    const wanted: Record<string, string> = { RParen: 'right parentheses', LParen: 'left parentheses' };
    return `expecting a ${wanted[expecting[1] ?? ''] ?? expecting[1]}, found '${expecting[2] || '<EOF>'}'`;
  }
  const found = /but found:? '?([^']*)'?$/.exec(last);
  if (found) return found[1] ? `unexpected token: '${found[1]}'` : 'unexpected token: <EOF> (the query ends too early)';
  return `unable to parse the query: ${last}`;
}

/** Marks where `needle` sits in the query, as Salesforce's parse errors do. */
function located(soql: string, needle: string, message: string): string {
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?<![\\w.])${escaped}(?![\\w])`, 'i').exec(soql);
  if (!match) return message;
  const before = soql.slice(0, match.index);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = match.index - lineStart + 1;
  const lineText = soql.slice(lineStart).split('\n')[0] ?? '';
  return `${lineText}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${message}`;
}

type Token = '(' | ')' | 'NOT' | 'AND' | 'OR' | { condition: Condition & { valueQuery?: unknown } };

interface ResolvedField {
  alias: string;
  field: FieldDefinition;
  /** Relationship hops from the root, with the object each one reaches. */
  chain: { relationship: FieldDefinition; definition: SObjectDefinition; alias: string }[];
}

class QueryBuilder {
  private readonly params: unknown[] = [];
  private readonly joins = new Map<string, { alias: string; sql: string }>();
  private readonly definition: SObjectDefinition;
  private readonly now: Date;
  private columnCount = 0;

  constructor(
    private readonly soql: string,
    private readonly query: Query,
    private readonly options: CompileOptions,
  ) {
    const objectName = query.sObject ?? '';
    const definition = findSObject(objectName);
    if (!definition) {
      throw SalesforceApiError.of(
        400,
        'INVALID_TYPE',
        located(
          soql,
          objectName,
          `sObject type '${objectName}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
        ),
      );
    }
    this.definition = definition;
    this.now = options.now ?? new Date();
  }

  build(): CompiledQuery {
    this.refuseUnsupportedClauses();
    const fields = this.query.fields ?? [];
    const countOnly = fields.some(
      (f) => f.type === 'FieldFunctionExpression' && f.functionName?.toUpperCase() === 'COUNT',
    );
    if (countOnly && fields.length > 1) {
      throw malformed('COUNT() cannot be selected together with other fields in this query');
    }
    const idColumn = this.nextColumn();
    const selectList = [`t0."Id" AS ${idColumn}`];
    const items: SelectionItem[] = [];
    if (!countOnly) {
      if (fields.length === 0) throw malformed('unexpected token: FROM (no fields are selected)');
      const seen = new Set<string>();
      for (const parsed of fields) this.addSelected(parsed, items, selectList, seen);
    } else {
      const count = fields[0];
      if (count?.type === 'FieldFunctionExpression' && count.parameters.length > 0) {
        throw malformed(`aggregate function ${count.rawValue ?? 'COUNT(...)'} is not supported; use COUNT()`);
      }
    }

    const conditions = this.options.includeDeleted ? [] : ['NOT t0."IsDeleted"'];
    if (this.query.where) conditions.push(this.compileWhere(this.query.where));
    const orderBy = this.compileOrderBy();

    for (const [clause, value] of [
      ['LIMIT', this.query.limit],
      ['OFFSET', this.query.offset],
    ] as const) {
      if (value !== undefined && (!Number.isSafeInteger(value) || value < 0))
        throw malformed(`${clause} must be a non-negative integer`);
    }
    if (this.query.offset !== undefined && this.query.offset > MAX_OFFSET) {
      throw SalesforceApiError.of(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
    }
    const from = [
      `${tableName(this.options.schema, this.definition)} t0`,
      ...[...this.joins.values()].map((join) => join.sql),
    ].join(' ');
    return {
      definition: this.definition,
      countOnly,
      includeDeleted: this.options.includeDeleted ?? false,
      items,
      idColumn,
      from,
      where: conditions.length > 0 ? conditions.join(' AND ') : 'TRUE',
      params: this.params,
      orderBy,
      ...(this.query.limit !== undefined ? { limit: this.query.limit } : {}),
      ...(this.query.offset !== undefined ? { offset: this.query.offset } : {}),
      selectList: selectList.join(', '),
    };
  }

  private refuseUnsupportedClauses(): void {
    const q = this.query;
    const refused: [unknown, string][] = [
      [q.groupBy, 'GROUP BY'],
      [q.having, 'HAVING'],
      [q.withDataCategory, 'WITH DATA CATEGORY'],
      [q.withSecurityEnforced, 'WITH SECURITY_ENFORCED'],
      [q.withAccessLevel, 'WITH USER_MODE / SYSTEM_MODE'],
      [q.for, `FOR ${q.for ?? ''}`.trim()],
      [q.update, `UPDATE ${q.update ?? ''}`.trim()],
      [q.usingScope, 'USING SCOPE'],
    ];
    for (const [present, clause] of refused) {
      if (present) throw malformed(`${clause} is not supported by this Salesforce sandbox`);
    }
  }

  private nextColumn(): string {
    this.columnCount += 1;
    return `c${this.columnCount}`;
  }

  private param(value: unknown, cast: string): string {
    this.params.push(value);
    return `$${this.params.length}::${cast}`;
  }

  /** Strips the object alias (`SELECT a.Name FROM Account a`). */
  private pathParts(path: string): string[] {
    const parts = path.split('.');
    const alias = this.query.sObjectAlias;
    if (alias && parts.length > 1 && parts[0]?.toLowerCase() === alias.toLowerCase()) parts.shift();
    return parts;
  }

  private resolve(path: string): ResolvedField {
    const parts = this.pathParts(path);
    const fieldName = parts.pop() ?? '';
    let definition = this.definition;
    let alias = 't0';
    let joinKey = '';
    const chain: ResolvedField['chain'] = [];
    for (const relationshipName of parts) {
      const relationship = findRelationship(definition, relationshipName);
      const target =
        relationship?.referenceTo && relationship.referenceTo !== 'User'
          ? SOBJECTS[relationship.referenceTo]
          : undefined;
      if (!relationship || !target) {
        throw SalesforceApiError.of(
          400,
          'INVALID_FIELD',
          located(
            this.soql,
            path,
            `Didn't understand relationship '${relationshipName}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
          ),
        );
      }
      joinKey += `.${relationship.name}`;
      let join = this.joins.get(joinKey);
      if (!join) {
        const joinAlias = `j${this.joins.size + 1}`;
        join = {
          alias: joinAlias,
          sql: `LEFT JOIN ${tableName(this.options.schema, target)} ${joinAlias} ON ${joinAlias}."Id" = ${alias}.${quoteColumn(relationship.name)} AND NOT ${joinAlias}."IsDeleted"`,
        };
        this.joins.set(joinKey, join);
      }
      alias = join.alias;
      definition = target;
      chain.push({ relationship, definition: target, alias });
    }
    const field = findField(definition, fieldName);
    if (!field) {
      throw SalesforceApiError.of(
        400,
        'INVALID_FIELD',
        located(
          this.soql,
          path,
          `No such column '${fieldName}' on entity '${definition.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
        ),
      );
    }
    return { alias, field, chain };
  }

  private addSelected(parsed: ParsedFieldType, items: SelectionItem[], selectList: string[], seen: Set<string>): void {
    let path: string;
    if (parsed.type === 'Field') {
      if (parsed.alias)
        throw malformed(`field aliases are only allowed in aggregate queries: ${parsed.field} ${parsed.alias}`);
      path = 'rawValue' in parsed && typeof parsed.rawValue === 'string' ? parsed.rawValue : parsed.field;
    } else if (parsed.type === 'FieldRelationship') {
      path = parsed.rawValue ?? [...parsed.relationships, parsed.field].join('.');
    } else if (parsed.type === 'FieldFunctionExpression') {
      throw malformed(
        `${parsed.rawValue ?? parsed.functionName}: functions in the SELECT list are not supported by this Salesforce sandbox (only COUNT() alone is)`,
      );
    } else if (parsed.type === 'FieldSubquery') {
      throw malformed(
        `relationship subqueries (SELECT ... FROM ${parsed.subquery.relationshipName}) are not supported by this Salesforce sandbox`,
      );
    } else {
      throw malformed(`TYPEOF ${parsed.field} is not supported by this Salesforce sandbox`);
    }
    const resolved = this.resolve(path);
    const canonical = [
      ...resolved.chain.map((hop) => hop.relationship.relationshipName ?? ''),
      resolved.field.name,
    ].join('.');
    if (seen.has(canonical.toLowerCase())) throw malformed(`duplicate field selected: ${canonical}`);
    seen.add(canonical.toLowerCase());

    let level = items;
    for (const hop of resolved.chain) {
      const name = hop.relationship.relationshipName ?? hop.relationship.name;
      let relation = level.find((item): item is SelectedRelation => item.kind === 'relation' && item.name === name);
      if (!relation) {
        const idColumn = this.nextColumn();
        selectList.push(`${hop.alias}."Id" AS ${idColumn}`);
        relation = { kind: 'relation', name, definition: hop.definition, idColumn, items: [] };
        level.push(relation);
      }
      level = relation.items;
    }
    const column = this.nextColumn();
    selectList.push(`${selectExpression(resolved.alias, resolved.field)} AS ${column}`);
    level.push({ kind: 'field', field: resolved.field, column });
  }

  // ----- WHERE -----

  private compileWhere(where: WhereClause): string {
    const tokens: Token[] = [];
    flattenWhere(where, tokens);
    let position = 0;
    const peek = () => tokens[position];

    const parseExpression = (negated: boolean): string => {
      const parts = [parseUnary(negated)];
      let operator: 'AND' | 'OR' | undefined;
      for (;;) {
        const next = peek();
        if (next !== 'AND' && next !== 'OR') break;
        if (operator && operator !== next) {
          throw malformed(`unexpected token: '${next}' (parentheses are required when mixing AND and OR)`);
        }
        operator = next;
        position++;
        parts.push(parseUnary(negated));
      }
      return parts.length === 1 ? (parts[0] ?? 'TRUE') : `(${parts.join(` ${operator} `)})`;
    };
    const parseUnary = (negated: boolean): string => {
      const token = tokens[position++];
      if (token === 'NOT') return `NOT ${parseUnary(!negated)}`;
      if (token === '(') {
        const inner = parseExpression(negated);
        if (tokens[position++] !== ')') throw malformed("expecting a right parentheses, found '<EOF>'");
        return inner;
      }
      if (token && typeof token === 'object') {
        const sql = this.compileCondition(token.condition);
        // Under NOT, a comparison with NULL must read as false, not unknown, or NOT drops the row.
        return negated ? `COALESCE(${sql}, false)` : sql;
      }
      throw malformed(`unexpected token: '${token ?? '<EOF>'}'`);
    };

    const sql = parseExpression(false);
    if (position < tokens.length) throw malformed(`unexpected token: '${String(tokens[position])}'`);
    return sql;
  }

  private compileCondition(condition: Condition & { valueQuery?: unknown }): string {
    if (condition.valueQuery !== undefined) {
      throw malformed('semi-join subqueries (IN (SELECT ...)) are not supported by this Salesforce sandbox');
    }
    if (!('field' in condition) || typeof condition.field !== 'string') {
      const fn = 'fn' in condition ? condition.fn : undefined;
      throw malformed(`${fn?.rawValue ?? 'function'}: functions in WHERE are not supported by this Salesforce sandbox`);
    }
    const { alias, field } = this.resolve(condition.field);
    const column = `${alias}.${quoteColumn(field.name)}`;
    const operator = condition.operator.toUpperCase();
    const rawValues = Array.isArray(condition.value) ? condition.value : [condition.value];
    const literalTypes = rawValues.map((_, i) =>
      Array.isArray(condition.literalType) ? condition.literalType[i] : condition.literalType,
    );
    const nVariables =
      'dateLiteralVariable' in condition
        ? Array.isArray(condition.dateLiteralVariable)
          ? condition.dateLiteralVariable
          : [condition.dateLiteralVariable]
        : [];

    if (operator === 'INCLUDES' || operator === 'EXCLUDES') {
      throw filterError(`${operator.toLowerCase()} operator only valid on multipicklist field`);
    }
    if (operator === 'LIKE') {
      if (!isTextType(field.type) && !isIdType(field.type))
        throw filterError(`invalid operator on ${field.type} field`);
      if (literalTypes[0] !== 'STRING') throw filterError(typeMessage(field));
      return `${column} ILIKE ${this.param(likePattern(unquote(rawValues[0] ?? "''")), 'text')}`;
    }

    const literals = rawValues.map((raw, i) => this.literal(field, raw, literalTypes[i], nVariables[i]));
    const isSet = operator === 'IN' || operator === 'NOT IN';
    if (isSet) return this.setCondition(field, column, literals, operator === 'NOT IN');
    const literal = literals[0];
    if (!literal) throw malformed('a comparison is missing its value');
    if (literal.kind === 'null') {
      if (operator === '=') return `${column} IS NULL`;
      if (operator === '!=' || operator === '<>') return `${column} IS NOT NULL`;
      throw filterError(`invalid operator on null value: ${operator}`);
    }
    if (field.type === 'boolean' && operator !== '=' && operator !== '!=') {
      throw filterError('invalid operator on boolean field');
    }
    if (literal.kind === 'range') return this.rangeCondition(field, column, operator, literal.start, literal.end);
    return this.comparison(field, column, operator, literal.value);
  }

  private comparison(field: FieldDefinition, column: string, operator: string, value: string): string {
    const text = isTextType(field.type);
    const left = text ? `lower(${column})` : column;
    const right = text ? `lower(${this.param(value, 'text')})` : this.param(value, castFor(field));
    switch (operator) {
      case '=':
        return `${left} = ${right}`;
      case '!=':
      case '<>':
        return `(${column} IS NULL OR ${left} <> ${right})`;
      case '<':
      case '>':
      case '<=':
      case '>=':
        return `${left} ${operator} ${right}`;
    }
    throw malformed(`unexpected token: '${operator}'`);
  }

  private rangeCondition(field: FieldDefinition, column: string, operator: string, start: string, end: string): string {
    const cast = castFor(field);
    // Parameters are bound only when used: PostgreSQL refuses unused ones.
    const from = () => this.param(start, cast);
    const to = () => this.param(end, cast);
    switch (operator) {
      case '=':
        return `(${column} >= ${from()} AND ${column} < ${to()})`;
      case '!=':
      case '<>':
        return `(${column} IS NULL OR ${column} < ${from()} OR ${column} >= ${to()})`;
      case '<':
        return `${column} < ${from()}`;
      case '<=':
        return `${column} < ${to()}`;
      case '>':
        return `${column} >= ${to()}`;
      case '>=':
        return `${column} >= ${from()}`;
    }
    throw malformed(`unexpected token: '${operator}'`);
  }

  private setCondition(field: FieldDefinition, column: string, literals: Literal[], negate: boolean): string {
    const text = isTextType(field.type);
    const values: string[] = [];
    const ranges: string[] = [];
    let withNull = false;
    for (const literal of literals) {
      if (literal.kind === 'null') withNull = true;
      else if (literal.kind === 'range')
        ranges.push(this.rangeCondition(field, column, '=', literal.start, literal.end));
      else values.push(text ? literal.value.toLowerCase() : literal.value);
    }
    const alternatives = [...ranges];
    if (values.length > 0) {
      alternatives.push(
        `${text ? `lower(${column})` : column} = ANY(${this.param(values, `${text ? 'text' : castFor(field)}[]`)})`,
      );
    }
    if (withNull) alternatives.push(`${column} IS NULL`);
    const any = alternatives.length > 0 ? `(${alternatives.join(' OR ')})` : 'FALSE';
    if (!negate) return any;
    return withNull ? `NOT COALESCE(${any}, false)` : `(${column} IS NULL OR NOT COALESCE(${any}, false))`;
  }

  private literal(
    field: FieldDefinition,
    raw: string,
    literalType: string | undefined,
    n: number | undefined,
  ): Literal {
    switch (literalType) {
      case 'NULL':
        return { kind: 'null' };
      case 'STRING': {
        const value = unquote(raw);
        if (isIdType(field.type)) {
          const id = normalizeSalesforceId(value);
          if (!id) throw filterError(`invalid ID field: ${value}`);
          return { kind: 'value', value: id };
        }
        if (isTextType(field.type)) return { kind: 'value', value };
        throw filterError(typeMessage(field));
      }
      case 'INTEGER':
      case 'DECIMAL':
        if (!isNumericType(field.type)) throw filterError(typeMessage(field));
        return { kind: 'value', value: raw };
      case 'BOOLEAN':
        if (field.type !== 'boolean') throw filterError(typeMessage(field));
        return { kind: 'value', value: raw.toLowerCase() };
      case 'DATE':
        if (field.type !== 'date' || !isValidDate(raw)) throw filterError(typeMessage(field));
        return { kind: 'value', value: raw };
      case 'DATETIME': {
        const parsed = parseDateTime(raw);
        if (field.type !== 'datetime' || !parsed) throw filterError(typeMessage(field));
        return { kind: 'value', value: parsed };
      }
      case 'DATE_LITERAL':
      case 'DATE_N_LITERAL': {
        if (field.type !== 'date' && field.type !== 'datetime') throw filterError(typeMessage(field));
        const range = dateLiteralRange(raw, this.now, n);
        if (!range) throw malformed(`date literal ${raw} is not supported by this Salesforce sandbox`);
        if (field.type === 'datetime')
          return { kind: 'range', start: `${range.start}T00:00:00Z`, end: `${range.end}T00:00:00Z` };
        return { kind: 'range', start: range.start, end: range.end };
      }
      case 'INTEGER_WITH_CURRENCY_PREFIX':
      case 'DECIMAL_WITH_CURRENCY_PREFIX':
        throw malformed(`currency-prefixed literal ${raw} is not supported by this Salesforce sandbox`);
      default:
        throw malformed(`value ${raw} is not supported by this Salesforce sandbox`);
    }
  }

  // ----- ORDER BY -----

  private compileOrderBy(): string {
    const clauses: OrderByClause[] = this.query.orderBy
      ? Array.isArray(this.query.orderBy)
        ? this.query.orderBy
        : [this.query.orderBy]
      : [];
    const parts = clauses.map((clause) => {
      if (!('field' in clause) || !clause.field) {
        throw malformed('ordering by a function is not supported by this Salesforce sandbox');
      }
      const { alias, field } = this.resolve(clause.field);
      const column = `${alias}.${quoteColumn(field.name)}`;
      const direction = clause.order === 'DESC' ? 'DESC' : 'ASC';
      // Salesforce sorts nulls as the smallest values unless told otherwise.
      const nulls = clause.nulls ?? (direction === 'ASC' ? 'FIRST' : 'LAST');
      const key = isTextType(field.type) ? `lower(${column}) COLLATE "C"` : column;
      return `${key} ${direction} NULLS ${nulls}`;
    });
    parts.push('t0."Id" ASC');
    return parts.join(', ');
  }
}

type Literal = { kind: 'null' } | { kind: 'value'; value: string } | { kind: 'range'; start: string; end: string };

function flattenWhere(node: WhereClause, out: Token[]): void {
  if (
    'operator' in node &&
    node.operator === 'NOT' &&
    (node.left === null || !('field' in node.left || 'fn' in node.left))
  ) {
    const opens = node.left && 'openParen' in node.left ? (node.left.openParen ?? 0) : 0;
    for (let i = 0; i < opens; i++) out.push('(');
    out.push('NOT');
    flattenWhere(node.right, out);
    return;
  }
  const left = node.left as Condition & { openParen?: number; closeParen?: number };
  for (let i = 0; i < (left.openParen ?? 0); i++) out.push('(');
  out.push({ condition: left });
  for (let i = 0; i < (left.closeParen ?? 0); i++) out.push(')');
  if ('operator' in node && 'right' in node && node.right) {
    if (node.operator !== 'AND' && node.operator !== 'OR') throw malformed(`unexpected token: '${node.operator}'`);
    out.push(node.operator);
    flattenWhere(node.right, out);
  }
}

function castFor(field: FieldDefinition): string {
  if (isNumericType(field.type)) return 'numeric';
  if (field.type === 'boolean') return 'boolean';
  if (field.type === 'date') return 'date';
  if (field.type === 'datetime') return 'timestamptz';
  return 'text';
}

function filterError(message: string): SalesforceApiError {
  return SalesforceApiError.of(400, 'INVALID_QUERY_FILTER_OPERATOR', message);
}

function typeMessage(field: FieldDefinition): string {
  const quoted = isTextType(field.type) || isIdType(field.type);
  const typeName: Record<string, string> = {
    id: 'id',
    reference: 'reference',
    string: 'string',
    textarea: 'string',
    picklist: 'string',
    currency: 'double',
    double: 'double',
    percent: 'double',
    boolean: 'boolean',
    date: 'date',
    datetime: 'dateTime',
  };
  return `value of filter criterion for field '${field.name}' must be of type ${typeName[field.type] ?? field.type} and ${quoted ? 'should be enclosed in quotes' : 'should not be enclosed in quotes'}`;
}

/** The text of a quoted SOQL string literal, with its escapes resolved. */
function unquote(raw: string): string {
  const body = raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2 ? raw.slice(1, -1) : raw;
  const escapes: Record<string, string> = {
    n: '\n',
    r: '\r',
    t: '\t',
    b: '\b',
    f: '\f',
    '"': '"',
    "'": "'",
    '\\': '\\',
  };
  // \% and \_ stay escaped: they only mean something to LIKE.
  return body.replace(/\\(.)/g, (whole, char: string) => escapes[char] ?? whole);
}

/** A SOQL LIKE pattern (% and _ wildcards, \% and \_ literals) as a PostgreSQL ILIKE pattern. */
function likePattern(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === '\\' && (pattern.charAt(i + 1) === '%' || pattern.charAt(i + 1) === '_')) {
      out += `\\${pattern.charAt(i + 1)}`;
      i++;
    } else if (char === '\\') {
      out += '\\\\';
    } else {
      out += char;
    }
  }
  return out;
}
