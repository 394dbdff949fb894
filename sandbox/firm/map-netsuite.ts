import { requireRecordType } from '@/sandbox/netsuite/record-types';
import type { Firm, Invoice, Project, TimeEntry } from './firm-model';
import { isoTimestamp, dayNumber } from './dates';
import {
  NS_CURRENCY_ID,
  nsChangeOrderId,
  nsCustomerId,
  nsEmployeeId,
  nsInvoiceId,
  nsJobId,
  nsMilestoneId,
  nsRateCardId,
  nsRetainerPeriodId,
  nsServiceItemId,
  nsTimeBillId,
  sfAccountId,
  sfChangeOrderId,
  sfOpportunityId,
  stripeInvoiceId,
} from './system-ids';
import { firmSequence } from './firm-ids';
import { retainerMonths } from './generate-invoices';
import { legalEntity, PRACTICES, ROLES, type CurrencyCode, type EntityId } from './reference-data';

/**
 * The firm as NetSuite records, in the shape `bulkInsertRecords` takes: the entities the
 * integration created (customers, projects, invoices, change orders — each with the external id
 * it upserted by) and the ones people entered in the ERP (employees, rate cards, milestones, time).
 */
export interface NetSuiteRecord {
  id: number;
  externalId?: string;
  fields: Record<string, unknown>;
}

const ref = (id: number | string) => ({ id: String(id) });
const subsidiaryOf = (entityId: EntityId) => ref(legalEntity(entityId).subsidiaryId);
const currencyRef = (currency: CurrencyCode) => ref(NS_CURRENCY_ID[currency]);

/** Exchange rates to the base currency (USD) the seeded account books in. */
const CURRENCIES: readonly { code: CurrencyCode; name: string; symbol: string; rate: string }[] = [
  { code: 'USD', name: 'US Dollar', symbol: '$', rate: '1' },
  { code: 'GBP', name: 'British Pound', symbol: '£', rate: '1.27' },
  { code: 'EUR', name: 'Euro', symbol: '€', rate: '1.08' },
];

export function netsuiteCurrencies(): NetSuiteRecord[] {
  return CURRENCIES.map((c) => ({
    id: NS_CURRENCY_ID[c.code],
    fields: {
      name: c.name,
      symbol: c.code,
      displaySymbol: c.symbol,
      exchangeRate: c.rate,
      isBaseCurrency: c.code === 'USD',
      isInactive: false,
    },
  }));
}

export function netsuiteSubsidiaries(firm: Firm): NetSuiteRecord[] {
  return firm.entities.map((entity) => ({
    id: entity.subsidiaryId,
    fields: {
      name: entity.name,
      legalName: entity.name,
      country: entity.country,
      currency: currencyRef(entity.currency),
      custrecord_sw_tax_regime: entity.taxRegime,
      isInactive: false,
    },
  }));
}

export function netsuiteServiceItems(): NetSuiteRecord[] {
  return ROLES.map((role) => ({
    id: nsServiceItemId(role.id),
    fields: { itemId: `Consulting - ${role.name}`, displayName: `${role.name} hours`, isInactive: false },
  }));
}

export function netsuiteEmployees(firm: Firm): NetSuiteRecord[] {
  return firm.consultants.map((c) => {
    const [firstName = c.name, ...rest] = c.name.split(' ');
    return {
      id: nsEmployeeId(c.n),
      fields: {
        entityId: c.name,
        firstName,
        lastName: rest.join(' ') || firstName,
        email: c.email,
        title: ROLES.find((r) => r.id === c.roleId)?.name ?? c.roleId,
        subsidiary: subsidiaryOf(c.entityId),
        isInactive: false,
      },
    };
  });
}

