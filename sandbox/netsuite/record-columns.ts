import type { QueryColumn } from './conditions';
import { columnName, type RecordTypeDefinition } from './record-types';
import { quoteIdent } from './netsuite-schema';

/**
 * The columns of a record table as clients name them: SuiteQL (lower-case ids) and the record
 * service's `q=` filter (REST field ids, matched case-insensitively).
 */

function systemColumns(definition: RecordTypeDefinition): Array<{ rest: string; column: QueryColumn }> {
  return [
    { rest: 'id', column: { name: 'id', kind: 'id', sql: 't.id' } },
    { rest: 'externalId', column: { name: 'externalid', kind: 'text', sql: 't.external_id' } },
    {
      rest: definition.createdField,
      column: { name: definition.createdField.toLowerCase(), kind: 'datetime', sql: 't.date_created' },
    },
    {
      rest: definition.modifiedField,
      column: { name: definition.modifiedField.toLowerCase(), kind: 'datetime', sql: 't.last_modified' },
    },
  ];
}

function fieldColumns(definition: RecordTypeDefinition): Array<{ rest: string; column: QueryColumn }> {
  return definition.fields.map((field) => ({
    rest: field.name,
    column: { name: columnName(field), kind: field.type, sql: `t.${quoteIdent(columnName(field))}` },
  }));
}

const suiteqlCache = new Map<string, Map<string, QueryColumn>>();

/** SuiteQL columns of the type's table, keyed by lower-case name, in `SELECT *` order. */
export function suiteqlColumns(definition: RecordTypeDefinition): Map<string, QueryColumn> {
  let columns = suiteqlCache.get(definition.type);
  if (!columns) {
    columns = new Map();
    for (const { column } of [...systemColumns(definition), ...fieldColumns(definition)])
      columns.set(column.name, column);
    for (const [name, value] of Object.entries(definition.suiteqlConstants ?? {})) {
      columns.set(name, { name, kind: 'text', sql: `'${value.replace(/'/g, "''")}'::text` });
    }
    suiteqlCache.set(definition.type, columns);
  }
  return columns;
}

/** Columns the record service's `q=` filter may name, keyed by lower-cased REST field id. */
export function restFilterColumns(definition: RecordTypeDefinition): Map<string, QueryColumn> {
  const columns = new Map<string, QueryColumn>();
  for (const { rest, column } of [...systemColumns(definition), ...fieldColumns(definition)]) {
    columns.set(rest.toLowerCase(), { ...column, name: rest });
  }
  return columns;
}
