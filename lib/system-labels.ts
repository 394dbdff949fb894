/** How the console names each external system; shared by server messages and components. */
export const SYSTEM_LABELS = { salesforce: 'Salesforce', netsuite: 'NetSuite', stripe: 'Stripe' } as const;
