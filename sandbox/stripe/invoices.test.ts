import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { caught, setUpHarness } from '@/test/stripe-emulator-harness';

const h = setUpHarness();

describe('invoices through the stripe SDK', () => {
  it('totals a draft invoice from its items to the cent', async () => {
    const customer = await h.stripe.customers.create({
      email: 'ap@northwind.example',
      name: 'Northwind',
      metadata: { crm_id: '001A' },
    });
    expect(customer.object).toBe('customer');
    expect(customer.currency).toBeNull();

    await h.stripe.invoiceItems.create({
      customer: customer.id,
      amount: 123_456,
      currency: 'usd',
      description: 'Discovery workshop',
    });
    await h.stripe.invoiceItems.create({
      customer: customer.id,
      currency: 'usd',
      unit_amount_decimal: Stripe.Decimal.from('17500.5'),
      quantity_decimal: Stripe.Decimal.from('3'),
      description: 'Consulting hours',
    });
    await h.stripe.invoiceItems.create({
      customer: customer.id,
      amount: -5_001,
      currency: 'usd',
      description: 'Credit',
    });

    const invoice = await h.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
      collection_method: 'send_invoice',
      days_until_due: 30,
      metadata: { deal: 'OPP-7' },
    });
    // 123456 + round(17500.5 × 3 = 52501.5 → 52502) − 5001
    expect(invoice.subtotal).toBe(170_957);
    expect(invoice.total).toBe(170_957);
    expect(invoice.amount_due).toBe(170_957);
    expect(invoice.amount_paid).toBe(0);
    expect(invoice.amount_remaining).toBe(170_957);
    expect(invoice.total_taxes).toEqual([]);
    expect(invoice.parent).toBeNull();
    expect(invoice).not.toHaveProperty('paid');
    expect(invoice.status).toBe('draft');
    expect(invoice.currency).toBe('usd');
    expect(invoice.due_date).toBe(invoice.created + 30 * 86_400);
    expect(invoice.lines.object).toBe('list');
    expect(invoice.lines.data.map((l) => l.amount)).toEqual([123_456, 52_502, -5_001]);
    const hourly = invoice.lines.data[1];
    expect(hourly?.pricing?.unit_amount_decimal?.toString()).toBe('17500.5');
    expect(hourly?.quantity).toBe(3);
    expect(hourly?.parent?.invoice_item_details?.invoice_item).toMatch(/^ii_/);

    const again = await h.stripe.customers.retrieve(customer.id);
    expect((again as Stripe.Customer).currency).toBe('usd');
  });

  it('walks finalize → pay, numbers the invoice, and refuses to void a paid invoice', async () => {
    const customer = await h.stripe.customers.create({ name: 'Contoso' });
    const draft = await h.stripe.invoices.create({ customer: customer.id, currency: 'eur' });
    await h.stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, amount: 99_900, currency: 'eur' });

    const open = await h.stripe.invoices.finalizeInvoice(draft.id);
    expect(open.status).toBe('open');
    expect(open.number).toMatch(/^[A-Z0-9]{8}-0001$/);
    expect(open.status_transitions.finalized_at).toBeTypeOf('number');
    expect(open.amount_due).toBe(99_900);

    const refinalize = await caught(h.stripe.invoices.finalizeInvoice(draft.id));
    expect(refinalize).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(refinalize.message).toBe("This invoice is already finalized, you can't re-finalize a non-draft invoice.");

    const paid = await h.stripe.invoices.pay(draft.id);
    expect(paid.status).toBe('paid');
    expect(paid.amount_paid).toBe(99_900);
    expect(paid.amount_remaining).toBe(0);
    expect(paid.status_transitions.paid_at).toBeTypeOf('number');

    const voided = await caught(h.stripe.invoices.voidInvoice(draft.id));
    expect(voided).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(voided.statusCode).toBe(400);
    expect(voided.code).toBe('status_transition_invalid');
    expect(voided.message).toContain('open or uncollectible');
    expect((await h.stripe.invoices.retrieve(draft.id)).status).toBe('paid');

    const second = await h.stripe.invoices.create({ customer: customer.id });
    await h.stripe.invoiceItems.create({ customer: customer.id, invoice: second.id, amount: 100 });
    expect((await h.stripe.invoices.finalizeInvoice(second.id)).number).toMatch(/-0002$/);
    expect((await h.stripe.invoices.markUncollectible(second.id)).status).toBe('uncollectible');
    const voidedSecond = await h.stripe.invoices.voidInvoice(second.id);
    expect(voidedSecond.status).toBe('void');
    expect(voidedSecond.status_transitions.voided_at).toBeTypeOf('number');
  });

  it('keeps items of a finalized invoice frozen', async () => {
    const customer = await h.stripe.customers.create({});
    const invoice = await h.stripe.invoices.create({ customer: customer.id, currency: 'gbp' });
    const item = await h.stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 5000 });
    await h.stripe.invoices.finalizeInvoice(invoice.id);
    const error = await caught(h.stripe.invoiceItems.del(item.id));
    expect(error.code).toBe('invoice_not_editable');
    const late = await caught(h.stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 1 }));
    expect(late.code).toBe('invoice_not_editable');
  });

  it('rejects an invoice item in a second currency with Stripe’s message and param', async () => {
    const customer = await h.stripe.customers.create({ name: 'Fabrikam GmbH' });
    await h.stripe.invoiceItems.create({ customer: customer.id, amount: 1000, currency: 'eur' });
    const error = await caught(h.stripe.invoiceItems.create({ customer: customer.id, amount: 1000, currency: 'usd' }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(400);
    expect(error.type).toBe('StripeInvalidRequestError');
    expect(error.param).toBe('currency');
    expect(error.message).toBe(
      'You cannot combine currencies on a single customer. This customer has had a subscription, coupon, or invoice item with currency eur',
    );
    const items = await h.stripe.invoiceItems.list({ customer: customer.id });
    expect(items.data).toHaveLength(1);
  });

  it('fails finalization for a customer without a valid tax location, then succeeds once fixed', async () => {
    const customer = await h.stripe.customers.create({
      name: 'Globex',
      address: { country: 'US', postal_code: 'ABCDE', city: 'Springfield', line1: '1 Main St' },
    });
    const invoice = await h.stripe.invoices.create({ customer: customer.id, currency: 'usd' });
    await h.stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 25_000 });
    const error = await caught(h.stripe.invoices.finalizeInvoice(invoice.id));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.code).toBe('customer_tax_location_invalid');
    const failed = await h.stripe.invoices.retrieve(invoice.id);
    expect(failed.status).toBe('draft');
    expect(failed.last_finalization_error?.code).toBe('customer_tax_location_invalid');
    const events = await h.stripe.events.list({ type: 'invoice.finalization_failed' });
    expect(events.data.some((e) => (e.data.object as Stripe.Invoice).id === invoice.id)).toBe(true);

    await h.stripe.customers.update(customer.id, { address: { country: 'US', postal_code: '62704' } });
    const open = await h.stripe.invoices.finalizeInvoice(invoice.id);
    expect(open.status).toBe('open');
    expect(open.last_finalization_error).toBeNull();
    expect(open.customer_address?.postal_code).toBe('62704');
  });

  it('answers unknown objects and parameters the way Stripe does', async () => {
    const missing = await caught(h.stripe.invoices.retrieve('in_doesnotexist'));
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe('resource_missing');
    expect(missing.message).toBe("No such invoice: 'in_doesnotexist'");

    const noCustomer = await caught(
      h.stripe.invoiceItems.create({ customer: 'cus_nobody', amount: 5, currency: 'usd' }),
    );
    expect(noCustomer.statusCode).toBe(400);
    expect(noCustomer.param).toBe('customer');

    const unknown = await caught(
      h.stripe.customers.create({ favourite_colour: 'teal' } as Stripe.CustomerCreateParams),
    );
    expect(unknown.code).toBe('parameter_unknown');
    expect(unknown.param).toBe('favourite_colour');

    const missingParam = await caught(h.stripe.invoices.create({}));
    expect(missingParam.code).toBe('parameter_missing');
    expect(missingParam.param).toBe('customer');

    const badKey = await caught(h.client({ apiKey: 'sk_test_wrongwrongwrong1234' }).customers.list());
    expect(badKey).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(badKey.statusCode).toBe(401);
    expect(badKey.message).toMatch(/^Invalid API Key provided: sk_test_\*+1234$/);
  });

  it('accepts HTTP basic auth and echoes the Stripe-Version header', async () => {
    const basic = Buffer.from(`${h.emulator.credentials.secretKey}:`).toString('base64');
    const response = await fetch(`${h.emulator.baseUrl}/v1/customers?limit=1`, {
      headers: { Authorization: `Basic ${basic}`, 'Stripe-Version': '2026-09-30.endive' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('stripe-version')).toBe('2026-09-30.endive');
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    const bad = await fetch(`${h.emulator.baseUrl}/v1/customers`, {
      headers: { Authorization: `Bearer ${h.emulator.credentials.secretKey}`, 'Stripe-Version': 'yesterday' },
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('Invalid Stripe API version');
  });

  it('expands the customer of an invoice and filters invoices by customer and status', async () => {
    const customer = await h.stripe.customers.create({ email: 'billing@initech.example' });
    const invoice = await h.stripe.invoices.create({ customer: customer.id, currency: 'usd', expand: ['customer'] });
    expect((invoice.customer as Stripe.Customer).email).toBe('billing@initech.example');
    const drafts = await h.stripe.invoices.list({ customer: customer.id, status: 'draft' });
    expect(drafts.data.map((i) => i.id)).toEqual([invoice.id]);
    const open = await h.stripe.invoices.list({ customer: customer.id, status: 'open' });
    expect(open.data).toEqual([]);
  });

  it('embeds ten lines and pages the rest through /v1/invoices/:id/lines', async () => {
    const customer = await h.stripe.customers.create({});
    const invoice = await h.stripe.invoices.create({ customer: customer.id, currency: 'usd' });
    for (let i = 1; i <= 13; i++) {
      await h.stripe.invoiceItems.create({
        customer: customer.id,
        invoice: invoice.id,
        amount: i * 100,
        description: `Line ${i}`,
      });
    }
    const retrieved = await h.stripe.invoices.retrieve(invoice.id);
    expect(retrieved.lines.data).toHaveLength(10);
    expect(retrieved.lines.has_more).toBe(true);
    expect(retrieved.total).toBe(9_100);
    const all: string[] = [];
    await h.stripe.invoices.listLineItems(invoice.id, { limit: 4 }).autoPagingEach((line) => {
      all.push(line.description ?? '');
    });
    expect(all).toEqual(Array.from({ length: 13 }, (_, i) => `Line ${i + 1}`));
  });

  it('deletes drafts (their items return to pending) and customers', async () => {
    const customer = await h.stripe.customers.create({ name: 'Short-lived' });
    const item = await h.stripe.invoiceItems.create({ customer: customer.id, amount: 700, currency: 'usd' });
    const invoice = await h.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    expect(invoice.total).toBe(700);
    expect((await h.stripe.invoices.del(invoice.id)).deleted).toBe(true);
    await expect(h.stripe.invoices.retrieve(invoice.id)).rejects.toMatchObject({ statusCode: 404 });
    expect((await h.stripe.invoiceItems.retrieve(item.id)).invoice).toBeNull();
    expect((await h.stripe.customers.del(customer.id)).deleted).toBe(true);
    expect(await h.stripe.customers.retrieve(customer.id)).toMatchObject({ id: customer.id, deleted: true });
    const listed = await h.stripe.customers.list({ limit: 100 });
    expect(listed.data.map((c) => c.id)).not.toContain(customer.id);
  });

  it('marks a zero-amount invoice paid on finalization and records invoice.updated on updates', async () => {
    const customer = await h.stripe.customers.create({});
    const invoice = await h.stripe.invoices.create({ customer: customer.id, currency: 'usd' });
    const updated = await h.stripe.invoices.update(invoice.id, {
      description: 'Retainer, March',
      metadata: { po: '4711' },
    });
    expect(updated.description).toBe('Retainer, March');
    const events = await h.stripe.events.list({ type: 'invoice.updated', limit: 100 });
    const mine = events.data.find((e) => (e.data.object as Stripe.Invoice).id === invoice.id);
    expect(mine?.data.previous_attributes).toMatchObject({ description: null, metadata: {} });
    const finalized = await h.stripe.invoices.finalizeInvoice(invoice.id);
    expect(finalized.status).toBe('paid');
    expect(finalized.amount_paid).toBe(0);
    const frozen = await caught(
      h.stripe.invoices.update(invoice.id, { collection_method: 'send_invoice', days_until_due: 5 }),
    );
    expect(frozen.code).toBe('invoice_not_editable');
  });
});
