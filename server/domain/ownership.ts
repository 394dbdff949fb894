import type { SystemName } from './canonical/canonical-record';
import type { TeamName } from './routing';

export interface OwnershipRuleInput {
  objectType: string;
  /** "*" covers every attribute no other rule of the object names. */
  attribute: string;
  owner: SystemName;
  team: TeamName;
}

export interface OwnershipConflict {
  attribute: string;
  owner: SystemName;
  team: TeamName;
}

/** The rule that decides one attribute: its own, else the object's "*". */
export function ruleFor(rules: readonly OwnershipRuleInput[], objectType: string, attribute: string) {
  return (
    rules.find((r) => r.objectType === objectType && r.attribute === attribute) ??
    rules.find((r) => r.objectType === objectType && r.attribute === '*')
  );
}

/**
 * Splits a change coming from `source` into what it may write and what it may not. An attribute
 * with no rule at all is refused: ownership must be declared, not assumed.
 */
export function checkOwnership(
  rules: readonly OwnershipRuleInput[],
  change: { objectType: string; source: SystemName; attributes: readonly string[] },
): { allowed: string[]; conflicts: OwnershipConflict[] } {
  const allowed: string[] = [];
  const conflicts: OwnershipConflict[] = [];
  for (const attribute of change.attributes) {
    const rule = ruleFor(rules, change.objectType, attribute);
    if (rule && rule.owner === change.source) allowed.push(attribute);
    else conflicts.push({ attribute, owner: rule?.owner ?? change.source, team: rule?.team ?? 'integration' });
  }
  return { allowed, conflicts };
}

/** Billing owns the billing reference of billed work: the invoice it went onto, written back to
 *  the ERP record. Added after the first defaults, so installs seeded before get it as a version. */
export const BILLING_REFERENCE_RULES: OwnershipRuleInput[] = (['TimeEntry', 'Milestone', 'RetainerFee'] as const).map(
  (objectType) => ({ objectType, attribute: 'billedInvoice', owner: 'stripe', team: 'finance' }),
);

/** Billing owns the invoices it raises and collects: their total, the day issued and the amount paid,
 *  written back to the ERP invoice. Added after the first defaults, like the billing reference. */
export const BILLING_INVOICE_RULES: OwnershipRuleInput[] = (['total', 'issuedOn', 'amountPaid'] as const).map(
  (attribute) => ({ objectType: 'Invoice', attribute, owner: 'stripe', team: 'finance' }),
);

/** The CRM owns a project's budget: the amount the deal was sold for becomes it. Named apart from
 *  the project's other attributes (the ERP's) so it can be handed to the ERP on its own. Added after
 *  the first defaults, like the billing reference. */
export const PROJECT_BUDGET_RULES: OwnershipRuleInput[] = [
  { objectType: 'Project', attribute: 'budget', owner: 'salesforce', team: 'operations' },
];

/** The seeded defaults: the CRM owns the deal and the account's commercial fields, the ERP owns
 *  project structure and financial execution and the customer's tax registration, billing owns
 *  invoice status, what it invoiced and collected, and what work was billed on. */
export const DEFAULT_OWNERSHIP_RULES: OwnershipRuleInput[] = [
  { objectType: 'Customer', attribute: '*', owner: 'salesforce', team: 'operations' },
  { objectType: 'Customer', attribute: 'taxRegistration', owner: 'netsuite', team: 'finance' },
  { objectType: 'Engagement', attribute: '*', owner: 'salesforce', team: 'operations' },
  { objectType: 'Project', attribute: '*', owner: 'netsuite', team: 'operations' },
  ...PROJECT_BUDGET_RULES,
  { objectType: 'RateCard', attribute: '*', owner: 'netsuite', team: 'operations' },
  { objectType: 'TimeEntry', attribute: '*', owner: 'netsuite', team: 'operations' },
  { objectType: 'Expense', attribute: '*', owner: 'netsuite', team: 'operations' },
  { objectType: 'Milestone', attribute: '*', owner: 'netsuite', team: 'operations' },
  { objectType: 'RetainerFee', attribute: '*', owner: 'netsuite', team: 'operations' },
  ...BILLING_REFERENCE_RULES,
  { objectType: 'ChangeOrder', attribute: '*', owner: 'salesforce', team: 'operations' },
  { objectType: 'Invoice', attribute: '*', owner: 'netsuite', team: 'finance' },
  { objectType: 'Invoice', attribute: 'status', owner: 'stripe', team: 'finance' },
  ...BILLING_INVOICE_RULES,
  { objectType: 'Payment', attribute: '*', owner: 'stripe', team: 'finance' },
];
