/**
 * The record types the NetSuite emulator serves, and their fields — the one place that says what
 * a record looks like. Storage (one typed table per type), validation, REST rendering and the
 * SuiteQL columns are all derived from these definitions.
 *
 * Naming follows NetSuite: REST field ids are camelCase (custom fields `custentity_…`,
 * `custevent_…`, `custrecord_…`, `custbody_…`), SuiteQL columns are the same ids in lower case.
 * Custom record types keep NetSuite's own system field names `created` / `lastModified` (SuiteQL
 * `created` / `lastmodified`); standard types use `dateCreated` / `lastModifiedDate`.
 *
 * Choices made for the Syncwright domain (documented here because NetSuite leaves them to each
 * account's customisation):
 * - milestones are `projecttask` records with `isMilestone`, a billing amount
 *   (`custevent_sw_billing_amount`) in `custevent_sw_currency`, and `status` COMPLETE when done;
 * - rate cards are `customrecord_sw_ratecard` (project, service item and/or role, rate, currency);
 * - change orders are `customrecord_sw_changeorder` (project, amount, hours, currency, status);
 * - a retainer's monthly fee is a `customrecord_sw_retainer_period` per month it falls due
 *   (project, period, fee, currency), with the billing invoice once billed.
 */

export const NETSUITE_RECORD_TYPES = [
  'currency',
  'subsidiary',
  'employee',
  'serviceitem',
  'customer',
  'job',
  'projecttask',
  'timebill',
  'invoice',
  'customrecord_sw_ratecard',
  'customrecord_sw_changeorder',
  'customrecord_sw_retainer_period',
] as const;

export type NetSuiteRecordType = (typeof NETSUITE_RECORD_TYPES)[number];

export type FieldType =
  /** free text */
  | 'text'
  /** decimal quantity (hours, exchange rates) */
  | 'decimal'
  /** currency amount, a decimal */
  | 'money'
  | 'integer'
  | 'boolean'
  /** calendar date, `YYYY-MM-DD` in REST */
  | 'date'
  /** link to another record: `{ id, refName, links }` on GET */
  | 'reference'
  /** a value from a fixed list: `{ id, refName }` on GET */
  | 'select';

export interface FieldDefinition {
  /** REST field id; the SuiteQL column is its lower-case form. */
  name: string;
  label: string;
  type: FieldType;
  required?: boolean;
  /** For references: the record type pointed at. */
  references?: NetSuiteRecordType;
  /** For selects: option id → display name. */
  options?: Readonly<Record<string, string>>;
}

export interface RecordTypeDefinition {
  type: NetSuiteRecordType;
  /** The SuiteQL table that holds this type. */
  suiteqlTable: string;
  /** Constant SuiteQL columns (e.g. `transaction.type = 'CustInvc'` for invoices). */
  suiteqlConstants?: Readonly<Record<string, string>>;
  /** REST names of the system timestamps. */
  createdField: 'dateCreated' | 'created';
  modifiedField: 'lastModifiedDate' | 'lastModified';
  /** Fields whose first non-empty value is the record's `refName`. */
  refNameFields: readonly string[];
  fields: readonly FieldDefinition[];
}

const STANDARD = { createdField: 'dateCreated', modifiedField: 'lastModifiedDate' } as const;
const CUSTOM = { createdField: 'created', modifiedField: 'lastModified' } as const;

const isInactive: FieldDefinition = { name: 'isInactive', label: 'Inactive', type: 'boolean' };
const subsidiary: FieldDefinition = {
  name: 'subsidiary',
  label: 'Subsidiary',
  type: 'reference',
  references: 'subsidiary',
  required: true,
};
const currency: FieldDefinition = {
  name: 'currency',
  label: 'Currency',
  type: 'reference',
  references: 'currency',
  required: true,
};

const APPROVAL_STATUS = { '1': 'Pending Approval', '2': 'Approved', '3': 'Rejected' } as const;