/** Customers exist in the ERP once one of their projects has been activated. */
export function netsuiteCustomers(firm: Firm): NetSuiteRecord[] {
  const firstActivation = new Map<string, string>();
  for (const p of firm.projects) {
    if (p.activatedDate === null) continue;
    const seen = firstActivation.get(p.accountId);
    if (!seen || p.activatedDate < seen) firstActivation.set(p.accountId, p.activatedDate);
  }
  return firm.accounts
    .filter((a) => firstActivation.has(a.id))
    .map((a) => {
      const created = isoTimestamp(dayNumber(firstActivation.get(a.id)!), 9 * 60);
      return {
        id: nsCustomerId(a.n),
        externalId: sfAccountId(a.n),
        fields: {
          entityId: `CUST${String(a.n).padStart(5, '0')}`,
          companyName: a.name,
          email: a.billingEmail,
          subsidiary: subsidiaryOf(a.entityId),
          currency: currencyRef(a.currency),
          ...(CUSTOMER_HAS_VAT_FIELD ? { vatRegNumber: a.taxRegistration } : {}),
          isInactive: false,
          dateCreated: created,
          lastModifiedDate: created,
        },
      };
    });
}

// NetSuite keeps a customer's tax registration in the standard `vatRegNumber` field; it is
// loaded when the emulator's customer record defines it.
const CUSTOMER_HAS_VAT_FIELD = requireRecordType('customer').fields.some((f) => f.name === 'vatRegNumber');

const BILLING_TYPE = { time_and_materials: 'TM', fixed_fee: 'FBM', retainer: 'FBI' } as const;
const REVENUE_TREATMENT = {
  time_and_materials: 'as_delivered',
  fixed_fee: 'percent_complete',
  retainer: 'straight_line',
} as const;

export function netsuiteJobs(firm: Firm): NetSuiteRecord[] {
  const opportunities = new Map(firm.opportunities.map((o) => [o.id, o]));
  return firm.projects
    .filter((p) => p.activatedDate !== null)
    .map((p) => {
      const opportunity = opportunities.get(p.opportunityId)!;
      const created = isoTimestamp(dayNumber(p.activatedDate!), 10 * 60);
      return {
        id: nsJobId(p.n),
        externalId: sfOpportunityId(opportunity.n),
        fields: {
          entityId: `PRJ-${String(p.n).padStart(4, '0')}`,
          companyName: p.name,
          parent: ref(nsCustomerId(firmSequence(p.accountId))),
          subsidiary: subsidiaryOf(p.entityId),
          currency: currencyRef(p.currency),
          entityStatus: ref(p.status === 'completed' ? '1' : '2'),
          startDate: p.startDate,
          projectedEndDate: p.endDate,
          jobBillingType: ref(BILLING_TYPE[p.billingModel]),
          custentity_sw_practice: PRACTICES.find((x) => x.id === p.practiceId)?.name ?? p.practiceId,
          custentity_sw_cost_center: p.costCenterId,
          custentity_sw_revenue_treatment: REVENUE_TREATMENT[p.billingModel],
          custentity_sw_budget: p.budget,
          custentity_sw_opportunity_id: sfOpportunityId(opportunity.n),
          isInactive: false,
          dateCreated: created,
          lastModifiedDate: created,
        },
      };
    });
}

export function netsuiteRateCards(firm: Firm): NetSuiteRecord[] {
  const projects = new Map(firm.projects.map((p) => [p.id, p]));
  return firm.rateCards.map((line) => {
    const project = projects.get(line.projectId)!;
    return {
      id: nsRateCardId(line.n),
      fields: {
        name: `PRJ-${String(project.n).padStart(4, '0')} ${ROLES.find((r) => r.id === line.roleId)?.name ?? line.roleId}`,
        custrecord_sw_rc_project: ref(nsJobId(project.n)),
        custrecord_sw_rc_item: ref(nsServiceItemId(line.roleId)),
        custrecord_sw_rc_role: line.roleId,
        custrecord_sw_rc_rate: line.rate,
        custrecord_sw_rc_currency: currencyRef(line.currency),
        custrecord_sw_rc_subsidiary: subsidiaryOf(project.entityId),
        custrecord_sw_rc_effective_from: line.effectiveFrom,
        isInactive: false,
        created: isoTimestamp(dayNumber(project.activatedDate!), 11 * 60),
        lastModified: isoTimestamp(dayNumber(project.activatedDate!), 11 * 60),
      },
    };
  });
}

