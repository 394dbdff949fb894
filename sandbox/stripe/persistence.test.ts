import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { setUpHarness } from '@/test/stripe-emulator-harness';
import { startStripeEmulator } from './stripe-emulator';

const h = setUpHarness();

describe('persistence', () => {
  it('keeps keys and objects across a restart on the same database', async () => {
    const before = h.emulator.credentials;
    expect(before.secretKey).toMatch(/^sk_test_[0-9A-Za-z]{48}$/);
    expect(before.publishableKey).toMatch(/^pk_test_[0-9A-Za-z]{48}$/);
    const customer = await h.stripe.customers.create({ email: 'keep@me.example', metadata: { erp_id: 'C-42' } });
    const invoice = await h.stripe.invoices.create({ customer: customer.id, currency: 'eur' });
    await h.stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 31_415 });
    const finalized = await h.stripe.invoices.finalizeInvoice(invoice.id);

    const oldClient = h.stripe;
    await h.restart();
    expect(h.emulator.credentials).toEqual(before);
    const reloaded = await h.stripe.invoices.retrieve(invoice.id);
    expect(reloaded.status).toBe('open');
    expect(reloaded.number).toBe(finalized.number);
    expect(reloaded.amount_due).toBe(31_415);
    const reloadedCustomer = (await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect(reloadedCustomer.metadata).toEqual({ erp_id: 'C-42' });
    expect(reloadedCustomer.currency).toBe('eur');
    const events = await h.stripe.events.list({ limit: 100 });
    expect(events.data.map((e) => e.type)).toEqual(
      expect.arrayContaining(['customer.created', 'invoice.created', 'invoiceitem.created', 'invoice.finalized']),
    );
    // The old port is gone; the old client cannot reach the new server.
    await expect(oldClient.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
  });

  it('keeps separate schemas apart in one database, with their own keys', async () => {
    const other = await startStripeEmulator({ pool: h.pool, schema: 'stripe_other', rateLimitPerSecond: null });
    try {
      expect(other.credentials.secretKey).not.toBe(h.emulator.credentials.secretKey);
      const url = new URL(other.baseUrl);
      const client = new Stripe(other.credentials.secretKey, {
        host: url.hostname,
        port: Number(url.port),
        protocol: 'http',
        maxNetworkRetries: 0,
      });
      await client.customers.create({ name: 'Elsewhere' });
      expect((await client.customers.list()).data.map((c) => c.name)).toEqual(['Elsewhere']);
      expect((await h.stripe.customers.list({ limit: 100 })).data.map((c) => c.name)).not.toContain('Elsewhere');
      // A key of one sandbox is refused by the other.
      const foreign = new Stripe(h.emulator.credentials.secretKey, {
        host: url.hostname,
        port: Number(url.port),
        protocol: 'http',
        maxNetworkRetries: 0,
      });
      await expect(foreign.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    } finally {
      await other.close();
    }
  });
});
