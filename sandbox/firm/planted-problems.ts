import type { Account, Firm, Invoice, PlantedProblem } from './firm-model';
import { addDeal, type DealBook } from './generate-deals';
import { newAccount, uniqueCompanyName } from './generate-accounts';
import type { ProjectOverride } from './generate-projects';
import { milestoneLine, raiseInvoice } from './generate-invoices';
import { dayNumber, isoDay } from './dates';
import type { Random } from './prng';

/**
 * The problems Syncwright exists to catch, put into the firm on purpose — one or two of each, as
 * in a real firm's data — and recorded so that tests and demos can find them.
 *
 * Deal-side problems are planted before projects are derived from deals; the billing-side one
 * (an invoice billing will refuse to finalize) after invoices are raised.
 */
export interface DealPlanting {
  overrides: Map<string, ProjectOverride>;
  problems: PlantedProblem[];
  /** Account whose Stripe customer is flagged so its invoices cannot be finalized. */
  rejectedAccount: Account;
  rejectedOpportunityId: string;
}

export function plantDealProblems(random: Random, accounts: Account[], deals: DealBook, asOfDay: number): DealPlanting {
  const names = new Set(accounts.map((a) => a.name));
  const overrides = new Map<string, ProjectOverride>();
  const problems: PlantedProblem[] = [];
  const addAccount = (entityId: Account['entityId'], name = uniqueCompanyName(random, entityId, names)) => {
    const account = newAccount(random, accounts.length + 1, name, entityId, asOfDay - random.int(30, 400));
    accounts.push(account);
    return account;
  };
  const won = (account: Account, closeDaysAgo: number, extra: Partial<Parameters<typeof addDeal>[2]> = {}) =>
    addDeal(deals, random, {
      account,
      stage: 'Closed Won',
      closeDay: asOfDay - closeDaysAgo,
      createdDay: asOfDay - closeDaysAgo - random.int(30, 90),
      ...extra,
    });

  // A new German client won without its USt-IdNr. on file: activation needs the tax code.
  const noTaxDe = addAccount('DE');
  noTaxDe.taxRegistration = null;
  const noTaxDeal = won(noTaxDe, 2);
  problems.push({
    kind: 'TAX_CODE_MISSING',
    system: 'salesforce',
    description: `${noTaxDe.name} (DE) has no VAT registration; its won deal cannot be activated with a tax code`,
    refs: [
      { type: 'account', id: noTaxDe.id },
      { type: 'opportunity', id: noTaxDeal.id },
    ],
  });

  // A UK client activated in the ERP without a VAT number: its approved time cannot be invoiced.
  const noTaxUk = addAccount('UK');
  noTaxUk.taxRegistration = null;
  const noTaxUkDeal = won(noTaxUk, 40, { billingModel: 'time_and_materials' });
  overrides.set(noTaxUkDeal.id, { activatedDaysAgo: 38, billingHold: true, months: 6 });
  problems.push({
    kind: 'TAX_CODE_MISSING',
    system: 'netsuite',
    description: `ERP customer ${noTaxUk.name} (UK) has no VAT registration; billing its approved time needs one`,
    refs: [
      { type: 'account', id: noTaxUk.id },
      { type: 'opportunity', id: noTaxUkDeal.id },
    ],
  });

  // A time-and-materials project set up without its rate card: time is approved, nothing can be priced.
  const usClients = accounts.filter((a) => a.entityId === 'US' && a.duplicateOf === null && a.taxRegistration !== null);
  const rateless = won(random.pick(usClients), 70, { billingModel: 'time_and_materials' });
  overrides.set(rateless.id, { activatedDaysAgo: 68, noRateCard: true, billingHold: true, months: 8 });
  problems.push({
    kind: 'RATE_CARD_MISSING',
    system: 'netsuite',
    description: `Project for ${rateless.name} has approved time but no rate card`,
    refs: [{ type: 'opportunity', id: rateless.id }],
  });

  // A UK deal booked in dollars.
  const ukClients = accounts.filter((a) => a.entityId === 'UK' && a.taxRegistration !== null && a.duplicateOf === null);
  const wrongCurrency = won(random.pick(ukClients), 1, { currency: 'USD' });
  problems.push({
    kind: 'CURRENCY_MISMATCH',
    system: 'salesforce',
    description: `${wrongCurrency.name} is booked in USD under the UK entity (GBP)`,
    refs: [
      { type: 'opportunity', id: wrongCurrency.id },
      { type: 'account', id: wrongCurrency.accountId },
    ],
  });

  // An existing client entered a second time in the CRM, and a new deal won on the copy.
  const activeClientIds = new Set(
    deals.opportunities
      .filter((o) => o.stage === 'Closed Won' && dayNumber(o.closeDate) < asOfDay - 30 && !overrides.has(o.id))
      .map((o) => o.accountId),
  );
  const original = random.pick(accounts.filter((a) => activeClientIds.has(a.id) && a.duplicateOf === null));
  const copy = addAccount(original.entityId, original.name);
  copy.duplicateOf = original.id;
  copy.createdDate = isoDay(asOfDay - 20);
  const duplicateDeal = won(copy, 3);
  problems.push({
    kind: 'DUPLICATE_ACCOUNT',
    system: 'salesforce',
    description: `"${original.name}" exists twice in the CRM; the won deal sits on the copy, so the ERP customer is ambiguous`,
    refs: [
      { type: 'account', id: original.id },
      { type: 'account', id: copy.id },
      { type: 'opportunity', id: duplicateDeal.id },
    ],
  });

  // A fixed-fee client whose US billing address lost a digit of its ZIP code: billing cannot
  // place it for tax, so its next invoice cannot be finalized.
  const rejectedAccount = addAccount('US');
  rejectedAccount.billingAddress.postalCode = rejectedAccount.billingAddress.postalCode.slice(0, 4);
  const rejectedDeal = won(rejectedAccount, 47, { billingModel: 'fixed_fee' });
  overrides.set(rejectedDeal.id, { activatedDaysAgo: 45, months: 4, billingHold: true });

  return { overrides, problems, rejectedAccount, rejectedOpportunityId: rejectedDeal.id };
}

