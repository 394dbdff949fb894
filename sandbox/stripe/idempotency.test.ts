import Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { caught, setUpHarness } from '@/test/stripe-emulator-harness';

const h = setUpHarness();
let customerId: string;
beforeAll(async () => {
  customerId = (await h.stripe.customers.create({ name: 'Idempotent Ltd' })).id;
});

describe('idempotency keys', () => {
  it('replays the first result for the same key and parameters: one invoice, same id', async () => {
    const params = { customer: customerId, currency: 'usd', metadata: { source: 'syncwright' } };
    const first = await h.stripe.invoices.create(params, { idempotencyKey: 'inv-create-1' });
    const second = await h.stripe.invoices.create(params, { idempotencyKey: 'inv-create-1' });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    const listed = await h.stripe.invoices.list({ customer: customerId });
    expect(listed.data.map((i) => i.id)).toEqual([first.id]);
  });

  it('treats reordered parameters as the same request', async () => {
    const a = await h.stripe.customers.create(
      { name: 'Order A', email: 'a@example.com' },
      { idempotencyKey: 'cus-order' },
    );
    const b = await h.stripe.customers.create(
      { email: 'a@example.com', name: 'Order A' },
      { idempotencyKey: 'cus-order' },
    );
    expect(b.id).toBe(a.id);
  });

  it('refuses the same key with other parameters', async () => {
    await h.stripe.invoices.create({ customer: customerId, currency: 'usd' }, { idempotencyKey: 'inv-create-2' });
    const error = await caught(
      h.stripe.invoices.create(
        { customer: customerId, currency: 'usd', description: 'changed' },
        { idempotencyKey: 'inv-create-2' },
      ),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe(
      "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'inv-create-2' if you meant to execute a different request.",
    );
  });

  it('refuses the same key on another endpoint', async () => {
    await h.stripe.customers.create({ name: 'Endpoint One' }, { idempotencyKey: 'shared-key' });
    const error = await caught(h.stripe.invoices.create({ customer: customerId }, { idempotencyKey: 'shared-key' }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error.rawType).toBe('idempotency_error');
    expect(error.message).toContain('same endpoint');
  });

  it('answers 409 to a concurrent request with the same key while the first runs', async () => {
    h.emulator.faults.set({ latencyMs: 400 });
    try {
      const params = { customer: customerId, currency: 'usd', description: 'concurrent' };
      const results = await Promise.allSettled([
        h.stripe.invoices.create(params, { idempotencyKey: 'inv-concurrent' }),
        h.stripe.invoices.create(params, { idempotencyKey: 'inv-concurrent' }),
      ]);
      const fulfilled = results.filter((r) => r.status === 'fulfilled');
      const rejected = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Stripe.errors.StripeError] : []));
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect(rejected[0]?.statusCode).toBe(409);
      expect(rejected[0]?.rawType).toBe('idempotency_error');
      expect(rejected[0]?.code).toBe('idempotency_key_in_use');
    } finally {
      h.emulator.faults.reset();
    }
    // Once the first has finished, the key replays it.
    const replay = await h.stripe.invoices.create(
      { customer: customerId, currency: 'usd', description: 'concurrent' },
      { idempotencyKey: 'inv-concurrent' },
    );
    const matching = await h.stripe.invoices.list({ customer: customerId, limit: 100 });
    expect(matching.data.filter((i) => i.description === 'concurrent').map((i) => i.id)).toEqual([replay.id]);
  });

  it('saves business errors but not parameter errors', async () => {
    const other = await h.stripe.customers.create({ name: 'Currency Locked' });
    await h.stripe.invoiceItems.create({ customer: other.id, amount: 100, currency: 'eur' });
    const first = await caught(
      h.stripe.invoiceItems.create({ customer: other.id, amount: 100, currency: 'usd' }, { idempotencyKey: 'ii-usd' }),
    );
    expect(first.param).toBe('currency');
    const replayed = await caught(
      h.stripe.invoiceItems.create({ customer: other.id, amount: 100, currency: 'usd' }, { idempotencyKey: 'ii-usd' }),
    );
    expect(replayed.headers?.['idempotent-replayed']).toBe('true');
    expect(replayed.message).toBe(first.message);

    const invalid = await caught(
      h.stripe.invoiceItems.create(
        { customer: other.id, amount: 'ten' as unknown as number, currency: 'eur' },
        { idempotencyKey: 'ii-fixable' },
      ),
    );
    expect(invalid.code).toBe('parameter_invalid_integer');
    // The parameters differ, yet the key is free again because nothing was saved.
    const fixed = await h.stripe.invoiceItems.create(
      { customer: other.id, amount: 10, currency: 'eur' },
      { idempotencyKey: 'ii-fixable' },
    );
    expect(fixed.amount).toBe(10);
  });

  it('keeps keys across a restart', async () => {
    const before = await h.stripe.customers.create({ name: 'Before restart' }, { idempotencyKey: 'survives-restart' });
    await h.restart();
    const after = await h.stripe.customers.create({ name: 'Before restart' }, { idempotencyKey: 'survives-restart' });
    expect(after.id).toBe(before.id);
    expect(after.lastResponse.headers['idempotent-replayed']).toBe('true');
  });
});
