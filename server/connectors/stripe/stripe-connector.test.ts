import Decimal from 'decimal.js';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { failure } from '@/test/expect-connector-failure';
import { setUpStripeTestHarness } from '@/test/stripe-connector-harness';

/** `h.stripe` looks at what the connector left in Stripe. */
const h = setUpStripeTestHarness();

async function newCustomer(key: string, fields: Record<string, unknown> = {}): Promise<string> {
  const result = await h.connector.upsert(
    'customer',
    { key, fields: { name: `Customer ${key}`, ...fields } },
    `create-${key}`,
  );
  expect(result.created).toBe(true);
  return result.externalId;
}

describe('customers', () => {
  it('creates a customer carrying our key, replays the same create, and updates it by target id', async () => {
    const input = {
      key: 'cust-northwind',
      fields: { name: 'Northwind', email: 'ap@northwind.example', metadata: { crm_id: '001A' } },
    };
    const first = await h.connector.upsert('customer', input, 'idem-cust-northwind');
    const again = await h.connector.upsert('customer', input, 'idem-cust-northwind');
    expect(first.created).toBe(true);
    expect(again).toEqual({ externalId: first.externalId, created: false });

    const stored = await h.connector.get('customer', first.externalId);
    expect(stored).toMatchObject({
      name: 'Northwind',
      email: 'ap@northwind.example',
      metadata: { crm_id: '001A', syncwright_id: 'cust-northwind' },
    });
    expect((await h.stripe.customers.list({ email: 'ap@northwind.example' })).data).toHaveLength(1);

    const update = await h.connector.upsert(
      'customer',
      {
        key: 'cust-northwind',
        targetId: first.externalId,
        fields: { name: 'Northwind Traders', email: null, address: { country: 'US', postal_code: '98052' } },
      },
      'idem-cust-northwind-v2',
    );
    expect(update).toEqual({ externalId: first.externalId, created: false });
    expect(await h.connector.get('customer', first.externalId)).toMatchObject({
      name: 'Northwind Traders',
      email: null,
      address: { country: 'US', postal_code: '98052' },
      metadata: { syncwright_id: 'cust-northwind' },
    });
  });

  it('finds a customer by our key, by e-mail or by listing them all', async () => {
    const id = await newCustomer('cust-findable', { email: 'billing@findable.example' });
    await newCustomer('cust-other', { email: 'billing@findable.example' });
    expect((await h.connector.findCustomerByKey('cust-findable', { email: 'billing@findable.example' }))?.id).toBe(id);
    expect((await h.connector.findCustomerByKey('cust-findable'))?.id).toBe(id);
    expect(await h.connector.findCustomerByKey('cust-findable', { email: 'someone@else.example' })).toBeNull();
    expect(await h.connector.findCustomerByKey('cust-never-written')).toBeNull();
  });

  it('finds a customer raised outside Syncwright by its metadata with one search, listing no customers', async () => {
    // More customers than a list page holds, none of them with an e-mail to narrow a list by.
    const firm: Stripe.Customer[] = [];
    for (let i = 0; i < 120; i += 20)
      firm.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, (_, j) => h.stripe.customers.create({ name: `Firm customer ${i + j}` })),
        )),
      );
    const raised = await h.stripe.customers.create({
      name: "O'Brien & Co",
      metadata: { netsuite_customer_id: '7781' },
    });
    const later = await h.stripe.customers.create({ name: 'Duplicate', metadata: { netsuite_customer_id: '7781' } });
    expect(firm).toHaveLength(120);
    h.emulator.requestCounts.clear();

    // Of two carrying the same ERP id, the oldest stands.
    expect((await h.connector.findCustomerByMetadata('netsuite_customer_id', '7781'))?.id).toBe(raised.id);
    expect(later.id).not.toBe(raised.id);
    expect(await h.connector.findCustomerByMetadata('netsuite_customer_id', "77'81")).toBeNull();
    expect(Object.fromEntries(h.emulator.requestCounts)).toEqual({ 'GET /v1/customers/search': 2 });
  });

  it('answers null for a missing or deleted object and refuses unknown object types', async () => {
    expect(await h.connector.get('invoice', 'in_doesnotexist')).toBeNull();
    expect(await h.connector.get('invoiceitem', 'ii_doesnotexist')).toBeNull();
    const id = await newCustomer('cust-deleted');
    await h.stripe.customers.del(id);
    expect(await h.connector.get('customer', id)).toBeNull();

    expect(await failure(h.connector.get('subscription', 'sub_1'))).toMatchObject({
      class: 'config',
      code: 'UNKNOWN_OBJECT_TYPE',
    });
    expect(await failure(h.connector.upsert('charge', { key: 'x', fields: {} }, 'k'))).toMatchObject({
      class: 'config',
      code: 'UNKNOWN_OBJECT_TYPE',
    });
    expect(await failure(h.connector.get('invoice', ''))).toMatchObject({ class: 'config', code: 'ID_INVALID' });
  });
});

