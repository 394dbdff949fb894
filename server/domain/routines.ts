import type { SystemName } from './canonical/canonical-record';

/** The four sync routines (DESIGN.md, "Sync routines"), in the order the console lists them. */
export const ROUTINES = ['project_activation', 'billing_eligibility', 'invoice_status', 'change_orders'] as const;
export type RoutineName = (typeof ROUTINES)[number];

export interface RoutineFacts {
  label: string;
  /** The system the routine reads; a run covers one connection to it and one legal entity. */
  sourceSystem: SystemName;
}

/**
 * What every part of the product (scheduler, pipeline, console) needs to know about a routine.
 * Its targets are not here: each routine finds its target connections where it uses them.
 */
export const ROUTINE_FACTS: Record<RoutineName, RoutineFacts> = {
  project_activation: { label: 'Project activation', sourceSystem: 'salesforce' },
  billing_eligibility: { label: 'Billing eligibility', sourceSystem: 'netsuite' },
  invoice_status: { label: 'Invoice status', sourceSystem: 'stripe' },
  change_orders: { label: 'Change orders', sourceSystem: 'salesforce' },
};