/** Raises the draft invoice for the flagged client's first milestone, completing it if need be. */
export function plantRejectedInvoice(
  firm: Pick<Firm, 'projects' | 'milestones' | 'invoices'>,
  planting: DealPlanting,
  asOfDay: number,
): PlantedProblem {
  const project = firm.projects.find((p) => p.opportunityId === planting.rejectedOpportunityId);
  if (!project) throw new Error('the flagged client has no project');
  const milestone = firm.milestones.find((m) => m.projectId === project.id && m.invoiceId === null);
  if (!milestone) throw new Error('the flagged client has no milestone left to bill');
  if (milestone.status !== 'completed') {
    milestone.status = 'completed';
    milestone.completedDate = isoDay(asOfDay - 2);
  }

  const numbers = new Map<string, number>();
  for (const invoice of firm.invoices) {
    const sequence = Number(invoice.number.slice(invoice.number.lastIndexOf('-') + 1));
    numbers.set(invoice.entityId, Math.max(numbers.get(invoice.entityId) ?? 0, sequence));
  }
  const invoice: Invoice = raiseInvoice(
    project,
    planting.rejectedAccount,
    asOfDay - 1,
    [milestoneLine(milestone)],
    firm.invoices.length + 1,
    numbers,
  );
  milestone.invoiceId = invoice.id;
  firm.invoices.push(invoice);
  return {
    kind: 'INVOICE_REJECTED',
    system: 'stripe',
    description: `Draft invoice ${invoice.number} for ${planting.rejectedAccount.name}: its billing address has the ZIP code "${planting.rejectedAccount.billingAddress.postalCode}", so billing refuses to finalize it (customer_tax_location_invalid)`,
    refs: [
      { type: 'account', id: planting.rejectedAccount.id },
      { type: 'invoice', id: invoice.id },
      { type: 'project', id: project.id },
    ],
  };
}
