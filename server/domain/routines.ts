/** The four sync routines (DESIGN.md, "Sync routines"). */
export const ROUTINES = ['project_activation', 'billing_eligibility', 'invoice_status', 'change_orders'] as const;
export type RoutineName = (typeof ROUTINES)[number];

export const ROUTINE_LABELS: Record<RoutineName, string> = {
  project_activation: 'Project activation',
  billing_eligibility: 'Billing eligibility',
  invoice_status: 'Invoice status',
  change_orders: 'Change orders',
};
