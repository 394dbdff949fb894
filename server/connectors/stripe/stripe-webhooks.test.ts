import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeEmulator, type StripeEmulator } from '@/sandbox/stripe/stripe-emulator';
import { createScratchDatabase } from '@/test/scratch-database';
import { ConnectorError } from '../connector';
import { createStripeConnector, type StripeConnector } from './stripe-connector';

interface Delivery {
  body: Buffer;
  signature: string;
}

let database: Awaited<ReturnType<typeof createScratchDatabase>>;
let pool: pg.Pool;
let emulator: StripeEmulator;
let connector: StripeConnector;
let receiver: http.Server;
let receiverUrl: string;
const deliveries: Delivery[] = [];

beforeAll(async () => {
  database = await createScratchDatabase({ migrated: false });
  pool = new pg.Pool({ connectionString: database.url });
  emulator = await startStripeEmulator({ pool, port: 0, rateLimitPerSecond: null });
  connector = createStripeConnector({ baseUrl: emulator.baseUrl, secretKey: emulator.credentials.secretKey });
  // Our side of the webhook: keeps the exact bytes, as the route handler must.
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      deliveries.push({ body: Buffer.concat(chunks), signature: String(req.headers['stripe-signature']) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/webhooks/stripe`;
});

afterAll(async () => {
  await emulator?.close();
  await pool?.end();
  await database?.drop();
  receiver?.closeAllConnections();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

async function delivered(match: (event: Stripe.Event) => boolean): Promise<Delivery> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = deliveries.find((d) => match(JSON.parse(d.body.toString('utf8')) as Stripe.Event));
    if (found) return found;
    if (Date.now() > deadline) throw new Error('no matching webhook delivery arrived');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function refusal(verify: () => unknown) {
  try {
    verify();
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorError);
    return (error as ConnectorError).classified;
  }
  throw new Error('expected the webhook to be refused');
}

describe('webhooks', () => {
  it('verifies a real delivery from Stripe and refuses a tampered one', async () => {
    const endpoint = await connector.createWebhookEndpoint(receiverUrl, ['invoice.finalized', 'invoice.paid'], {
      description: 'Syncwright',
    });
    expect(endpoint).toMatchObject({ url: receiverUrl, enabledEvents: ['invoice.finalized', 'invoice.paid'] });
    expect(endpoint.secret).toMatch(/^whsec_/);

    const customer = await connector.upsert(
      'customer',
      { key: 'cust-hooked', fields: { name: 'Hooked Inc' } },
      'idem-cust-hooked',
    );
    await connector.createInvoiceItem(
      'line-hooked',
      { customer: customer.externalId, currency: 'usd', amount: 4_200 },
      'idem-line-hooked',
    );
    const draft = await connector.createDraftInvoice(
      'inv-hooked',
      { customer: customer.externalId },
      'idem-inv-hooked',
    );
    await connector.finalizeInvoice(draft.object.id ?? '', 'finalize-inv-hooked');

    const delivery = await delivered(
      (e) => e.type === 'invoice.finalized' && (e.data.object as Stripe.Invoice).id === draft.object.id,
    );
    const event = connector.verifyWebhook(delivery.body, delivery.signature, endpoint.secret);
    expect(event.type).toBe('invoice.finalized');
    expect(event.data.object).toMatchObject({ id: draft.object.id, status: 'open', amount_due: 4_200 });
    expect(connector.verifyWebhook(delivery.body.toString('utf8'), delivery.signature, endpoint.secret).id).toBe(
      event.id,
    );

    const tampered = delivery.body.toString('utf8').replace(/"amount_due": ?4200/, '"amount_due": 1');
    expect(tampered).not.toBe(delivery.body.toString('utf8'));
    expect(refusal(() => connector.verifyWebhook(tampered, delivery.signature, endpoint.secret))).toMatchObject({
      class: 'auth',
      code: 'webhook_signature_invalid',
    });
    expect(
      refusal(() => connector.verifyWebhook(delivery.body, delivery.signature, 'whsec_notthesecret')),
    ).toMatchObject({ class: 'auth' });
    expect(refusal(() => connector.verifyWebhook(delivery.body, '', endpoint.secret))).toMatchObject({ class: 'auth' });
    expect(refusal(() => connector.verifyWebhook(delivery.body, delivery.signature, ''))).toMatchObject({
      class: 'config',
    });
  });

  it('creates one endpoint per idempotency key', async () => {
    const first = await connector.createWebhookEndpoint(receiverUrl, ['invoice.voided'], {
      idempotencyKey: 'endpoint-voided',
    });
    const again = await connector.createWebhookEndpoint(receiverUrl, ['invoice.voided'], {
      idempotencyKey: 'endpoint-voided',
    });
    expect(again).toEqual(first);
  });
});
