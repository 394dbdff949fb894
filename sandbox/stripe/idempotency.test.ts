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

describe('idempotency key expiry on the sandbox clock', () => {
  async function setClock(body: unknown) {
    const response = await fetch(`${h.emulator.baseUrl}/__sandbox/clock`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('replays a key for 24 hours and forgets it after, when the same request runs again', async () => {
    const params = { customer: customerId, amount: 1250, currency: 'usd', metadata: { syncwright_id: 'line-1' } };
    try {
      const first = await h.stripe.invoiceItems.create(params, { idempotencyKey: 'ii-expiring' });
      expect((await setClock({ offsetSeconds: 23 * 3600 + 3599 })).status).toBe(200);
      const withinDay = await h.stripe.invoiceItems.create(params, { idempotencyKey: 'ii-expiring' });
      expect(withinDay.id).toBe(first.id);
      expect(withinDay.lastResponse.headers['idempotent-replayed']).toBe('true');

      const moved = await setClock({ offsetSeconds: 25 * 3600 });
      expect(moved.body.offsetSeconds).toBe(25 * 3600);
      const nextDay = await h.stripe.invoiceItems.create(params, { idempotencyKey: 'ii-expiring' });
      expect(nextDay.id).not.toBe(first.id);
      expect(nextDay.lastResponse.headers['idempotent-replayed']).toBeUndefined();
      // Objects are stamped with the sandbox's time.
      expect(nextDay.date - first.date).toBeGreaterThanOrEqual(25 * 3600 - 60);
      const items = await h.stripe.invoiceItems.list({ customer: customerId, limit: 100 });
      expect(items.data.filter((i) => i.metadata?.syncwright_id === 'line-1')).toHaveLength(2);
    } finally {
      await setClock({ offsetSeconds: 0 });
    }
  });

  it('sets the clock by offset or by date, reads it back, and refuses anything else', async () => {
    try {
      const at = '2031-02-03T04:05:06.000Z';
      const set = await setClock({ now: at });
      expect(set.status).toBe(200);
      expect(Math.abs(Date.parse(String(set.body.now)) - Date.parse(at))).toBeLessThan(5_000);
      const read = await fetch(`${h.emulator.baseUrl}/__sandbox/clock`);
      expect(Math.abs(Date.parse(String(((await read.json()) as { now: string }).now)) - Date.parse(at))).toBeLessThan(
        5_000,
      );
      const customer = await h.stripe.customers.create({ name: 'In the future' });
      expect(Math.abs(customer.created - Date.parse(at) / 1000)).toBeLessThan(5);
      expect((await setClock({ now: 'tomorrow' })).status).toBe(400);
      expect((await setClock({ offsetSeconds: 1, now: at })).status).toBe(400);
      expect((await setClock({ speed: 2 })).status).toBe(400);
    } finally {
      await setClock({ offsetSeconds: 0 });
    }
  });
});
