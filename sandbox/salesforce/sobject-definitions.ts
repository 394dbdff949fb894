import Decimal from 'decimal.js';

/**
 * The emulated objects and their fields, in one place: storage, validation, SOQL, describe and the
 * bulk loader all read these definitions, so adding a field here adds it everywhere.
 */

export const SOBJECT_NAMES = ['Account', 'Opportunity', 'OpportunityLineItem', 'ChangeOrder__c'] as const;
export type SObjectName = (typeof SOBJECT_NAMES)[number];

/** Key prefixes: the first three characters of every id of an object. */
export const KEY_PREFIX: Readonly<Record<SObjectName, string>> = {
  Account: '001',
  Opportunity: '006',
  OpportunityLineItem: '00k',
  ChangeOrder__c: 'a0X',
};
export const ORGANIZATION_KEY_PREFIX = '00D';
export const USER_KEY_PREFIX = '005';
export const QUERY_LOCATOR_KEY_PREFIX = '01g';

export type FieldType =
  | 'id'
  | 'reference'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'currency'
  | 'double'
  | 'percent'
  | 'boolean'
  | 'date'
  | 'datetime';

/**
 * A value as the emulator holds it between the API and the database: text for ids and strings,
 * 'YYYY-MM-DD' for dates, ISO-8601 UTC for datetimes, Decimal for numbers.
 */
export type StoredValue = string | boolean | Decimal | null;
export type StoredRecord = Record<string, StoredValue>;

export interface FieldDefinition {
  name: string;
  label: string;
  type: FieldType;
  /** Maximum length of text fields. */
  length?: number;
  /** Digits in total and after the point, for numbers; values are rounded to `scale`. */
  precision?: number;
  scale?: number;
  /** Creating without it, or clearing it, fails with REQUIRED_FIELD_MISSING. */
  required: boolean;
  createable: boolean;
  updateable: boolean;
  externalId: boolean;
  /** Unique among live records, case-insensitively; a clash fails with DUPLICATE_VALUE. */
  unique: boolean;
  /** Target object of a reference, and the relationship name SOQL uses to reach it. */
  referenceTo?: SObjectName | 'User';
  relationshipName?: string;
  picklist?: { values: readonly string[]; restricted: boolean };
}

export interface ValidationRule {
  /** Returns the error for a record that breaks the rule, else null. */
  check(record: StoredRecord): { message: string; fields: string[] } | null;
}

export interface DeriveContext {
  /** The record before this change; absent on create. */
  previous?: StoredRecord;
  /** Fields the caller set in this request. */
  provided: ReadonlySet<string>;
  /** The next value of the object's auto-number. */
  autoNumber: () => Promise<number>;
}

export interface SObjectDefinition {
  name: SObjectName;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  table: string;
  custom: boolean;
  fields: FieldDefinition[];
  /** Sets calculated fields on a record about to be saved. Pure apart from the auto-number. */
  derive?: (record: StoredRecord, context: DeriveContext) => Promise<void> | void;
  validationRules: ValidationRule[];
}

type FieldOptions = Partial<Omit<FieldDefinition, 'name' | 'label' | 'type'>>;

function field(name: string, label: string, type: FieldType, options: FieldOptions = {}): FieldDefinition {
  return {
    name,
    label,
    type,
    required: false,
    createable: true,
    updateable: true,
    externalId: false,
    unique: false,
    ...options,
  };
}

const text = (name: string, label: string, length = 255, options: FieldOptions = {}) =>
  field(name, label, 'string', { length, ...options });
const picklist = (
  name: string,
  label: string,
  values: readonly string[],
  restricted = false,
  options: FieldOptions = {},
) => field(name, label, 'picklist', { length: 255, picklist: { values, restricted }, ...options });
const currency = (name: string, label: string, options: FieldOptions = {}) =>
  field(name, label, 'currency', { precision: 18, scale: 2, ...options });
const readOnly: FieldOptions = { createable: false, updateable: false };

/** Currencies enabled in the emulated multi-currency org; the first is the corporate currency. */
export const ORG_CURRENCIES = ['USD', 'GBP', 'EUR'] as const;

function systemFields(): FieldDefinition[] {
  return [
    field('Id', 'Record ID', 'id', { length: 18, ...readOnly }),
    field('IsDeleted', 'Deleted', 'boolean', readOnly),
  ];
}

function auditFields(): FieldDefinition[] {
  return [
    field('CreatedDate', 'Created Date', 'datetime', readOnly),
    field('CreatedById', 'Created By ID', 'reference', { length: 18, referenceTo: 'User', ...readOnly }),
    field('LastModifiedDate', 'Last Modified Date', 'datetime', readOnly),
    field('LastModifiedById', 'Last Modified By ID', 'reference', { length: 18, referenceTo: 'User', ...readOnly }),
    field('SystemModstamp', 'System Modstamp', 'datetime', readOnly),
  ];
}

