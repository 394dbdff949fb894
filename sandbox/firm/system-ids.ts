import { KEY_PREFIX } from '@/sandbox/salesforce/sobject-definitions';
import { salesforceId } from '@/sandbox/salesforce/salesforce-id';
import { stripeId } from '@/sandbox/stripe/stripe-ids';
import type { Firm, FirmRef, PlantedProblem } from './firm-model';
import { firmSequence } from './firm-ids';
import { ROLES, type CurrencyCode, type Role } from './reference-data';

/**
 * The id each firm record has in each system, derived from its sequence number so that the
 * loaders, the manifest and the tests agree without a lookup table.
 *
 * NetSuite internal ids are per record type; the seeded ranges keep the entity types (customer,
 * project, employee) apart as one NetSuite account's entity list would.
 */
export const sfAccountId = (n: number) => salesforceId(KEY_PREFIX.Account, n);
export const sfOpportunityId = (n: number) => salesforceId(KEY_PREFIX.Opportunity, n);
export const sfLineItemId = (n: number) => salesforceId(KEY_PREFIX.OpportunityLineItem, n);
export const sfChangeOrderId = (n: number) => salesforceId(KEY_PREFIX.ChangeOrder__c, n);

export const NS_CURRENCY_ID: Record<CurrencyCode, number> = { USD: 1, GBP: 2, EUR: 3 };
export const nsCustomerId = (n: number) => 1_000 + n;
export const nsJobId = (n: number) => 5_000 + n;
export const nsEmployeeId = (n: number) => 20_000 + n;
export const nsServiceItemId = (roleId: Role['id']) => 100 + ROLES.findIndex((r) => r.id === roleId) + 1;
export const nsMilestoneId = (n: number) => 40_000 + n;
export const nsInvoiceId = (n: number) => 100_000 + n;
export const nsRateCardId = (n: number) => n;
export const nsChangeOrderId = (n: number) => n;
export const nsRetainerPeriodId = (n: number) => n;
export const nsTimeBillId = (n: number) => n;

export const stripeCustomerId = (n: number) => stripeId('cus', n);
export const stripeInvoiceId = (n: number) => stripeId('in', n);
export const stripeInvoiceItemId = (n: number) => stripeId('ii', n);

export type SystemName = 'salesforce' | 'netsuite' | 'stripe';

/** One record in one system, as a test or a person would look it up there. */
export interface SystemRecordRef {
  system: SystemName;
  /** Salesforce sObject, NetSuite record type or Stripe object. */
  object: string;
  id: string;
}

export interface PlantedProblemManifestEntry {
  kind: PlantedProblem['kind'];
  system: SystemName;
  description: string;
  firmRefs: FirmRef[];
  records: SystemRecordRef[];
}

/** Which systems hold each firm record, and under which ids. */
export function systemRecords(firm: Firm, ref: FirmRef): SystemRecordRef[] {
  const n = firmSequence(ref.id);
  switch (ref.type) {
    case 'account': {
      const out: SystemRecordRef[] = [{ system: 'salesforce', object: 'Account', id: sfAccountId(n) }];
      if (firm.projects.some((p) => p.accountId === ref.id && p.activatedDate !== null)) {
        out.push({ system: 'netsuite', object: 'customer', id: String(nsCustomerId(n)) });
      }
      if (firm.invoices.some((i) => i.accountId === ref.id)) {
        out.push({ system: 'stripe', object: 'customer', id: stripeCustomerId(n) });
      }
      return out;
    }
    case 'opportunity':
      return [{ system: 'salesforce', object: 'Opportunity', id: sfOpportunityId(n) }];
    case 'project': {
      const project = firm.projects.find((p) => p.id === ref.id);
      return project?.activatedDate ? [{ system: 'netsuite', object: 'job', id: String(nsJobId(n)) }] : [];
    }
    case 'invoice': {
      const invoice = firm.invoices.find((i) => i.id === ref.id);
      const out: SystemRecordRef[] = [{ system: 'stripe', object: 'invoice', id: stripeInvoiceId(n) }];
      if (invoice?.erpStatus) out.push({ system: 'netsuite', object: 'invoice', id: String(nsInvoiceId(n)) });
      return out;
    }
  }
}

/** The planted problems with the ids they carry in every system. */
export function plantedProblemManifest(firm: Firm): PlantedProblemManifestEntry[] {
  return firm.plantedProblems.map((problem) => ({
    kind: problem.kind,
    system: problem.system,
    description: problem.description,
    firmRefs: problem.refs,
    records: problem.refs.flatMap((ref) => systemRecords(firm, ref)),
  }));
}