const DEFINITIONS: readonly RecordTypeDefinition[] = [
  {
    type: 'currency',
    suiteqlTable: 'currency',
    ...STANDARD,
    refNameFields: ['name'],
    fields: [
      { name: 'name', label: 'Name', type: 'text', required: true },
      { name: 'symbol', label: 'ISO Code', type: 'text', required: true },
      { name: 'displaySymbol', label: 'Symbol', type: 'text' },
      { name: 'exchangeRate', label: 'Default Exchange Rate', type: 'decimal' },
      { name: 'isBaseCurrency', label: 'Base Currency', type: 'boolean' },
      isInactive,
    ],
  },
  {
    type: 'subsidiary',
    suiteqlTable: 'subsidiary',
    ...STANDARD,
    refNameFields: ['name'],
    fields: [
      { name: 'name', label: 'Name', type: 'text', required: true },
      { name: 'legalName', label: 'Legal Name', type: 'text' },
      { name: 'country', label: 'Country', type: 'text' },
      currency,
      { name: 'custrecord_sw_tax_regime', label: 'Tax Regime', type: 'text' },
      isInactive,
    ],
  },
  {
    type: 'employee',
    suiteqlTable: 'employee',
    ...STANDARD,
    refNameFields: ['entityId', 'lastName'],
    fields: [
      { name: 'entityId', label: 'Name', type: 'text' },
      { name: 'firstName', label: 'First Name', type: 'text', required: true },
      { name: 'lastName', label: 'Last Name', type: 'text', required: true },
      { name: 'email', label: 'Email', type: 'text' },
      { name: 'title', label: 'Job Title', type: 'text' },
      subsidiary,
      { name: 'laborCost', label: 'Labor Cost', type: 'money' },
      isInactive,
    ],
  },
  {
    type: 'serviceitem',
    suiteqlTable: 'item',
    suiteqlConstants: { itemtype: 'Service' },
    ...STANDARD,
    refNameFields: ['itemId'],
    fields: [
      { name: 'itemId', label: 'Item Name/Number', type: 'text', required: true },
      { name: 'displayName', label: 'Display Name', type: 'text' },
      { ...subsidiary, required: false },
      isInactive,
    ],
  },
  {
    type: 'customer',
    suiteqlTable: 'customer',
    ...STANDARD,
    refNameFields: ['entityId', 'companyName'],
    fields: [
      { name: 'entityId', label: 'Customer ID', type: 'text' },
      { name: 'companyName', label: 'Company Name', type: 'text', required: true },
      { name: 'email', label: 'Email', type: 'text' },
      { name: 'phone', label: 'Phone', type: 'text' },
      subsidiary,
      currency,
      { name: 'vatRegNumber', label: 'Tax Reg. Number', type: 'text' },
      { name: 'comments', label: 'Comments', type: 'text' },
      isInactive,
    ],
  },
  {
    type: 'job',
    suiteqlTable: 'job',
    ...STANDARD,
    refNameFields: ['entityId', 'companyName'],
    fields: [
      { name: 'entityId', label: 'Project ID', type: 'text' },
      { name: 'companyName', label: 'Project Name', type: 'text', required: true },
      { name: 'parent', label: 'Customer', type: 'reference', references: 'customer', required: true },
      subsidiary,
      currency,
      {
        name: 'entityStatus',
        label: 'Status',
        type: 'select',
        options: { '1': 'Closed', '2': 'In Progress', '3': 'Not Awarded', '4': 'Pending', '5': 'Awarded' },
      },
      { name: 'startDate', label: 'Start Date', type: 'date' },
      { name: 'projectedEndDate', label: 'Projected End Date', type: 'date' },
      {
        name: 'jobBillingType',
        label: 'Billing Type',
        type: 'select',
        options: {
          TM: 'Time and Materials',
          FBM: 'Fixed Bid, Milestone',
          FBI: 'Fixed Bid, Interval',
          CB: 'Charge-Based',
        },
      },
      { name: 'custentity_sw_practice', label: 'Practice', type: 'text' },
      { name: 'custentity_sw_cost_center', label: 'Cost Center', type: 'text' },
      { name: 'custentity_sw_revenue_treatment', label: 'Revenue Treatment', type: 'text' },
      { name: 'custentity_sw_budget', label: 'Budget', type: 'money' },
      { name: 'custentity_sw_budget_hours', label: 'Budget Hours', type: 'decimal' },
      { name: 'custentity_sw_opportunity_id', label: 'CRM Opportunity', type: 'text' },
      isInactive,
    ],
  },
  {
    type: 'projecttask',
    suiteqlTable: 'projecttask',
    ...STANDARD,
    refNameFields: ['title'],
    fields: [
      { name: 'company', label: 'Project', type: 'reference', references: 'job', required: true },
      { name: 'title', label: 'Name', type: 'text', required: true },
      { name: 'isMilestone', label: 'Milestone', type: 'boolean' },
      {
        name: 'status',
        label: 'Status',
        type: 'select',
        options: { NOTSTART: 'Not Started', PROGRESS: 'In Progress', COMPLETE: 'Completed' },
      },
      { name: 'startDate', label: 'Start Date', type: 'date' },
      { name: 'endDate', label: 'End Date', type: 'date' },
      { name: 'custevent_sw_billing_amount', label: 'Billing Amount', type: 'money' },
      { name: 'custevent_sw_currency', label: 'Billing Currency', type: 'reference', references: 'currency' },
      { name: 'custevent_sw_subsidiary', label: 'Subsidiary', type: 'reference', references: 'subsidiary' },
      { name: 'custevent_sw_completed_date', label: 'Completed On', type: 'date' },
      { name: 'custevent_sw_billed_invoice', label: 'Billed On Invoice', type: 'text' },
    ],
  },
  {
    type: 'timebill',
    suiteqlTable: 'timebill',
    ...STANDARD,
    refNameFields: [],
    fields: [
      { name: 'employee', label: 'Employee', type: 'reference', references: 'employee', required: true },
      { name: 'customer', label: 'Customer:Project', type: 'reference', references: 'job', required: true },
      { name: 'item', label: 'Service Item', type: 'reference', references: 'serviceitem' },
      { name: 'tranDate', label: 'Date', type: 'date', required: true },
      { name: 'hours', label: 'Duration', type: 'decimal', required: true },
      { name: 'rate', label: 'Rate', type: 'money' },
      { name: 'isBillable', label: 'Billable', type: 'boolean' },
      { name: 'approvalStatus', label: 'Approval Status', type: 'select', options: APPROVAL_STATUS },
      { name: 'memo', label: 'Memo', type: 'text' },
      subsidiary,
      { name: 'custcol_sw_role', label: 'Role', type: 'text' },
      // The billing invoice the time was billed on; empty while unbilled.
      { name: 'custcol_sw_billed_invoice', label: 'Billed On Invoice', type: 'text' },
    ],
  },
  {
    type: 'invoice',
    suiteqlTable: 'transaction',
    suiteqlConstants: { type: 'CustInvc', recordtype: 'invoice' },
    ...STANDARD,
    refNameFields: ['tranId'],
    fields: [
      { name: 'tranId', label: 'Invoice #', type: 'text' },
      { name: 'entity', label: 'Customer', type: 'reference', references: 'customer', required: true },
      { name: 'job', label: 'Project', type: 'reference', references: 'job' },
      subsidiary,
      currency,
      { name: 'tranDate', label: 'Date', type: 'date', required: true },
      { name: 'dueDate', label: 'Due Date', type: 'date' },
      {
        name: 'status',
        label: 'Status',
        type: 'select',
        options: { A: 'Open', B: 'Paid In Full', V: 'Voided' },
      },
      { name: 'total', label: 'Total', type: 'money' },
      { name: 'taxTotal', label: 'Tax', type: 'money' },
      { name: 'amountRemaining', label: 'Amount Remaining', type: 'money' },
      { name: 'memo', label: 'Memo', type: 'text' },
      { name: 'custbody_sw_stripe_invoice_id', label: 'Stripe Invoice', type: 'text' },
      { name: 'custbody_sw_billing_status', label: 'Billing Status', type: 'text' },
    ],
  },
  {
    type: 'customrecord_sw_ratecard',
    suiteqlTable: 'customrecord_sw_ratecard',
    ...CUSTOM,
    refNameFields: ['name'],
    fields: [
      { name: 'name', label: 'Name', type: 'text' },
      { name: 'custrecord_sw_rc_project', label: 'Project', type: 'reference', references: 'job', required: true },
      { name: 'custrecord_sw_rc_item', label: 'Service Item', type: 'reference', references: 'serviceitem' },
      { name: 'custrecord_sw_rc_role', label: 'Role', type: 'text' },
      { name: 'custrecord_sw_rc_rate', label: 'Rate', type: 'money', required: true },
      {
        name: 'custrecord_sw_rc_currency',
        label: 'Currency',
        type: 'reference',
        references: 'currency',
        required: true,
      },
      { name: 'custrecord_sw_rc_subsidiary', label: 'Subsidiary', type: 'reference', references: 'subsidiary' },
      { name: 'custrecord_sw_rc_effective_from', label: 'Effective From', type: 'date' },
      { name: 'custrecord_sw_rc_effective_to', label: 'Effective To', type: 'date' },
      isInactive,
    ],
  },
  {
    type: 'customrecord_sw_changeorder',
    suiteqlTable: 'customrecord_sw_changeorder',
    ...CUSTOM,
    refNameFields: ['name'],
    fields: [
      { name: 'name', label: 'Name', type: 'text' },
      { name: 'custrecord_sw_co_project', label: 'Project', type: 'reference', references: 'job', required: true },
      { name: 'custrecord_sw_co_amount', label: 'Amount', type: 'money', required: true },
      { name: 'custrecord_sw_co_hours', label: 'Hours', type: 'decimal' },
      {
        name: 'custrecord_sw_co_currency',
        label: 'Currency',
        type: 'reference',
        references: 'currency',
        required: true,
      },
      { name: 'custrecord_sw_co_subsidiary', label: 'Subsidiary', type: 'reference', references: 'subsidiary' },
      { name: 'custrecord_sw_co_status', label: 'Status', type: 'select', options: APPROVAL_STATUS },
      { name: 'custrecord_sw_co_description', label: 'Description', type: 'text' },
      { name: 'custrecord_sw_co_effective_date', label: 'Effective Date', type: 'date' },
      { name: 'custrecord_sw_co_crm_id', label: 'CRM Change Order', type: 'text' },
      isInactive,
    ],
  },
  {
    type: 'customrecord_sw_retainer_period',
    suiteqlTable: 'customrecord_sw_retainer_period',
    ...CUSTOM,
    refNameFields: ['name'],
    fields: [
      { name: 'name', label: 'Name', type: 'text' },
      { name: 'custrecord_sw_rp_project', label: 'Project', type: 'reference', references: 'job', required: true },
      // The month the fee is for, YYYY-MM.
      { name: 'custrecord_sw_rp_period', label: 'Period', type: 'text', required: true },
      { name: 'custrecord_sw_rp_fee', label: 'Fee', type: 'money', required: true },
      {
        name: 'custrecord_sw_rp_currency',
        label: 'Currency',
        type: 'reference',
        references: 'currency',
        required: true,
      },
      { name: 'custrecord_sw_rp_subsidiary', label: 'Subsidiary', type: 'reference', references: 'subsidiary' },
      // The billing invoice the fee was billed on; empty while unbilled.
      { name: 'custrecord_sw_rp_billed_invoice', label: 'Billed On Invoice', type: 'text' },
      isInactive,
    ],
  },
];

const BY_TYPE = new Map<string, RecordTypeDefinition>(DEFINITIONS.map((d) => [d.type, d]));

/** The definition for a REST record type, matched case-insensitively as NetSuite does. */
export function recordTypeDefinition(type: string): RecordTypeDefinition | undefined {
  return BY_TYPE.get(type.toLowerCase());
}

export function requireRecordType(type: NetSuiteRecordType): RecordTypeDefinition {
  const definition = BY_TYPE.get(type);
  if (!definition) throw new Error(`unknown NetSuite record type: ${type}`);
  return definition;
}

export function allRecordTypes(): readonly RecordTypeDefinition[] {
  return DEFINITIONS;
}

/** The stored column of a field: its SuiteQL name. */
export function columnName(field: FieldDefinition): string {
  return field.name.toLowerCase();
}

const BY_SUITEQL_TABLE = new Map<string, RecordTypeDefinition>(DEFINITIONS.map((d) => [d.suiteqlTable, d]));

/** The definition behind a SuiteQL table name (any case). */
export function recordTypeForSuiteqlTable(table: string): RecordTypeDefinition | undefined {
  return BY_SUITEQL_TABLE.get(table.toLowerCase());
}