const currencyField = () => picklist('CurrencyIsoCode', 'Currency ISO Code', ORG_CURRENCIES, true, { length: 3 });
const syncwrightId = () => text('Syncwright_Id__c', 'Syncwright ID', 255, { externalId: true });

/** Default probability (percent) of each standard opportunity stage. */
const STAGE_PROBABILITY: Record<string, number> = {
  prospecting: 10,
  qualification: 10,
  'needs analysis': 20,
  'value proposition': 50,
  'id. decision makers': 60,
  'perception analysis': 70,
  'proposal/price quote': 75,
  'negotiation/review': 90,
  'closed won': 100,
  'closed lost': 0,
};

const account: SObjectDefinition = {
  name: 'Account',
  label: 'Account',
  labelPlural: 'Accounts',
  keyPrefix: KEY_PREFIX.Account,
  table: 'account',
  custom: false,
  fields: [
    ...systemFields(),
    text('Name', 'Account Name', 255, { required: true }),
    picklist('Type', 'Account Type', [
      'Prospect',
      'Customer - Direct',
      'Customer - Channel',
      'Channel Partner / Reseller',
      'Installation Partner',
      'Technology Partner',
      'Other',
    ]),
    picklist('Industry', 'Industry', [
      'Banking',
      'Consulting',
      'Education',
      'Energy',
      'Finance',
      'Government',
      'Healthcare',
      'Insurance',
      'Manufacturing',
      'Media',
      'Retail',
      'Technology',
      'Telecommunications',
      'Other',
    ]),
    text('BillingCountry', 'Billing Country', 80),
    currencyField(),
    picklist('Legal_Entity__c', 'Legal Entity', ['US', 'UK', 'DE']),
    text('Tax_Registration__c', 'Tax Registration', 64),
    syncwrightId(),
    ...auditFields(),
  ],
  validationRules: [],
};

const opportunity: SObjectDefinition = {
  name: 'Opportunity',
  label: 'Opportunity',
  labelPlural: 'Opportunities',
  keyPrefix: KEY_PREFIX.Opportunity,
  table: 'opportunity',
  custom: false,
  fields: [
    ...systemFields(),
    text('Name', 'Name', 120, { required: true }),
    field('AccountId', 'Account ID', 'reference', { length: 18, referenceTo: 'Account', relationshipName: 'Account' }),
    picklist('StageName', 'Stage', Object.keys(STAGE_PROBABILITY).map(titleCase), false, { required: true }),
    field('CloseDate', 'Close Date', 'date', { required: true }),
    currency('Amount', 'Amount'),
    currencyField(),
    field('Probability', 'Probability (%)', 'percent', { precision: 3, scale: 0 }),
    field('IsClosed', 'Closed', 'boolean', readOnly),
    field('IsWon', 'Won', 'boolean', readOnly),
    picklist('Legal_Entity__c', 'Legal Entity', ['US', 'UK', 'DE']),
    text('Practice__c', 'Practice', 80),
    text('Cost_Center__c', 'Cost Center', 80),
    picklist('Billing_Model__c', 'Billing Model', ['time_and_materials', 'fixed_fee', 'retainer'], true),
    picklist('Project_Status__c', 'Project Status', [
      'Not Started',
      'Activation Pending',
      'Active',
      'On Hold',
      'Completed',
    ]),
    text('ERP_Project_Id__c', 'ERP Project ID', 64, { externalId: true, unique: true }),
    picklist('Last_Invoice_Status__c', 'Last Invoice Status', [
      'draft',
      'open',
      'paid',
      'void',
      'uncollectible',
      'rejected',
    ]),
    syncwrightId(),
    ...auditFields(),
  ],
  derive(record, { previous, provided }) {
    const stage = typeof record.StageName === 'string' ? record.StageName.toLowerCase() : '';
    record.IsClosed = stage === 'closed won' || stage === 'closed lost';
    record.IsWon = stage === 'closed won';
    const stageChanged = !previous || String(previous.StageName ?? '').toLowerCase() !== stage;
    if (stageChanged && !provided.has('Probability') && stage in STAGE_PROBABILITY) {
      record.Probability = new Decimal(STAGE_PROBABILITY[stage] ?? 0);
    }
  },
  validationRules: [
    {
      check: (record) =>
        record.Amount instanceof Decimal && record.Amount.isNegative()
          ? { message: 'Amount cannot be negative.', fields: ['Amount'] }
          : null,
    },
  ],
};

