import { createServer, type Server } from 'node:http';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { connectSandbox } from '@/server/services/connections/connect-sandbox';
import { AppError } from '@/server/errors';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { receiveStripeWebhook } from './receive-stripe-webhook';

let fixture: Awaited<ReturnType<typeof startConnectedSandbox>>;
let stripe: Stripe;
let receiver: Server;
const received: { status: number; body: unknown }[] = [];

beforeAll(async () => {
  fixture = await startConnectedSandbox();
  // Stands where the console's /api/webhooks/stripe route stands, handing the raw body on.
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiveStripeWebhook({
        payload: Buffer.concat(chunks).toString('utf8'),
        signature: req.headers['stripe-signature'] as string,
        ip: '127.0.0.1',
      })
        .then((result) => {
          received.push({ status: 200, body: result });
          res.writeHead(200).end();
        })
        .catch((error: unknown) => {
          received.push({ status: 400, body: String(error) });
          res.writeHead(400).end();
        });
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address() as { port: number };
  await connectSandbox(fixture.sandbox, {
    webhookUrl: `http://127.0.0.1:${address.port}/api/webhooks/stripe`,
    stripeLimits: { maxConcurrent: 10, perSecond: null },
  });
  const url = new URL(fixture.sandbox.stripe.baseUrl);
  stripe = new Stripe(fixture.sandbox.stripe.secretKey, {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
}, 120_000);
afterAll(async () => {
  receiver?.close();
  await fixture?.stop();
});

describe('Stripe webhooks', () => {
  it('verifies a real delivery, records it once and requests an invoice-status run for its entity', async () => {
    const open = (await stripe.invoices.list({ status: 'open', limit: 50 })).data.find(
      (i) => i.metadata?.legal_entity === 'UK',
    )!;
    await stripe.invoices.pay(open.id);
    await expect.poll(() => received.length, { timeout: 15_000 }).toBeGreaterThan(0);
    const ok = received.find((r) => r.status === 200)!;
    expect(ok.body).toMatchObject({ duplicate: false, runsRequested: 1 });
    const receipt = await db().webhookReceipt.findFirstOrThrow({ where: { type: 'invoice.paid' } });
    expect(receipt.system).toBe('stripe');
    const jobs = await db().$queryRawUnsafe<{ key: string }[]>(
      `SELECT key FROM graphile_worker.jobs WHERE task_identifier = 'routine.run'`,
    );
    expect(jobs.map((j) => j.key)).toContain(`routine:invoice_status:${fixture.connections.stripe}:UK`);
  });

  it('records a delivery for a paused invoice-status routine but requests no run', async () => {
    await db().routineSchedule.update({ where: { routine: 'invoice_status' }, data: { enabled: false } });
    try {
      const before = received.length;
      const open = (await stripe.invoices.list({ status: 'open', limit: 50 })).data.find(
        (i) => i.metadata?.legal_entity === 'DE',
      )!;
      await stripe.invoices.pay(open.id);
      await expect.poll(() => received.length, { timeout: 15_000 }).toBeGreaterThan(before);
      expect(received.slice(before).find((r) => r.status === 200)!.body).toMatchObject({
        duplicate: false,
        runsRequested: 0,
      });
      const jobs = await db().$queryRawUnsafe<{ key: string }[]>(
        `SELECT key FROM graphile_worker.jobs WHERE task_identifier = 'routine.run'`,
      );
      expect(jobs.map((j) => j.key)).not.toContain(`routine:invoice_status:${fixture.connections.stripe}:DE`);
    } finally {
      await db().routineSchedule.update({ where: { routine: 'invoice_status' }, data: { enabled: true } });
    }
  });

  it('refuses an unsigned or forged request with a clear reason and audits it, and counts a redelivery once', async () => {
    await expect(receiveStripeWebhook({ payload: '{}', signature: null, ip: null })).rejects.toThrow(AppError);
    await expect(
      receiveStripeWebhook({ payload: '{"id":"evt_x"}', signature: 't=1,v1=deadbeef', ip: null }),
    ).rejects.toThrow(/does not match any billing connection/);
    expect(await db().auditEvent.count({ where: { action: 'webhook.rejected' } })).toBeGreaterThanOrEqual(2);

    const receipt = await db().webhookReceipt.findFirstOrThrow({ where: { type: 'invoice.paid' } });
    const secret = (await import('@/server/services/connections/connections')).decryptStoredCredentials(
      await db().connection.findFirstOrThrow({ where: { system: 'stripe' } }),
    ).webhookSecret!;
    const payload = JSON.stringify(receipt.payload);
    const signature = stripe.webhooks.generateTestHeaderString({ payload, secret });
    await expect(receiveStripeWebhook({ payload, signature, ip: null })).resolves.toMatchObject({
      duplicate: true,
      runsRequested: 0,
    });

    const unknown = JSON.stringify({
      id: 'evt_unknown_1',
      object: 'event',
      type: 'charge.succeeded',
      data: { object: {} },
    });
    const signed = stripe.webhooks.generateTestHeaderString({ payload: unknown, secret });
    await expect(receiveStripeWebhook({ payload: unknown, signature: signed, ip: null })).rejects.toThrow(
      /Unknown event type charge.succeeded/,
    );
  });
});
