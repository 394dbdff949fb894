import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '@/test/expect-connector-failure';
import { setUpStripeTestHarness } from '@/test/stripe-connector-harness';
import { ConnectorError } from '../connector';
import { createStripeConnector, type StripeConnectorOptions } from './stripe-connector';

const h = setUpStripeTestHarness();
let customerId: string;

beforeAll(async () => {
  customerId = (await h.stripe.customers.create({ name: 'Faulty Partners' })).id;
});

afterEach(() => {
  h.emulator.faults.reset();
  h.emulator.setRateLimit(null);
});

function connectorWith(options: Partial<StripeConnectorOptions> = {}) {
  return createStripeConnector({
    baseUrl: h.emulator.baseUrl,
    secretKey: h.emulator.credentials.secretKey,
    ...options,
  });
}

describe('rate limits', () => {
  it('reports the emulator’s 429 as transient rate_limit', async () => {
    h.emulator.setRateLimit(2);
    const unlimited = connectorWith({ limits: { maxConcurrent: 20, perSecond: null } });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => unlimited.get('customer', customerId)));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).classified).toMatchObject({
        class: 'transient',
        code: 'rate_limit',
        status: 429,
      });
      expect((error as ConnectorError).classified.message).toMatch(/^Request rate limit exceeded\./);
    }
  });

  it('keeps its own calls under the service’s limit', async () => {
    // Six calls at once would exceed 4 a second. Paced at 2 a second they stay under it, even when
    // network jitter lets two neighbouring one-second batches land in one of the service's windows.
    h.emulator.setRateLimit(4);
    const polite = connectorWith({ limits: { maxConcurrent: 10, perSecond: 2 } });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => polite.get('customer', customerId)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
  });

  it('refuses limits it could not honour', () => {
    expect(() => connectorWith({ limits: { maxConcurrent: 0, perSecond: 5 } })).toThrow(ConnectorError);
  });
});

describe('faults', () => {
  it('reports 5xx as transient api_error', async () => {
    h.emulator.faults.set({ rate5xx: 1 });
    expect(await failure(connectorWith().get('customer', customerId))).toMatchObject({
      class: 'transient',
      code: 'api_error',
      status: 500,
    });
  });

  it('turns an unanswered request into a transient TIMEOUT; the write goes through once on the retry', async () => {
    const impatient = connectorWith({ timeoutMs: 300 });
    const input = { key: 'line-timeout', fields: { customer: customerId, currency: 'usd', amount: 4_200 } };
    h.emulator.faults.set({ rateTimeout: 1 });
    expect(await failure(impatient.upsert('invoiceitem', input, 'idem-line-timeout'))).toMatchObject({
      class: 'transient',
      code: 'TIMEOUT',
    });
    h.emulator.faults.reset();
    // The pipeline's retry, with the same key.
    expect((await impatient.upsert('invoiceitem', input, 'idem-line-timeout')).created).toBe(true);
    expect((await impatient.upsert('invoiceitem', input, 'idem-line-timeout')).created).toBe(false);
    const items = await h.stripe.invoiceItems.list({ customer: customerId });
    expect(items.data.filter((i) => i.metadata?.syncwright_id === 'line-timeout')).toHaveLength(1);
  });

  it('reports an injected validation rejection as business', async () => {
    h.emulator.faults.set({ rateReject: 1 });
    const refused = await failure(
      connectorWith().upsert('customer', { key: 'rejected', fields: { name: 'Nope' } }, 'idem-rejected'),
    );
    expect(refused).toMatchObject({ class: 'business', code: 'invalid_request_error', status: 400 });
  });

  it('reports a request still running under the same key as transient idempotency_key_in_use', async () => {
    h.emulator.faults.set({ latencyMs: 400 });
    const connector = connectorWith();
    const input = { key: 'cust-concurrent', fields: { name: 'Twice at once' } };
    const results = await Promise.allSettled([
      connector.upsert('customer', input, 'idem-concurrent'),
      connector.upsert('customer', input, 'idem-concurrent'),
    ]);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as ConnectorError).classified] : []));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(refused).toEqual([
      expect.objectContaining({ class: 'transient', code: 'idempotency_key_in_use', status: 409 }),
    ]);
  });

  it('reports a wrong secret key as auth', async () => {
    const wrong = connectorWith({ secretKey: 'sk_test_thisisnotthesandboxkey0000' });
    const refused = await failure(wrong.get('customer', customerId));
    expect(refused).toMatchObject({ class: 'auth', status: 401 });
    expect(refused.message).toMatch(/^Invalid API Key provided: sk_test_\*+0000$/);
  });
});