const opportunityLineItem: SObjectDefinition = {
  name: 'OpportunityLineItem',
  label: 'Opportunity Product',
  labelPlural: 'Opportunity Product',
  keyPrefix: KEY_PREFIX.OpportunityLineItem,
  table: 'opportunity_line_item',
  custom: false,
  fields: [
    ...systemFields(),
    field('OpportunityId', 'Opportunity ID', 'reference', {
      length: 18,
      referenceTo: 'Opportunity',
      relationshipName: 'Opportunity',
      required: true,
      updateable: false,
    }),
    text('Name', 'Opportunity Product Name', 376),
    field('Quantity', 'Quantity', 'double', { precision: 12, scale: 2, required: true }),
    currency('UnitPrice', 'Sales Price'),
    currency('TotalPrice', 'Total Price'),
    text('Role__c', 'Role', 80),
    ...auditFields(),
  ],
  derive(record, { provided }) {
    // As on the real object: the caller gives the unit price or the total, and the other follows.
    // Both given (seed data) are kept as they are.
    const quantity = record.Quantity instanceof Decimal ? record.Quantity : null;
    if (!quantity || (provided.has('TotalPrice') && provided.has('UnitPrice'))) return;
    if (provided.has('TotalPrice') && record.TotalPrice instanceof Decimal) {
      record.UnitPrice = quantity.isZero() ? null : record.TotalPrice.dividedBy(quantity).toDecimalPlaces(2);
    } else if (record.UnitPrice instanceof Decimal) {
      record.TotalPrice = record.UnitPrice.times(quantity).toDecimalPlaces(2);
    }
  },
  validationRules: [
    {
      check: (record) =>
        record.Quantity instanceof Decimal && !record.Quantity.isPositive()
          ? { message: 'Quantity must be greater than zero.', fields: ['Quantity'] }
          : null,
    },
  ],
};

const changeOrder: SObjectDefinition = {
  name: 'ChangeOrder__c',
  label: 'Change Order',
  labelPlural: 'Change Orders',
  keyPrefix: KEY_PREFIX.ChangeOrder__c,
  table: 'change_order__c',
  custom: true,
  fields: [
    ...systemFields(),
    text('Name', 'Change Order Number', 80, { createable: false, updateable: false }),
    field('Opportunity__c', 'Opportunity', 'reference', {
      length: 18,
      referenceTo: 'Opportunity',
      relationshipName: 'Opportunity__r',
      required: true,
    }),
    currency('Amount__c', 'Amount'),
    currencyField(),
    picklist('Status__c', 'Status', ['Draft', 'Submitted', 'Approved', 'Rejected']),
    field('Approved_Date__c', 'Approved Date', 'date'),
    field('Description__c', 'Description', 'textarea', { length: 32768 }),
    syncwrightId(),
    ...auditFields(),
  ],
  async derive(record, { previous, autoNumber }) {
    if (!previous) record.Name = `CO-${String(await autoNumber()).padStart(6, '0')}`;
  },
  validationRules: [
    {
      check: (record) =>
        typeof record.Status__c === 'string' &&
        record.Status__c.toLowerCase() === 'approved' &&
        !record.Approved_Date__c
          ? { message: 'An approved change order needs an approval date.', fields: ['Approved_Date__c'] }
          : null,
    },
  ],
};

function titleCase(stage: string): string {
  const special: Record<string, string> = { 'id. decision makers': 'Id. Decision Makers' };
  return special[stage] ?? stage.replace(/(^|[\s/])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}

export const SOBJECTS: Readonly<Record<SObjectName, SObjectDefinition>> = {
  Account: account,
  Opportunity: opportunity,
  OpportunityLineItem: opportunityLineItem,
  ChangeOrder__c: changeOrder,
};

const byLowerName = new Map<string, SObjectDefinition>(
  Object.values(SOBJECTS).map((definition) => [definition.name.toLowerCase(), definition]),
);
/** Per object: fields by exact API name and by lower-cased name (exact hits skip the lowering). */
const fieldIndex = new Map<SObjectDefinition, Map<string, FieldDefinition>>(
  Object.values(SOBJECTS).map((definition) => [
    definition,
    new Map(definition.fields.flatMap((f) => [[f.name, f] as const, [f.name.toLowerCase(), f] as const])),
  ]),
);

/** The object named `name`, matched case-insensitively as Salesforce does. */
export function findSObject(name: string): SObjectDefinition | undefined {
  return byLowerName.get(name.toLowerCase());
}

/** The field named `name` on an object, matched case-insensitively. */
export function findField(definition: SObjectDefinition, name: string): FieldDefinition | undefined {
  const fields = fieldIndex.get(definition);
  return fields?.get(name) ?? fields?.get(name.toLowerCase());
}

/** The reference field whose relationship is called `relationshipName`, matched case-insensitively. */
export function findRelationship(definition: SObjectDefinition, relationshipName: string): FieldDefinition | undefined {
  const wanted = relationshipName.toLowerCase();
  return definition.fields.find((f) => f.relationshipName?.toLowerCase() === wanted);
}

export function isNumericType(type: FieldType): boolean {
  return type === 'currency' || type === 'double' || type === 'percent';
}

export function isTextType(type: FieldType): boolean {
  return type === 'string' || type === 'textarea' || type === 'picklist';
}

export function isIdType(type: FieldType): boolean {
  return type === 'id' || type === 'reference';
}