describe('invoice items and draft invoices', () => {
  it('creates one invoice item for one idempotency key: created true, then false', async () => {
    const customer = await newCustomer('cust-idem');
    const input = {
      key: 'line-T-100',
      fields: { customer, currency: 'USD', amount: 125_050n, description: 'Discovery workshop' },
    };
    const first = await h.connector.upsert('invoiceitem', input, 'idem-line-T-100');
    const second = await h.connector.upsert('invoiceitem', input, 'idem-line-T-100');
    expect(first.created).toBe(true);
    expect(second).toEqual({ externalId: first.externalId, created: false });

    const items = await h.stripe.invoiceItems.list({ customer });
    expect(items.data.map((i) => i.id)).toEqual([first.externalId]);
    expect(items.data[0]).toMatchObject({
      amount: 125_050,
      currency: 'usd',
      invoice: null,
      metadata: { syncwright_id: 'line-T-100' },
    });
    // Stripe saw our key, not one the SDK made up.
    const events = await h.stripe.events.list({ type: 'invoiceitem.created', limit: 100 });
    const creation = events.data.find((e) => (e.data.object as Stripe.InvoiceItem).id === first.externalId);
    expect(creation?.request?.idempotency_key).toBe('idem-line-T-100');
  });

  it('gathers one customer’s pending items into one draft invoice with the total to the cent', async () => {
    const customer = await newCustomer('cust-gather');
    const bystander = await newCustomer('cust-bystander');
    await h.connector.upsert(
      'invoiceitem',
      { key: 'other-line', fields: { customer: bystander, currency: 'usd', amount: 99_999 } },
      'idem-other-line',
    );

    const lines = [
      { key: 'line-1', fields: { customer, currency: 'usd', amount: 123_456, description: 'Discovery workshop' } },
      // 17,500.5 cents × 3 = 52,501.5 cents: Stripe rounds the line to 52,502.
      {
        key: 'line-2',
        fields: {
          customer,
          currency: 'usd',
          unit_amount_decimal: '17500.5',
          quantity_decimal: '3',
          description: 'Consulting hours',
        },
      },
      { key: 'line-3', fields: { customer, currency: 'usd', amount: '-5001', description: 'Credit' } },
    ];
    for (const line of lines)
      expect((await h.connector.upsert('invoiceitem', line, `idem-${line.key}`)).created).toBe(true);

    const draft = await h.connector.createDraftInvoice(
      'inv-gather',
      { customer, collection_method: 'send_invoice', days_until_due: 30, metadata: { deal: 'OPP-7' } },
      'idem-inv-gather',
    );
    expect(draft.created).toBe(true);
    const invoice = await h.connector.get('invoice', draft.object.id ?? '');
    const expectedMinor = new Decimal('1234.56').plus('525.02').minus('50.01').times(100);
    expect(invoice).toMatchObject({
      status: 'draft',
      currency: 'usd',
      customer,
      total: expectedMinor.toNumber(),
      amount_due: expectedMinor.toNumber(),
      metadata: { deal: 'OPP-7', syncwright_id: 'inv-gather' },
    });
    const invoiceLines = (
      invoice?.lines as { data: Array<{ amount: number; pricing: { unit_amount_decimal: string } }> }
    ).data;
    expect(invoiceLines.map((l) => l.amount)).toEqual([123_456, 52_502, -5_001]);
    // Decimals come back as exact strings, not floats.
    expect(invoiceLines[1]?.pricing.unit_amount_decimal).toBe('17500.5');

    const pendingElsewhere = await h.stripe.invoiceItems.list({ customer: bystander, pending: true });
    expect(pendingElsewhere.data).toHaveLength(1);
    const replay = await h.connector.upsert(
      'invoice',
      {
        key: 'inv-gather',
        fields: { customer, collection_method: 'send_invoice', days_until_due: 30, metadata: { deal: 'OPP-7' } },
      },
      'idem-inv-gather',
    );
    expect(replay).toEqual({ externalId: draft.object.id, created: false });
    expect((await h.stripe.invoices.list({ customer })).data).toHaveLength(1);
  });

  it('updates an item and an invoice that already exist', async () => {
    const customer = await newCustomer('cust-update');
    const item = await h.connector.upsert(
      'invoiceitem',
      { key: 'line-u', fields: { customer, currency: 'gbp', amount: 10_000 } },
      'idem-line-u',
    );
    const invoice = await h.connector.upsert('invoice', { key: 'inv-u', fields: { customer } }, 'idem-inv-u');

    const changed = await h.connector.upsert(
      'invoiceitem',
      {
        key: 'line-u',
        targetId: item.externalId,
        fields: { customer, currency: 'gbp', unit_amount_decimal: '2500', quantity: 3, description: 'Three days' },
      },
      'idem-line-u-v2',
    );
    expect(changed).toEqual({ externalId: item.externalId, created: false });
    const renamed = await h.connector.upsert(
      'invoice',
      { key: 'inv-u', targetId: invoice.externalId, fields: { customer, description: 'March retainer' } },
      'idem-inv-u-v2',
    );
    expect(renamed).toEqual({ externalId: invoice.externalId, created: false });

    expect(await h.connector.get('invoice', invoice.externalId)).toMatchObject({
      description: 'March retainer',
      total: 7_500,
      currency: 'gbp',
    });
    expect(await h.connector.get('invoiceitem', item.externalId)).toMatchObject({
      amount: 7_500,
      description: 'Three days',
      quantity: 3,
    });
  });

  it('opens a draft that leaves pending items alone, and lists the items of an invoice and the pending ones', async () => {
    const customer = await newCustomer('cust-lists');
    const pending = await h.connector.upsert(
      'invoiceitem',
      { key: 'line-pending', fields: { customer, currency: 'eur', amount: 1_000 } },
      'idem-line-pending',
    );
    const draft = await h.connector.upsert(
      'invoice',
      { key: 'inv-exclude', fields: { customer, currency: 'eur', pending_invoice_items_behavior: 'exclude' } },
      'idem-inv-exclude',
    );
    const onDraft = await h.connector.upsert(
      'invoiceitem',
      { key: 'line-on-draft', fields: { customer, currency: 'eur', amount: 2_000, invoice: draft.externalId } },
      'idem-line-on-draft',
    );
    expect((await h.connector.listInvoiceItems({ invoice: draft.externalId })).map((i) => i.id)).toEqual([
      onDraft.externalId,
    ]);
    expect((await h.connector.listInvoiceItems({ customer, pending: true })).map((i) => i.id)).toEqual([
      pending.externalId,
    ]);
    expect(await h.connector.get('invoice', draft.externalId)).toMatchObject({ total: 2_000 });
  });

  it('refuses fields that cannot be money before sending anything', async () => {
    const customer = await newCustomer('cust-float');
    const fractional = await failure(
      h.connector.upsert(
        'invoiceitem',
        { key: 'line-f', fields: { customer, currency: 'usd', amount: 12.5 } },
        'idem-line-f',
      ),
    );
    expect(fractional).toMatchObject({ class: 'business', code: 'FIELDS_INVALID', field: 'amount' });
    const both = await failure(
      h.connector.upsert(
        'invoiceitem',
        { key: 'line-f', fields: { customer, currency: 'usd', amount: 100, unit_amount_decimal: '100' } },
        'idem-line-f',
      ),
    );
    expect(both).toMatchObject({ class: 'business', code: 'FIELDS_INVALID' });
    const unknown = await failure(
      h.connector.upsert('customer', { key: 'c', fields: { favourite_colour: 'teal' } }, 'idem-c'),
    );
    expect(unknown).toMatchObject({ class: 'business', code: 'FIELDS_INVALID' });
    expect((await h.stripe.invoiceItems.list({ customer })).data).toEqual([]);
  });
});

