import type pg from 'pg';
import { bulkInsertSObjects } from '@/sandbox/salesforce/bulk-insert';
import type { SObjectName } from '@/sandbox/salesforce/sobject-definitions';
import type { Firm } from './firm-model';
import type { SystemLoadOptions } from './load-netsuite';
import {
  salesforceAccounts,
  salesforceChangeOrders,
  salesforceLineItems,
  salesforceOpportunities,
  type SalesforceRecord,
} from './map-salesforce';

/** Loads the firm's CRM side; returns rows loaded per object. */
export async function loadSalesforce(
  pool: pg.Pool,
  firm: Firm,
  options: SystemLoadOptions = {},
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const insert = async (sobject: SObjectName, records: SalesforceRecord[]) => {
    await bulkInsertSObjects(pool, sobject, records, { schema: options.schema, now: options.now });
    counts[`salesforce.${sobject}`] = records.length;
  };
  await insert('Account', salesforceAccounts(firm));
  await insert('Opportunity', salesforceOpportunities(firm));
  await insert('OpportunityLineItem', salesforceLineItems(firm));
  await insert('ChangeOrder__c', salesforceChangeOrders(firm));
  return counts;
}
