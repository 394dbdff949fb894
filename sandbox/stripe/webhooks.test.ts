import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { setUpHarness } from '@/test/stripe-emulator-harness';
import { DEFAULT_STRIPE_SCHEMA } from './stripe-schema';

interface Received {
  body: string;
  signature: string;
  event: Stripe.Event;
}

/** A webhook receiver on 127.0.0.1; `respond` decides each answer ('hang' = never answer). */
async function receiver(respond: (n: number) => number | 'hang' = () => 200) {
  const received: Received[] = [];
  let calls = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls++;
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({
        body,
        signature: String(req.headers['stripe-signature']),
        event: JSON.parse(body) as Stripe.Event,
      });
      const answer = respond(calls);
      if (answer === 'hang') return;
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/stripe`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const h = setUpHarness({ webhookRetry: { attempts: 4, baseDelayMs: 50, timeoutMs: 300 } });

async function paidInvoice(): Promise<Stripe.Invoice> {
  const customer = await h.stripe.customers.create({ name: 'Hooked Inc' });
  const invoice = await h.stripe.invoices.create({ customer: customer.id, currency: 'usd' });
  await h.stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 4200 });
  await h.stripe.invoices.finalizeInvoice(invoice.id);
  return h.stripe.invoices.pay(invoice.id);
}

describe('webhooks', () => {
  it('delivers invoice.paid signed so that stripe.webhooks.constructEvent verifies it', async () => {
    const hook = await receiver();
    try {
      const endpoint = await h.stripe.webhookEndpoints.create({
        url: hook.url,
        enabled_events: ['invoice.paid', 'invoice.finalized'],
      });
      expect(endpoint.secret).toMatch(/^whsec_/);
      expect(endpoint.status).toBe('enabled');
      const retrieved = await h.stripe.webhookEndpoints.retrieve(endpoint.id);
      expect(retrieved.secret).toBeUndefined();

      const invoice = await paidInvoice();
      const delivery = await eventually(
        () => hook.received.find((r) => r.event.type === 'invoice.paid'),
        'invoice.paid',
      );
      const event = h.stripe.webhooks.constructEvent(delivery.body, delivery.signature, endpoint.secret ?? '');
      expect(event.type).toBe('invoice.paid');
      expect((event.data.object as Stripe.Invoice).id).toBe(invoice.id);
      expect((event.data.object as Stripe.Invoice).status).toBe('paid');
      expect(() => h.stripe.webhooks.constructEvent(delivery.body, delivery.signature, 'whsec_wrong')).toThrow(
        Stripe.errors.StripeSignatureVerificationError,
      );
      // Only subscribed types arrive.
      expect(hook.received.every((r) => ['invoice.paid', 'invoice.finalized'].includes(r.event.type))).toBe(true);

      const stored = await h.stripe.events.retrieve(event.id);
      expect(stored.type).toBe('invoice.paid');
      await eventually(
        async () => ((await h.stripe.events.retrieve(event.id)).pending_webhooks === 0 ? true : undefined),
        'delivery recorded',
      );
      await h.stripe.webhookEndpoints.del(endpoint.id);
    } finally {
      await hook.close();
    }
  });

  it('retries a failing endpoint with backoff until it answers 2xx', async () => {
    // Fails twice with 500, then does not answer at all (timeout), then accepts.
    const hook = await receiver((n) => (n <= 2 ? 500 : n === 3 ? 'hang' : 200));
    try {
      const endpoint = await h.stripe.webhookEndpoints.create({ url: hook.url, enabled_events: ['customer.created'] });
      const customer = await h.stripe.customers.create({ name: 'Retry Me' });
      const delivery = await eventually(async () => {
        const { rows } = await h.pool.query<{ status: string; attempts: number }>(
          `SELECT d.status, d.attempts FROM ${DEFAULT_STRIPE_SCHEMA}.webhook_deliveries d JOIN ${DEFAULT_STRIPE_SCHEMA}.events e ON e.id = d.event_id
            WHERE e.doc->'data'->'object'->>'id' = $1`,
          [customer.id],
        );
        return rows[0]?.status === 'delivered' ? rows[0] : undefined;
      }, 'the retried delivery');
      expect(delivery.attempts).toBe(4);
      expect(hook.received).toHaveLength(4);
      expect(new Set(hook.received.map((r) => r.event.id)).size).toBe(1);
      for (const r of hook.received) {
        expect(h.stripe.webhooks.constructEvent(r.body, r.signature, endpoint.secret ?? '').id).toBe(r.event.id);
      }
      await h.stripe.webhookEndpoints.del(endpoint.id);
    } finally {
      await hook.close();
    }
  });

  it('gives up after the configured attempts and reports the event as undelivered', async () => {
    const hook = await receiver(() => 503);
    try {
      const endpoint = await h.stripe.webhookEndpoints.create({
        url: hook.url,
        enabled_events: ['invoiceitem.created'],
      });
      const customer = await h.stripe.customers.create({});
      const item = await h.stripe.invoiceItems.create({ customer: customer.id, amount: 1, currency: 'usd' });
      await eventually(async () => {
        const failed = await h.stripe.events.list({ type: 'invoiceitem.created', delivery_success: false });
        return failed.data.find(
          (e) => (e.data.object as Stripe.InvoiceItem).id === item.id && e.pending_webhooks === 0,
        );
      }, 'the delivery to fail for good');
      expect(hook.received).toHaveLength(4);
      await h.stripe.webhookEndpoints.del(endpoint.id);
    } finally {
      await hook.close();
    }
  });

  it('resumes pending deliveries after a restart', async () => {
    let up = false;
    const hook = await receiver(() => (up ? 200 : 500));
    try {
      await h.restart({ webhookRetry: { attempts: 50, baseDelayMs: 100, timeoutMs: 300 } });
      const endpoint = await h.stripe.webhookEndpoints.create({ url: hook.url, enabled_events: ['*'] });
      const customer = await h.stripe.customers.create({ name: 'Across restarts' });
      await eventually(() => (hook.received.length >= 1 ? true : undefined), 'a first failed attempt');
      await h.restart({ webhookRetry: { attempts: 50, baseDelayMs: 100, timeoutMs: 300 } });
      up = true;
      const delivered = await eventually(
        () =>
          hook.received.find(
            (r) =>
              r.event.type === 'customer.created' && (r.event.data.object as Stripe.Customer).id === customer.id && up,
          ),
        'the delivery after restart',
      );
      expect(h.stripe.webhooks.constructEvent(delivered.body, delivered.signature, endpoint.secret ?? '').type).toBe(
        'customer.created',
      );
      await h.stripe.webhookEndpoints.del(endpoint.id);
    } finally {
      await hook.close();
    }
  });

  it('lists and deletes webhook endpoints and records events for every change', async () => {
    const endpoint = await h.stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/unused',
      enabled_events: ['invoice.voided'],
    });
    const listed = await h.stripe.webhookEndpoints.list();
    expect(listed.data.map((e) => e.id)).toContain(endpoint.id);
    const deleted = await h.stripe.webhookEndpoints.del(endpoint.id);
    expect(deleted.deleted).toBe(true);
    await expect(h.stripe.webhookEndpoints.retrieve(endpoint.id)).rejects.toMatchObject({ statusCode: 404 });
    await expect(h.stripe.webhookEndpoints.create({ url: 'not a url', enabled_events: ['*'] })).rejects.toMatchObject({
      code: 'url_invalid',
    });

    const customer = await h.stripe.customers.create({ name: 'Evented' });
    await h.stripe.customers.update(customer.id, { name: 'Evented 2' });
    const updates = await h.stripe.events.list({ type: 'customer.*', limit: 100 });
    const mine = updates.data.filter((e) => (e.data.object as Stripe.Customer).id === customer.id);
    expect(mine.map((e) => e.type)).toEqual(['customer.updated', 'customer.created']);
    expect(mine[0]?.data.previous_attributes).toEqual({ name: 'Evented' });
  });
});