/** The billing invoice an entry or milestone was billed on, as the ERP records it. */
function billedInvoice(firm: Firm): (invoiceId: string | null) => string | null {
  const numbers = new Map(firm.invoices.map((i) => [i.id, i.n]));
  return (invoiceId) => (invoiceId ? stripeInvoiceId(numbers.get(invoiceId)!) : null);
}

export function netsuiteMilestones(firm: Firm): NetSuiteRecord[] {
  const projects = new Map(firm.projects.map((p) => [p.id, p]));
  const billedOn = billedInvoice(firm);
  return firm.milestones.map((m) => {
    const project = projects.get(m.projectId)!;
    const modified = m.completedDate ?? project.activatedDate!;
    return {
      id: nsMilestoneId(m.n),
      fields: {
        company: ref(nsJobId(project.n)),
        title: m.name,
        isMilestone: true,
        status: ref(m.status === 'completed' ? 'COMPLETE' : 'NOTSTART'),
        startDate: project.startDate,
        endDate: m.dueDate,
        custevent_sw_billing_amount: m.amount,
        custevent_sw_currency: currencyRef(m.currency),
        custevent_sw_subsidiary: subsidiaryOf(project.entityId),
        custevent_sw_completed_date: m.completedDate,
        custevent_sw_billed_invoice: billedOn(m.invoiceId),
        dateCreated: isoTimestamp(dayNumber(project.activatedDate!), 11 * 60),
        lastModifiedDate: isoTimestamp(dayNumber(modified), 16 * 60),
      },
    };
  });
}

/** Approved change orders the integration has carried into the ERP. */
export function netsuiteChangeOrders(firm: Firm): NetSuiteRecord[] {
  const projects = new Map(firm.projects.map((p) => [p.id, p]));
  return firm.changeOrders
    .filter((c) => c.inErp)
    .map((c) => {
      const project = projects.get(c.projectId)!;
      const at = isoTimestamp(dayNumber(c.approvedDate!) + 1, 8 * 60);
      return {
        id: nsChangeOrderId(c.n),
        externalId: sfChangeOrderId(c.n),
        fields: {
          name: changeOrderName(c.n),
          custrecord_sw_co_project: ref(nsJobId(project.n)),
          custrecord_sw_co_amount: c.amount,
          custrecord_sw_co_currency: currencyRef(c.currency),
          custrecord_sw_co_subsidiary: subsidiaryOf(project.entityId),
          custrecord_sw_co_status: ref('2'),
          custrecord_sw_co_description: c.description,
          custrecord_sw_co_effective_date: c.approvedDate,
          custrecord_sw_co_crm_id: sfChangeOrderId(c.n),
          isInactive: false,
          created: at,
          lastModified: at,
        },
      };
    });
}

/** One record per month a retainer's fee fell due, carrying the invoice it was billed on. */
export function netsuiteRetainerPeriods(firm: Firm): NetSuiteRecord[] {
  const projects = new Map(firm.projects.map((p) => [p.id, p]));
  const asOfDay = dayNumber(firm.options.asOf);
  const billedOn = billedInvoice(firm);
  const billed = new Map<string, string>();
  for (const invoice of firm.invoices) {
    for (const line of invoice.lines)
      if (line.source.kind === 'retainer') billed.set(`${invoice.projectId}|${line.source.month}`, invoice.id);
  }
  const records: NetSuiteRecord[] = [];
  for (const retainer of firm.retainers) {
    const project = projects.get(retainer.projectId)!;
    for (const { month, issueDay } of retainerMonths(retainer, asOfDay)) {
      const invoiceId = billed.get(`${project.id}|${month}`) ?? null;
      const at = isoTimestamp(issueDay, 7 * 60);
      records.push({
        id: nsRetainerPeriodId(records.length + 1),
        fields: {
          name: `PRJ-${String(project.n).padStart(4, '0')} retainer ${month}`,
          custrecord_sw_rp_project: ref(nsJobId(project.n)),
          custrecord_sw_rp_period: month,
          custrecord_sw_rp_fee: retainer.monthlyFee,
          custrecord_sw_rp_currency: currencyRef(retainer.currency),
          custrecord_sw_rp_subsidiary: subsidiaryOf(project.entityId),
          custrecord_sw_rp_billed_invoice: billedOn(invoiceId),
          isInactive: false,
          created: at,
          lastModified: at,
        },
      });
    }
  }
  return records;
}

