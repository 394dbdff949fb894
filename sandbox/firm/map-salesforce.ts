import type { Firm, Invoice } from './firm-model';
import { dayNumber, isoTimestamp } from './dates';
import { firmSequence } from './firm-ids';
import { changeOrderName } from './map-netsuite';
import { nsJobId, sfAccountId, sfChangeOrderId, sfLineItemId, sfOpportunityId } from './system-ids';
import { legalEntity, PRACTICES } from './reference-data';

/**
 * The firm as Salesforce records, in the shape `bulkInsertSObjects` takes: API field names,
 * decimal strings for currency fields, 'YYYY-MM-DD' dates, ISO timestamps for the audit fields.
 */
export type SalesforceRecord = Record<string, unknown> & { Id: string };

const PROJECT_STATUS = { pending_activation: 'Activation Pending', active: 'Active', completed: 'Completed' } as const;
const CHANGE_ORDER_STATUS = { submitted: 'Submitted', approved: 'Approved', rejected: 'Rejected' } as const;

const audit = (createdDay: number, modifiedDay = createdDay) => ({
  CreatedDate: isoTimestamp(createdDay, 9 * 60),
  LastModifiedDate: isoTimestamp(modifiedDay, 15 * 60),
  SystemModstamp: isoTimestamp(modifiedDay, 15 * 60),
});

export function salesforceAccounts(firm: Firm): SalesforceRecord[] {
  return firm.accounts.map((a) => ({
    Id: sfAccountId(a.n),
    Name: a.name,
    Type: a.type === 'Customer' ? 'Customer - Direct' : 'Prospect',
    Industry: a.industry,
    BillingCountry: legalEntity(a.entityId).countryName,
    CurrencyIsoCode: a.currency,
    Legal_Entity__c: a.entityId,
    Tax_Registration__c: a.taxRegistration,
    Syncwright_Id__c: null,
    ...audit(dayNumber(a.createdDate)),
  }));
}

export function salesforceOpportunities(firm: Firm): SalesforceRecord[] {
  const projects = new Map(firm.projects.map((p) => [p.opportunityId, p]));
  const lastInvoice = new Map<string, Invoice>();
  for (const invoice of firm.invoices) {
    const seen = lastInvoice.get(invoice.projectId);
    if (!seen || invoice.issueDate >= seen.issueDate) lastInvoice.set(invoice.projectId, invoice);
  }
  return firm.opportunities.map((o) => {
    const project = projects.get(o.id);
    const activated = project?.activatedDate ? dayNumber(project.activatedDate) : null;
    const closeDay = dayNumber(o.closeDate);
    const modifiedDay = Math.max(dayNumber(o.createdDate), Math.min(closeDay, activated ?? closeDay));
    return {
      Id: sfOpportunityId(o.n),
      Name: o.name,
      AccountId: sfAccountId(firmSequence(o.accountId)),
      StageName: o.stage,
      CloseDate: o.closeDate,
      Amount: o.amount,
      CurrencyIsoCode: o.currency,
      Probability: o.probability,
      Legal_Entity__c: o.entityId,
      Practice__c: PRACTICES.find((p) => p.id === o.practiceId)?.name ?? o.practiceId,
      Cost_Center__c: o.costCenterId,
      Billing_Model__c: o.billingModel,
      Project_Status__c: project ? PROJECT_STATUS[project.status] : null,
      ERP_Project_Id__c: project?.activatedDate ? String(nsJobId(project.n)) : null,
      Last_Invoice_Status__c: project ? (lastInvoice.get(project.id)?.status ?? null) : null,
      Syncwright_Id__c: null,
      ...audit(dayNumber(o.createdDate), activated !== null ? activated : modifiedDay),
    };
  });
}

export function salesforceLineItems(firm: Firm): SalesforceRecord[] {
  const opportunities = new Map(firm.opportunities.map((o) => [o.id, o]));
  return firm.lineItems.map((li) => {
    const opportunity = opportunities.get(li.opportunityId)!;
    return {
      Id: sfLineItemId(li.n),
      OpportunityId: sfOpportunityId(opportunity.n),
      Name: `${opportunity.name} - ${li.name}`,
      Quantity: li.quantity,
      UnitPrice: li.unitPrice,
      TotalPrice: li.totalPrice,
      Role__c: li.roleId,
      ...audit(dayNumber(opportunity.createdDate)),
    };
  });
}

export function salesforceChangeOrders(firm: Firm): SalesforceRecord[] {
  const opportunities = new Map(firm.opportunities.map((o) => [o.id, o]));
  return firm.changeOrders.map((c) => ({
    Id: sfChangeOrderId(c.n),
    Name: changeOrderName(c.n),
    Opportunity__c: sfOpportunityId(opportunities.get(c.opportunityId)!.n),
    Amount__c: c.amount,
    CurrencyIsoCode: c.currency,
    Status__c: CHANGE_ORDER_STATUS[c.status],
    Approved_Date__c: c.approvedDate,
    Description__c: c.description,
    Syncwright_Id__c: null,
    ...audit(dayNumber(c.submittedDate), c.approvedDate ? dayNumber(c.approvedDate) : dayNumber(c.submittedDate)),
  }));
}
