import type { Firm, Invoice } from './firm-model';
import { dayNumber } from './dates';
import { firmSequence } from './firm-ids';
import { parseMinor } from './money';
import { legalEntity } from './reference-data';
import {
  nsCustomerId,
  nsJobId,
  sfAccountId,
  stripeCustomerId,
  stripeInvoiceId,
  stripeInvoiceItemId,
} from './system-ids';

/**
 * The invoices the firm has already raised, as Stripe objects in the shape `bulkInsertObjects`
 * takes: amounts in integer minor units, times in unix seconds, lower-case currencies.
 *
 * The emulator computes no tax, so VAT / USt is billed as its own invoice item; Stripe's total
 * then equals the ERP invoice's total to the cent.
 */
export type StripeObject = Record<string, unknown> & { id: string };

const unix = (isoDate: string, hour = 12) => dayNumber(isoDate) * 86_400 + hour * 3_600;

export function stripeCustomers(firm: Firm): StripeObject[] {
  const firstInvoice = new Map<string, Invoice>();
  for (const invoice of firm.invoices) {
    const seen = firstInvoice.get(invoice.accountId);
    if (!seen || invoice.issueDate < seen.issueDate) firstInvoice.set(invoice.accountId, invoice);
  }
  return firm.accounts
    .filter((a) => firstInvoice.has(a.id))
    .map((a) => ({
      id: stripeCustomerId(a.n),
      created: unix(firstInvoice.get(a.id)!.issueDate, 8),
      name: a.name,
      email: a.billingEmail,
      currency: a.currency.toLowerCase(),
      address: {
        line1: a.billingAddress.line1,
        line2: null,
        city: a.billingAddress.city,
        state: a.billingAddress.state,
        postal_code: a.billingAddress.postalCode,
        country: a.billingAddress.country,
      },
      preferred_locales: [a.entityId === 'DE' ? 'de-DE' : 'en-US'],
      metadata: {
        salesforce_account_id: sfAccountId(a.n),
        netsuite_customer_id: String(nsCustomerId(a.n)),
        legal_entity: a.entityId,
      },
    }));
}

export function stripeInvoices(firm: Firm): { invoices: StripeObject[]; items: StripeObject[] } {
  const projects = new Map(firm.projects.map((p) => [p.id, p]));
  const invoices: StripeObject[] = [];
  const items: StripeObject[] = [];
  for (const invoice of firm.invoices) {
    const project = projects.get(invoice.projectId)!;
    const id = stripeInvoiceId(invoice.n);
    const customer = stripeCustomerId(firmSequence(invoice.accountId));
    const currency = invoice.currency.toLowerCase();
    const issued = unix(invoice.issueDate);
    const finalized = invoice.status === 'draft' ? null : issued + 3_600;
    invoices.push({
      id,
      customer,
      currency,
      created: issued,
      status: invoice.status,
      number: invoice.status === 'draft' ? null : invoice.number,
      collection_method: 'send_invoice',
      due_date: unix(invoice.dueDate),
      effective_at: finalized,
      period_start: issued,
      period_end: issued,
      description: project.name,
      status_transitions: {
        finalized_at: finalized,
        paid_at: invoice.paidDate ? unix(invoice.paidDate, 14) : null,
        voided_at: invoice.voidedDate ? unix(invoice.voidedDate, 10) : null,
        marked_uncollectible_at: null,
      },
      metadata: {
        legal_entity: invoice.entityId,
        netsuite_project_id: String(nsJobId(project.n)),
        invoice_number: invoice.number,
      },
    });
    const lines = invoice.lines.map((line) => ({
      description: line.description,
      amount: parseMinor(line.amount),
      quantity_decimal: line.quantity,
      unit_amount_decimal: String(parseMinor(line.unitAmount)),
    }));
    const tax = parseMinor(invoice.tax);
    if (tax > 0) {
      const entity = legalEntity(invoice.entityId);
      lines.push({
        description: `${entity.taxRegime === 'UK_VAT' ? 'VAT' : 'USt.'} ${invoice.taxRatePercent}% (${entity.taxCode})`,
        amount: tax,
        quantity_decimal: '1',
        unit_amount_decimal: String(tax),
      });
    }
    for (const line of lines) {
      items.push({
        id: stripeInvoiceItemId(items.length + 1),
        customer,
        currency,
        invoice: id,
        date: issued,
        description: line.description,
        amount: line.amount,
        quantity_decimal: line.quantity_decimal,
        pricing: { type: 'price_details', unit_amount_decimal: line.unit_amount_decimal },
        period: { start: issued, end: issued },
      });
    }
  }
  return { invoices, items };
}