export function changeOrderName(n: number): string {
  return `CO-${String(n).padStart(6, '0')}`;
}

const INVOICE_STATUS = { open: 'A', paid: 'B', void: 'V' } as const;

/** Invoices billing has finalized, as the integration wrote them back to the ERP. */
export function netsuiteInvoices(firm: Firm): NetSuiteRecord[] {
  const projects = new Map(firm.projects.map((p) => [p.id, p]));
  return firm.invoices
    .filter(
      (i): i is Invoice & { erpStatus: 'open' | 'paid' | 'void' } => i.erpStatus !== null && i.erpStatus !== 'draft',
    )
    .map((i) => {
      const project = projects.get(i.projectId)!;
      const modifiedDay = i.erpStatus === 'paid' ? i.paidDate! : i.erpStatus === 'void' ? i.voidedDate! : i.issueDate;
      return {
        id: nsInvoiceId(i.n),
        externalId: stripeInvoiceId(i.n),
        fields: {
          tranId: i.number,
          entity: ref(nsCustomerId(firmSequence(i.accountId))),
          job: ref(nsJobId(project.n)),
          subsidiary: subsidiaryOf(i.entityId),
          currency: currencyRef(i.currency),
          tranDate: i.issueDate,
          dueDate: i.dueDate,
          status: ref(INVOICE_STATUS[i.erpStatus]),
          total: i.total,
          taxTotal: i.tax,
          amountRemaining: i.erpStatus === 'open' ? i.total : '0.00',
          memo: i.lines
            .map((l) => l.description)
            .join('; ')
            .slice(0, 999),
          custbody_sw_stripe_invoice_id: stripeInvoiceId(i.n),
          custbody_sw_billing_status: i.erpStatus,
          dateCreated: isoTimestamp(dayNumber(i.issueDate), 12 * 60),
          lastModifiedDate: isoTimestamp(dayNumber(modifiedDay), 12 * 60),
        },
      };
    });
}

/** Maps one time entry; called for a million of them, so it does no lookups by scan. */
export function netsuiteTimeBillMapper(firm: Firm): (entry: TimeEntry) => NetSuiteRecord {
  const projects = new Map<string, Project>(firm.projects.map((p) => [p.id, p]));
  const items = new Map(ROLES.map((r) => [r.id, ref(nsServiceItemId(r.id))]));
  const billedOn = billedInvoice(firm);
  return (entry) => {
    const project = projects.get(entry.projectId)!;
    return {
      id: nsTimeBillId(entry.n),
      fields: {
        employee: ref(nsEmployeeId(firmSequence(entry.consultantId))),
        customer: ref(nsJobId(project.n)),
        item: items.get(entry.roleId),
        tranDate: entry.date,
        hours: entry.hours,
        rate: entry.rate,
        isBillable: entry.billable,
        approvalStatus: APPROVED,
        memo: entry.memo,
        subsidiary: subsidiaryOf(project.entityId),
        custcol_sw_role: entry.roleId,
        custcol_sw_billed_invoice: billedOn(entry.invoiceId),
        dateCreated: `${entry.date}T17:30:00.000Z`,
        lastModifiedDate: `${entry.approvedDate}T09:00:00.000Z`,
      },
    };
  };
}

const APPROVED = ref('2');
