import type { SystemName } from './canonical/canonical-record';
import type { CanonicalType } from './canonical/schemas';
import type { RoutineName } from './routines';
import {
  fieldMapProblems,
  isMappableAttribute,
  type FieldMap,
  type FieldMapProblem,
  type FieldTransform,
} from './field-transforms';
import { VALUE_MAP_KIND_NAMES } from './value-maps';

/** One stored field map: on records of `source`, a source field into a canonical attribute. */
export interface FieldMapRow extends FieldMap {
  source: string;
}

export interface FieldMapRowProblem extends Omit<FieldMapProblem, 'field'> {
  field: FieldMapProblem['field'] | 'source';
}

interface SourceRecord {
  system: SystemName;
  label: string;
  canonicalType: CanonicalType;
  /** The fields its connector returns, as the record arrives in the pipeline. */
  fields: readonly string[];
  /** The routine that reads it, and the canonical attributes it takes from a field map. */
  routine: RoutineName;
  attributes: readonly string[];
}

/**
 * The source records field maps apply to. A field map overrides one attribute of the routine's
 * built-in mapping; attributes the routine works out itself (project, currency, entity) are not
 * offered, so a field map cannot move a record to another entity or project.
 */
export const SOURCE_RECORDS = {
  timebill: {
    system: 'netsuite',
    label: 'NetSuite time bill',
    canonicalType: 'TimeEntry',
    // SuiteQL's columns of the timebill table, in its lower case.
    fields: [
      'id',
      'externalid',
      'employee',
      'customer',
      'item',
      'trandate',
      'hours',
      'rate',
      'isbillable',
      'approvalstatus',
      'memo',
      'subsidiary',
      'custcol_sw_role',
      'custcol_sw_billed_invoice',
      'datecreated',
      'lastmodifieddate',
    ],
    routine: 'billing_eligibility',
    attributes: ['consultant', 'role', 'workDate', 'hours', 'description'],
  },
} as const satisfies Record<string, SourceRecord>;

export type SourceRecordName = keyof typeof SOURCE_RECORDS;
export const SOURCE_RECORD_NAMES = Object.keys(SOURCE_RECORDS) as SourceRecordName[];

export const isSourceRecord = (name: string): name is SourceRecordName => Object.hasOwn(SOURCE_RECORDS, name);

/** The source records a connection to this system reads. */
export const sourceRecordsOf = (system: string) =>
  SOURCE_RECORD_NAMES.filter((n) => SOURCE_RECORDS[n].system === system);

const tidyTransform = (t: FieldTransform): FieldTransform =>
  t.name === 'lookup' ? { name: 'lookup', kind: t.kind.trim() } : t;

/** Rows trimmed, as they are saved. */
export function tidyFieldMaps(rows: readonly FieldMapRow[]): FieldMapRow[] {
  return rows.map((r) => ({
    source: r.source.trim(),
    sourceField: r.sourceField.trim(),
    attribute: r.attribute.trim(),
    transforms: r.transforms.map(tidyTransform),
  }));
}

/** A field map is known across versions by its source record and the attribute it sets. */
export const fieldMapKey = (row: FieldMapRow) => `${row.source}|${row.attribute}`;

/** Field maps in one order: by source record, then attribute. */
export function sortFieldMaps(rows: readonly FieldMapRow[]): FieldMapRow[] {
  return [...rows].sort((a, b) => (fieldMapKey(a) < fieldMapKey(b) ? -1 : fieldMapKey(a) > fieldMapKey(b) ? 1 : 0));
}

/**
 * Every problem of the field maps of a connection to `system`, each naming its row: a source
 * record the connection does not read, a source field its connector does not return, an
 * attribute the schema lacks or the routine does not take from a field map, a lookup of a kind
 * of value map that does not exist, and the transform checks of `fieldMapProblems`.
 */
export function fieldMapRowProblems(system: string, rows: readonly FieldMapRow[]): FieldMapRowProblem[] {
  const tidy = tidyFieldMaps(rows);
  const problems: FieldMapRowProblem[] = [];
  const readable = sourceRecordsOf(system);
  tidy.forEach((row, index) => {
    const at = `Field map ${index + 1}`;
    if (!isSourceRecord(row.source) || !readable.includes(row.source)) {
      const offered = readable.length > 0 ? `use ${readable.join(', ')}` : 'this connection has none';
      problems.push({
        index,
        field: 'source',
        message: `${at}: "${row.source}" is not a source record field maps apply to here; ${offered}.`,
      });
      return;
    }
    const record: SourceRecord = SOURCE_RECORDS[row.source];
    if (row.sourceField && !record.fields.includes(row.sourceField))
      problems.push({
        index,
        field: 'sourceField',
        message: `${at}: a ${record.label} has no field "${row.sourceField}".`,
      });
    // An attribute the schema lacks is named by the schema check below.
    if (isMappableAttribute(record.canonicalType, row.attribute) && !record.attributes.includes(row.attribute))
      problems.push({
        index,
        field: 'attribute',
        message: `${at}: ${record.canonicalType}.${row.attribute} is not set from a field map; map one of ${record.attributes.join(', ')}.`,
      });
    for (const t of row.transforms)
      if (t.name === 'lookup' && t.kind && !(VALUE_MAP_KIND_NAMES as string[]).includes(t.kind))
        problems.push({
          index,
          field: 'transforms',
          message: `${at}: a lookup reads a kind of value map; "${t.kind}" is none of ${VALUE_MAP_KIND_NAMES.join(', ')}.`,
        });
  });
  for (const source of readable) {
    const indexes = tidy.flatMap((row, index) => (row.source === source ? [index] : []));
    problems.push(
      ...fieldMapProblems(
        SOURCE_RECORDS[source].canonicalType,
        indexes.map((i) => tidy[i]!),
        (i) => indexes[i]!,
      ),
    );
  }
  return problems.sort((a, b) => a.index - b.index);
}

/**
 * The exceptions a change to field maps of these source records may fix: a record a field map
 * could not map is held as VALIDATION_FAILED by the routine that reads it.
 */
export function exceptionsCausedByFieldMaps(sources: Iterable<string>): { code: string; routines: RoutineName[] }[] {
  const routines = new Set<RoutineName>();
  for (const source of sources) if (isSourceRecord(source)) routines.add(SOURCE_RECORDS[source].routine);
  return routines.size === 0 ? [] : [{ code: 'VALIDATION_FAILED', routines: [...routines].sort() }];
}
