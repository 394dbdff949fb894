/**
 * The stable codes an exception can carry, in words finance and operations use. Business codes
 * are raised at once; technical ones after the retry budget is spent or when a connection fails.
 */
export interface ExceptionCode {
  kind: 'business' | 'technical';
  title: string;
  /** What the person triaging it should do. */
  remedy: string;
  /** Where the cause is fixed in the console, when it is fixed there. */
  fixIn?: { label: string; href: string };
  /** Source fields the check reads (matched against the held record's field names). */
  involves?: RegExp;
}

const MAPPINGS = { label: 'Admin → Mappings', href: '/admin/mappings' };
const CONNECTIONS = { label: 'Admin → Connections', href: '/admin/connections' };

export const EXCEPTION_CATALOGUE = {
  TAX_CODE_MISSING: {
    kind: 'business',
    title: 'Tax code missing',
    remedy: 'Map the customer’s tax registration to a tax code for this legal entity, then replay.',
    fixIn: MAPPINGS,
    involves: /tax|customer|entity|subsidiary/i,
  },
  RATE_CARD_MISSING: {
    kind: 'business',
    title: 'Rate card missing',
    remedy: 'Add a rate for this project and role in the ERP, then replay.',
    involves: /role|rate|project|customer/i,
  },
  CUSTOMER_UNRESOLVED: {
    kind: 'business',
    title: 'Customer not resolved',
    remedy: 'Link the account to its customer in the ERP (or create it), then replay.',
    involves: /customer|account|parent|entity/i,
  },
  DUPLICATE_ACCOUNT: {
    kind: 'business',
    title: 'Account exists twice',
    remedy: 'Merge the duplicate accounts in the CRM so one customer remains, then replay.',
    involves: /account|name/i,
  },
  CURRENCY_MISMATCH: {
    kind: 'business',
    title: 'Currency does not match the legal entity',
    remedy: 'Correct the currency on the source record (or bill it from the right entity), then replay.',
    involves: /currency|entity|subsidiary/i,
  },
  OWNERSHIP_CONFLICT: {
    kind: 'business',
    title: 'Change from a system that does not own the field',
    remedy: 'Make the change in the system of record, or revert it at the source.',
    fixIn: { label: 'Admin → Ownership rules', href: '/admin/ownership' },
  },
  VALIDATION_FAILED: {
    kind: 'business',
    title: 'Record is incomplete or malformed',
    remedy: 'Fix the fields named in the message at the source, then replay.',
  },
  MAPPING_MISSING: {
    kind: 'business',
    title: 'Field mapping missing',
    remedy: 'Add the mapping for this value under Admin → Mappings, then replay.',
    fixIn: MAPPINGS,
  },
  PRACTICE_UNMAPPED: {
    kind: 'business',
    title: 'Practice not mapped',
    remedy: 'Map the deal’s practice to the ERP’s practice for this legal entity under Admin → Mappings, then replay.',
    fixIn: MAPPINGS,
    involves: /practice/i,
  },
  COST_CENTER_UNMAPPED: {
    kind: 'business',
    title: 'Cost center not mapped',
    remedy:
      'Map the deal’s cost center to the ERP’s cost center for this legal entity under Admin → Mappings, then replay.',
    fixIn: MAPPINGS,
    involves: /cost_?center/i,
  },
  ITEM_UNMAPPED: {
    kind: 'business',
    title: 'Billing item not mapped',
    remedy: 'Map this kind of work to its billing product for this legal entity under Admin → Mappings, then replay.',
    fixIn: MAPPINGS,
    involves: /role|item|milestone|retainer/i,
  },
  TARGET_REJECTED: {
    kind: 'business',
    title: 'Target system rejected the record',
    remedy: 'Read the target’s message, fix the record or its mapping, then replay.',
    fixIn: MAPPINGS,
  },
  DELIVERED_LINE_CHANGED: {
    kind: 'business',
    title: 'Line changed after it was invoiced',
    remedy:
      'The invoice is no longer a draft, so billing was left as it is: compare the amount invoiced with the amount now and issue a credit note or an additional charge in billing.',
  },
  RETRIES_EXHAUSTED: {
    kind: 'technical',
    title: 'Target unavailable after retries',
    remedy: 'Check the connection’s health; replay once the target answers again.',
    fixIn: CONNECTIONS,
  },
  AUTH_FAILED: {
    kind: 'technical',
    title: 'Credentials refused',
    remedy: 'Renew the connection’s credentials under Admin → Connections, then replay.',
    fixIn: CONNECTIONS,
  },
  CONFIG_ERROR: {
    kind: 'technical',
    title: 'Connection misconfigured',
    remedy: 'Check the connection’s base URL and object settings, then replay.',
    fixIn: CONNECTIONS,
  },
} as const satisfies Record<string, ExceptionCode>;

export type ExceptionCodeName = keyof typeof EXCEPTION_CATALOGUE;
export const EXCEPTION_CODES = Object.keys(EXCEPTION_CATALOGUE) as ExceptionCodeName[];
