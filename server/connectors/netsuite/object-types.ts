/**
 * The NetSuite object types the sync reads incrementally, and where SuiteQL keeps each one:
 * its table, its last-modified column (standard records `lastmodifieddate`, custom records
 * `lastmodified`) and, for types sharing a table, the condition that picks them out.
 */

export interface PullableType {
  /** The REST record type, also the object type the pipeline names. */
  recordType: string;
  suiteqlTable: string;
  modifiedColumn: 'lastmodifieddate' | 'lastmodified';
  /** A SuiteQL condition over alias `t` selecting this type inside a shared table. */
  filter?: string;
}

const PULLABLE: readonly PullableType[] = [
  { recordType: 'customer', suiteqlTable: 'customer', modifiedColumn: 'lastmodifieddate' },
  { recordType: 'job', suiteqlTable: 'job', modifiedColumn: 'lastmodifieddate' },
  { recordType: 'timebill', suiteqlTable: 'timebill', modifiedColumn: 'lastmodifieddate' },
  // Milestones are project tasks flagged as milestones; the pipeline filters on `ismilestone`.
  { recordType: 'projecttask', suiteqlTable: 'projecttask', modifiedColumn: 'lastmodifieddate' },
  {
    recordType: 'invoice',
    suiteqlTable: 'transaction',
    modifiedColumn: 'lastmodifieddate',
    filter: "t.type = 'CustInvc'",
  },
  { recordType: 'customrecord_sw_ratecard', suiteqlTable: 'customrecord_sw_ratecard', modifiedColumn: 'lastmodified' },
  {
    recordType: 'customrecord_sw_changeorder',
    suiteqlTable: 'customrecord_sw_changeorder',
    modifiedColumn: 'lastmodified',
  },
  {
    recordType: 'customrecord_sw_retainer_period',
    suiteqlTable: 'customrecord_sw_retainer_period',
    modifiedColumn: 'lastmodified',
  },
];

const BY_NAME = new Map(PULLABLE.map((type) => [type.recordType, type]));

export const PULLABLE_OBJECT_TYPES: readonly string[] = PULLABLE.map((type) => type.recordType);

export function pullableType(objectType: string): PullableType | undefined {
  return BY_NAME.get(objectType);
}

/** Record type names as the record service spells them (`customer`, `customrecord_x`). Checked
 *  before a name goes into a URL path, so a stray slash or `..` can never reach another resource. */
export function isRecordTypeName(objectType: string): boolean {
  return /^[a-z][a-z0-9_]*$/i.test(objectType);
}
