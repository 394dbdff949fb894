/**
 * The incremental read: which objects can be pulled, the fields the routines need from each, and
 * the SOQL that continues after a cursor.
 *
 * Salesforce keeps SystemModstamp to the second, so many records share one value. Records are read
 * in (SystemModstamp, Id) order and the cursor holds the last pair returned; the next query asks
 * for `SystemModstamp >= t` and, within that same second, only ids after the last one.
 *
 * That alone would still lose records saved later within a second already read past: a pull at
 * 10:00:00.3 that ends at (10:00:00, id 500) never sees id 100 saved at 10:00:00.7. So a pull only
 * reads seconds that have closed — `SystemModstamp < settledBefore`, a second behind the org's
 * clock — and a record comes back once its second has passed (about two seconds of lag).
 */
import type { PullFilter } from '../connector';

export const SALESFORCE_OBJECT_TYPES = ['Account', 'Opportunity', 'OpportunityLineItem', 'ChangeOrder__c'] as const;
export type SalesforceObjectType = (typeof SALESFORCE_OBJECT_TYPES)[number];

const AUDIT_FIELDS = ['CreatedDate', 'LastModifiedDate', 'SystemModstamp'];

/** Per object: its own fields, then parent fields the routines would otherwise fetch one by one. */
export const PULL_FIELDS: Readonly<Record<SalesforceObjectType, readonly string[]>> = {
  Account: [
    'Id',
    'Name',
    'Type',
    'Industry',
    'BillingCountry',
    'CurrencyIsoCode',
    'Legal_Entity__c',
    'Tax_Registration__c',
    'Syncwright_Id__c',
    ...AUDIT_FIELDS,
  ],
  Opportunity: [
    'Id',
    'Name',
    'AccountId',
    'StageName',
    'CloseDate',
    'Amount',
    'CurrencyIsoCode',
    'Probability',
    'IsClosed',
    'IsWon',
    'Legal_Entity__c',
    'Practice__c',
    'Cost_Center__c',
    'Billing_Model__c',
    'Project_Status__c',
    'ERP_Project_Id__c',
    'Last_Invoice_Status__c',
    'Syncwright_Id__c',
    ...AUDIT_FIELDS,
    // Project activation resolves the customer and checks its tax registration for the entity.
    'Account.Name',
    'Account.Legal_Entity__c',
    'Account.Tax_Registration__c',
  ],
  OpportunityLineItem: [
    'Id',
    'OpportunityId',
    'Name',
    'Quantity',
    'UnitPrice',
    'TotalPrice',
    'Role__c',
    ...AUDIT_FIELDS,
  ],
  ChangeOrder__c: [
    'Id',
    'Name',
    'Opportunity__c',
    'Amount__c',
    'CurrencyIsoCode',
    'Status__c',
    'Approved_Date__c',
    'Description__c',
    'Syncwright_Id__c',
    ...AUDIT_FIELDS,
    // The change-order routine updates the ERP project the opportunity was activated as.
    'Opportunity__r.ERP_Project_Id__c',
    'Opportunity__r.Legal_Entity__c',
  ],
};

export function isSalesforceObjectType(value: string): value is SalesforceObjectType {
  return (SALESFORCE_OBJECT_TYPES as readonly string[]).includes(value);
}

export interface PullPosition {
  /** SystemModstamp of the last record returned, ISO 8601 UTC to the second (`…T10:00:00Z`). */
  modstamp: string;
  /** Its 18-character id. */
  id: string;
}

const SECOND_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const SALESFORCE_ID = /^[0-9A-Za-z]{15}(?:[0-9A-Za-z]{3})?$/;

/** A Salesforce datetime (`2026-01-31T10:00:00.000+0000`) as ISO UTC with milliseconds, or null. */
export function salesforceDateTimeToIso(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const normalized = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const millis = Date.parse(normalized);
  return Number.isNaN(millis) ? null : new Date(millis).toISOString();
}

/** ISO UTC cut to the whole second, as SOQL datetime literals take it. Salesforce has no
 *  sub-second stamps; were one ever given, cutting it down re-reads records instead of skipping. */
export function toSecondIso(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

/** Opaque to the pipeline: `<SystemModstamp>_<Id>`, e.g. `2026-01-31T10:00:00Z_006000000000001AAA`. */
export function encodePullCursor(position: PullPosition): string {
  return `${position.modstamp}_${position.id}`;
}

/** The position before every record of the second `modstamp`: an id below any real one. */
export function cursorAtSecond(modstamp: string): PullPosition {
  return { modstamp, id: '000000000000000' };
}

export function decodePullCursor(cursor: string): PullPosition | null {
  const separator = cursor.indexOf('_');
  if (separator < 0) return null;
  const modstamp = cursor.slice(0, separator);
  const id = cursor.slice(separator + 1);
  if (!SECOND_ISO.test(modstamp) || Number.isNaN(Date.parse(modstamp)) || !SALESFORCE_ID.test(id)) return null;
  return { modstamp, id };
}

/** The SOQL for the records after `after` (all, when null) and before `settledBefore` (when
 *  given), oldest first, at most `limit`; with `includeDeleted`, their IsDeleted flag too (for queryAll). */
export function incrementalSoql(
  objectType: SalesforceObjectType,
  after: PullPosition | null,
  settledBefore: string | null,
  limit: number,
  filter: PullFilter = {},
  includeDeleted = false,
): string {
  const conditions = [
    ...(after
      ? [`SystemModstamp >= ${after.modstamp} AND (SystemModstamp > ${after.modstamp} OR Id > '${after.id}')`]
      : []),
    ...(settledBefore === null ? [] : [`SystemModstamp < ${settledBefore}`]),
    ...Object.entries(filter).map(([name, value]) => {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new RangeError(`'${name}' is not a Salesforce field name`);
      return value === null ? `${name} = null` : `${name} = '${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    }),
  ];
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  const fields = [...PULL_FIELDS[objectType], ...(includeDeleted ? ['IsDeleted'] : [])];
  return `SELECT ${fields.join(', ')} FROM ${objectType}${where} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${limit}`;
}

/** A Salesforce record id (15 or 18 characters); anything else names no record. */
export function isSalesforceId(value: string): boolean {
  return SALESFORCE_ID.test(value);
}

/** The SOQL for the records with these ids (checked by isSalesforceId), with the fields a pull reads. */
export function rowsByIdSoql(objectType: SalesforceObjectType, ids: readonly string[]): string {
  if (!ids.every(isSalesforceId)) throw new RangeError('a Salesforce id is 15 or 18 letters and digits');
  return `SELECT ${PULL_FIELDS[objectType].join(', ')} FROM ${objectType} WHERE Id IN (${ids.map((id) => `'${id}'`).join(', ')}) ORDER BY Id`;
}