describe('finding what a create made, by the key stamped on it', () => {
  it('finds invoice items on their draft, a draft among its customer’s invoices, a customer by e-mail', async () => {
    const customer = await newCustomer('cust-lookup', { email: 'ap@lookup.example' });
    const draft = await h.connector.upsert(
      'invoice',
      {
        key: 'inv-lookup',
        fields: { customer, currency: 'usd', collection_method: 'send_invoice', days_until_due: 30 },
      },
      'idem-inv-lookup',
    );
    // More items than one page of a list (100), so the oldest is found on the second page.
    const items: string[] = [];
    for (let i = 0; i < 104; i++) {
      const item = await h.stripe.invoiceItems.create({
        customer,
        invoice: draft.externalId,
        currency: 'usd',
        amount: 100 + i,
        metadata: { syncwright_id: `line-lookup-${i}` },
      });
      items.push(item.id);
    }
    const found = await h.connector.findByKeys('invoiceitem', [
      { key: 'line-lookup-0', parentId: draft.externalId, fields: { customer } },
      { key: 'line-lookup-103', parentId: draft.externalId, fields: { customer } },
      { key: 'line-never-written', parentId: draft.externalId, fields: { customer } },
    ]);
    expect(found).toEqual(
      new Map([
        ['line-lookup-0', items[0]],
        ['line-lookup-103', items[103]],
      ]),
    );
    expect(await h.connector.findByKeys('invoice', [{ key: 'inv-lookup', fields: { customer } }])).toEqual(
      new Map([['inv-lookup', draft.externalId]]),
    );
    expect(
      await h.connector.findByKeys('customer', [
        { key: 'cust-lookup', fields: { email: 'ap@lookup.example' } },
        { key: 'cust-lookup', fields: { email: 'someone@else.example' } },
      ]),
    ).toEqual(new Map([['cust-lookup', customer]]));
    expect(await failure(h.connector.findByKeys('charge', [{ key: 'x', fields: {} }]))).toMatchObject({
      class: 'config',
      code: 'UNKNOWN_OBJECT_TYPE',
    });
  });
});

