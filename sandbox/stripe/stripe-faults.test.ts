import Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector } from '@/sandbox/core/faults';
import { setUpHarness } from '@/test/stripe-emulator-harness';
import { RateLimiter } from './rate-limiter';

/** A seeded generator, so the fault draws are the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const h = setUpHarness({ faults: new FaultInjector(mulberry32(20_240_611)) });
let customerId: string;
beforeAll(async () => {
  customerId = (await h.stripe.customers.create({ name: 'Faulty' })).id;
});

async function control(method: 'GET' | 'PUT', path: string, body?: unknown) {
  const response = await fetch(`${h.emulator.baseUrl}/__sandbox/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('rate limit', () => {
  it('allows N reads and N writes in any one-second window', () => {
    const limiter = new RateLimiter(3);
    expect([0, 10, 20, 30].map((t) => limiter.allow('read', t))).toEqual([true, true, true, false]);
    expect(limiter.allow('write', 30)).toBe(true);
    expect(limiter.allow('read', 999)).toBe(false);
    expect(limiter.allow('read', 1000)).toBe(true); // the read at 0 has left the window
    expect(limiter.allow('read', 1001)).toBe(false);
    limiter.set(null);
    expect(Array.from({ length: 100 }, () => limiter.allow('read', 1002)).every(Boolean)).toBe(true);
    expect(() => limiter.set(0)).toThrow(RangeError);
  });

  it('answers 429 rate_limit beyond N operations a second, which the SDK raises as StripeRateLimitError', async () => {
    h.emulator.setRateLimit(5);
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, () => h.stripe.customers.retrieve(customerId)),
      );
      const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Stripe.errors.StripeError] : []));
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) {
        expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
        expect(error.statusCode).toBe(429);
        expect(error.code).toBe('rate_limit');
        expect(error.rawType).toBe('invalid_request_error');
        expect(error.message).toMatch(/^Request rate limit exceeded\./);
        expect(error.headers?.['stripe-rate-limited-reason']).toBe('global-rate');
      }
    } finally {
      h.emulator.setRateLimit(null);
    }
    const burst = await Promise.all(Array.from({ length: 40 }, () => h.stripe.customers.retrieve(customerId)));
    expect(burst).toHaveLength(40);
  });

  it('is switchable through the control API', async () => {
    expect(await control('PUT', 'rate-limit', { perSecond: 2 })).toEqual({ status: 200, body: { perSecond: 2 } });
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => h.stripe.customers.list({ limit: 1 })));
    expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
    expect(await control('PUT', 'rate-limit', { perSecond: null })).toEqual({ status: 200, body: { perSecond: null } });
    const bad = await control('PUT', 'rate-limit', { perSecond: -3 });
    expect(bad.status).toBe(400);
    expect(String((bad.body.error as { message: string }).message)).toContain('perSecond');
  });
});

describe('fault injection', () => {
  it('fails about 30% of ≥ 300 calls with 500 api_error bodies at a 30% 5xx rate', async () => {
    h.emulator.faults.set({ rate5xx: 0.3 });
    let failures = 0;
    try {
      for (let i = 0; i < 300; i++) {
        try {
          await h.stripe.customers.retrieve(customerId);
        } catch (error) {
          failures++;
          expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
          const e = error as Stripe.errors.StripeError;
          expect(e.statusCode).toBe(500);
          expect(e.rawType).toBe('api_error');
          expect(e.message).toMatch(/something went wrong/);
          expect(e.requestId).toMatch(/^req_/);
        }
      }
    } finally {
      h.emulator.faults.reset();
    }
    // Binomial(300, 0.3): mean 90, sd ≈ 7.9; the band is ± 4.4 sd.
    expect(failures).toBeGreaterThanOrEqual(55);
    expect(failures).toBeLessThanOrEqual(125);
  });

  it('lets the SDK recover from injected 5xx by retrying', async () => {
    h.emulator.faults.set({ rate5xx: 0.5 });
    try {
      const patient = h.client({ maxNetworkRetries: 8 });
      const results = await Promise.all(Array.from({ length: 10 }, () => patient.customers.retrieve(customerId)));
      expect(results.every((c) => c.id === customerId)).toBe(true);
    } finally {
      h.emulator.faults.reset();
    }
  });

  it('renders 429 and reject faults in Stripe’s shapes and rejects only writes', async () => {
    h.emulator.faults.set({ rate429: 1 });
    try {
      await expect(h.stripe.customers.retrieve(customerId)).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    } finally {
      h.emulator.faults.reset();
    }
    h.emulator.faults.set({ rateReject: 1 });
    try {
      const error = await h.stripe.customers.create({ name: 'Nope' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect((error as Stripe.errors.StripeError).statusCode).toBe(400);
      expect((await h.stripe.customers.retrieve(customerId)).id).toBe(customerId);
    } finally {
      h.emulator.faults.reset();
    }
  });

  it('never answers on a timeout fault, so the client gives up', async () => {
    h.emulator.faults.set({ rateTimeout: 1 });
    try {
      const impatient = h.client({ timeout: 300 });
      const error = await impatient.customers.retrieve(customerId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
      expect((error as Error).message).toMatch(/timeout/i);
    } finally {
      h.emulator.faults.reset();
    }
  });

  it('carries out a request whose reply it then loses; the same key replays what was done', async () => {
    // Two: the SDK tries a closed connection once more by itself, with the same key.
    const lose = await control('PUT', 'lost-replies', { path: '/v1/invoiceitems', count: 2 });
    expect(lose).toEqual({
      status: 200,
      body: { lostReplies: [{ method: 'POST', path: '/v1/invoiceitems', count: 2 }] },
    });
    const params = { customer: customerId, amount: 990, currency: 'usd', metadata: { syncwright_id: 'lost-1' } };
    // Requests to other paths are answered as usual.
    expect((await h.stripe.customers.retrieve(customerId)).id).toBe(customerId);
    const error = await h.stripe.invoiceItems
      .create(params, { idempotencyKey: 'lost-reply-1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    // The item was made all the same, once, and only those two replies were lost.
    const made = await h.stripe.invoiceItems.list({ customer: customerId, limit: 100 });
    expect(made.data.filter((i) => i.metadata?.syncwright_id === 'lost-1')).toHaveLength(1);
    expect((await control('GET', 'lost-replies')).body).toEqual({ lostReplies: [] });
    const retried = await h.stripe.invoiceItems.create(params, { idempotencyKey: 'lost-reply-1' });
    expect(retried.id).toBe(made.data.find((i) => i.metadata?.syncwright_id === 'lost-1')?.id);
    expect(retried.lastResponse.headers['idempotent-replayed']).toBe('true');

    expect((await control('PUT', 'lost-replies', { path: '/v1/invoiceitems', count: -1 })).status).toBe(400);
    expect((await control('PUT', 'lost-replies', { path: 'v1/invoiceitems', count: 1 })).status).toBe(400);
    await control('PUT', 'lost-replies', { path: '/v1/invoiceitems', count: 2 });
    expect((await control('PUT', 'lost-replies', { path: '/v1/invoiceitems', count: 0 })).body).toEqual({
      lostReplies: [],
    });
  });

  it('serves the control API: health, faults read and partial update, clear validation errors', async () => {
    const health = await control('GET', 'health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', service: 'stripe', apiVersion: Stripe.API_VERSION });
    const updated = await control('PUT', 'faults', { latencyMs: 5, rate5xx: 0.1 });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ latencyMs: 5, rate5xx: 0.1, rate429: 0 });
    expect((await control('GET', 'faults')).body).toMatchObject({ latencyMs: 5, rate5xx: 0.1 });
    expect(h.emulator.faults.get().rate5xx).toBe(0.1);
    const invalid = await control('PUT', 'faults', { rate5xx: 2 });
    expect(invalid.status).toBe(400);
    expect(String((invalid.body.error as { message: string }).message)).toMatch(/rate5xx/);
    const tooMuch = await control('PUT', 'faults', { rate429: 0.6, rate5xx: 0.6 });
    expect(tooMuch.status).toBe(400);
    expect(String((tooMuch.body.error as { message: string }).message)).toMatch(/add up/);
    h.emulator.faults.reset();
    // Faults never touch the control API itself.
    h.emulator.faults.set({ rate5xx: 1 });
    try {
      expect((await control('GET', 'health')).status).toBe(200);
    } finally {
      h.emulator.faults.reset();
    }
  });
});
