import { describe, expect, it } from 'vitest';
import { setUpHarness } from '@/test/stripe-emulator-harness';
import { bulkInsertObjects, stripeId } from './bulk-load';

const h = setUpHarness();

describe('bulk loading seed data', () => {
  it('makes deterministic ids', () => {
    expect(stripeId('cus', 1)).toBe('cus_SW000000000001');
    expect(stripeId('in', 36)).toBe('in_SW000000000010');
    expect(stripeId('ii', 7)).toBe(stripeId('ii', 7));
    expect(() => stripeId('evt', -1)).toThrow(RangeError);
  });

  it('loads customers, invoices and items that the API then serves with recomputed totals', async () => {
    const customer = stripeId('cus', 5001);
    const invoice = stripeId('in', 5001);
    await bulkInsertObjects(h.pool, 'customer', [
      { id: customer, email: 'ar@umbrella.example', name: 'Umbrella', created: 1_750_000_000 },
    ]);
    await bulkInsertObjects(h.pool, 'invoice', [
      {
        id: invoice,
        customer,
        currency: 'gbp',
        status: 'paid',
        number: 'UMB-0001',
        created: 1_750_000_100,
        status_transitions: { finalized_at: 1_750_000_200, paid_at: 1_750_000_300 },
        total: 1, // ignored: recomputed from the items
      },
    ]);
    await bulkInsertObjects(h.pool, 'invoiceitem', [
      { id: stripeId('ii', 1), customer, invoice, currency: 'gbp', amount: 120_000, description: 'Milestone 1' },
      {
        id: stripeId('ii', 2),
        customer,
        invoice,
        currency: 'gbp',
        pricing: { unit_amount_decimal: '9500' },
        quantity: 12,
      },
      { id: stripeId('ii', 3), customer, invoice: null, currency: 'gbp', amount: 777 },
    ]);

    const loaded = await h.stripe.invoices.retrieve(invoice);
    expect(loaded.status).toBe('paid');
    expect(loaded.number).toBe('UMB-0001');
    expect(loaded.total).toBe(234_000);
    expect(loaded.amount_paid).toBe(234_000);
    expect(loaded.amount_remaining).toBe(0);
    expect(loaded.customer_email).toBe('ar@umbrella.example');
    expect(loaded.status_transitions.paid_at).toBe(1_750_000_300);
    expect(loaded.lines.data.map((l) => l.amount)).toEqual([120_000, 114_000]);

    const pending = await h.stripe.invoiceItems.list({ customer, pending: true });
    expect(pending.data.map((i) => i.id)).toEqual([stripeId('ii', 3)]);
    const cus = await h.stripe.customers.retrieve(customer);
    expect('currency' in cus && cus.currency).toBe('gbp');
    // The seeded currency lock holds for API writes too.
    await expect(h.stripe.invoiceItems.create({ customer, amount: 1, currency: 'usd' })).rejects.toMatchObject({
      param: 'currency',
    });
  });

  it('replaces an object loaded twice', async () => {
    const id = stripeId('cus', 6001);
    await bulkInsertObjects(h.pool, 'customer', [{ id, name: 'First' }]);
    await bulkInsertObjects(h.pool, 'customer', [{ id, name: 'Second' }]);
    const customer = await h.stripe.customers.retrieve(id);
    expect('name' in customer && customer.name).toBe('Second');
  });

  it('refuses objects it cannot make sense of', async () => {
    await expect(
      bulkInsertObjects(h.pool, 'invoiceitem', [{ id: stripeId('ii', 99), customer: 'cus_x', currency: 'usd' }]),
    ).rejects.toThrow(/amount/);
    await expect(
      bulkInsertObjects(h.pool, 'invoice', [{ id: stripeId('in', 99), customer: 'cus_not_loaded' }]),
    ).rejects.toThrow(/not loaded/);
  });
});