describe('business refusals keep Stripe’s code, message and param', () => {
  it('refuses an invoice item in a second currency for a customer', async () => {
    const customer = await newCustomer('cust-fabrikam');
    await h.connector.upsert(
      'invoiceitem',
      { key: 'eur-line', fields: { customer, currency: 'EUR', amount: 1_000 } },
      'idem-eur-line',
    );
    const refused = await failure(
      h.connector.upsert(
        'invoiceitem',
        { key: 'usd-line', fields: { customer, currency: 'USD', amount: 1_000 } },
        'idem-usd-line',
      ),
    );
    expect(refused).toEqual({
      class: 'business',
      code: 'invalid_request_error',
      message:
        'You cannot combine currencies on a single customer. This customer has had a subscription, coupon, or invoice item with currency eur',
      status: 400,
      field: 'currency',
    });
    expect((await h.stripe.invoiceItems.list({ customer })).data).toHaveLength(1);
  });

  it('fails finalization for an invalid tax location, and finalizes once the address is fixed', async () => {
    const customer = await newCustomer('cust-globex', {
      address: { country: 'US', postal_code: 'ABCDE', city: 'Springfield', line1: '1 Main St' },
    });
    await h.connector.createInvoiceItem(
      'line-globex',
      { customer, currency: 'usd', amount: 25_000 },
      'idem-line-globex',
    );
    const draft = await h.connector.createDraftInvoice('inv-globex', { customer }, 'idem-inv-globex');
    const invoiceId = draft.object.id ?? '';

    const refused = await failure(h.connector.finalizeInvoice(invoiceId, 'finalize-inv-globex-1'));
    expect(refused).toMatchObject({
      class: 'business',
      code: 'customer_tax_location_invalid',
      field: 'customer',
      status: 400,
    });
    expect(refused.message).toContain('valid 5-digit postal code');
    expect(await h.connector.get('invoice', invoiceId)).toMatchObject({
      status: 'draft',
      last_finalization_error: { code: 'customer_tax_location_invalid' },
    });

    await h.connector.upsert(
      'customer',
      { key: 'cust-globex', targetId: customer, fields: { address: { country: 'US', postal_code: '62704' } } },
      'idem-cust-globex-fix',
    );
    // Stripe saved the refusal under the first key: the same key answers it again for 24 hours.
    expect(await failure(h.connector.finalizeInvoice(invoiceId, 'finalize-inv-globex-1'))).toMatchObject({
      code: 'customer_tax_location_invalid',
    });
    const open = await h.connector.finalizeInvoice(invoiceId, 'finalize-inv-globex-2');
    expect(open).toMatchObject({ id: invoiceId, status: 'open', amount_due: 25_000 });
  });

  it('refuses an idempotency key reused with other parameters', async () => {
    const customer = await newCustomer('cust-reuse');
    await h.connector.upsert(
      'invoiceitem',
      { key: 'line-r', fields: { customer, currency: 'usd', amount: 500 } },
      'idem-reused',
    );
    const refused = await failure(
      h.connector.upsert(
        'invoiceitem',
        { key: 'line-r', fields: { customer, currency: 'usd', amount: 600 } },
        'idem-reused',
      ),
    );
    expect(refused).toMatchObject({ class: 'business', code: 'idempotency_error', status: 400 });
    expect(refused.message).toContain('same parameters');
  });
});
