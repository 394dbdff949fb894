/** How the console names each external system; shared by server messages and components. */
export const SYSTEM_LABELS = { salesforce: 'Salesforce', netsuite: 'NetSuite', stripe: 'Stripe' } as const;

/** The words for the object types the systems' APIs name (`invoiceitem`, `timebill`, `ChangeOrder__c`). */
const OBJECT_TYPE_LABELS: Record<string, string> = {
  invoiceitem: 'invoice item',
  timebill: 'time bill',
  job: 'project',
  projecttask: 'project task',
  customrecord_sw_changeorder: 'change order',
  customrecord_sw_ratecard: 'rate card',
  customrecord_sw_retainer_period: 'retainer period',
  ChangeOrder__c: 'change order',
};

export function objectTypeLabel(type: string): string {
  return OBJECT_TYPE_LABELS[type] ?? type.toLowerCase();
}
