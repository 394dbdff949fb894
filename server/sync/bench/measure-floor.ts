/**
 * The floor half of `npm run bench:sync`: the same Stripe writes the engine made — its customers,
 * draft invoices and invoice items, with the same fields and idempotency keys — sent straight
 * through the `stripe` SDK, with the connector's client settings and the same number in flight,
 * and nothing else: no reads, no database, no journal. Run in a child process like the engine,
 * so both share the machine with the sandbox in the same way. Writes its wall time as JSON to
 * `--out`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type Stripe from 'stripe';
import { z } from 'zod';
import { RequestLimiter } from '@/server/connectors/request-limiter';
import { customerCreateParams } from '@/server/connectors/stripe/customer-fields';
import { invoiceCreateParams } from '@/server/connectors/stripe/invoice-fields';
import { invoiceItemCreateParams } from '@/server/connectors/stripe/invoice-item-fields';
import { createStripeClient } from '@/server/connectors/stripe/stripe-client';
import { DEFAULT_STRIPE_TIMEOUT_MS } from '@/server/connectors/stripe/stripe-connector';
import type { FloorPlan } from './floor-plan';

const { values } = parseArgs({
  options: { plan: { type: 'string' }, out: { type: 'string' } },
  strict: true,
});
const options = z.object({ plan: z.string().min(1), out: z.string().min(1) }).parse(values);
const plan = JSON.parse(readFileSync(options.plan, 'utf8')) as FloorPlan;

export interface FloorMeasurement {
  seconds: number;
  writes: { customers: number; invoices: number; invoiceItems: number };
}

const stripe = createStripeClient({
  baseUrl: plan.baseUrl,
  secretKey: plan.secretKey,
  timeoutMs: DEFAULT_STRIPE_TIMEOUT_MS,
});
const limiter = new RequestLimiter(plan.limits);

// Parameters are built before the clock starts; only the ids the floor's own objects get are
// filled in while it runs, as the engine learns them from its own writes.
const customers = plan.customers.map((w) => ({ ...w, params: customerCreateParams(w.key, w.fields) }));
const invoices = plan.invoices.map((w) => ({ ...w, params: invoiceCreateParams(w.key, w.fields) }));
const items = plan.invoiceItems.map((w) => ({ ...w, params: invoiceItemCreateParams(w.key, w.fields) }));
const floorIds = new Map<string, string>();
const floorId = (engineId: string | undefined): string => {
  const id = engineId === undefined ? undefined : floorIds.get(engineId);
  if (!id) throw new Error(`The floor has no object for the engine's ${engineId}: it was not created first.`);
  return id;
};

async function createAll<P>(
  writes: { engineId: string; idempotencyKey: string; params: P }[],
  create: (params: P, key: string) => Promise<{ id: string }>,
) {
  await Promise.all(
    writes.map(async (w) => {
      const created = await limiter.run(() => create(w.params, w.idempotencyKey));
      floorIds.set(w.engineId, created.id);
    }),
  );
}

const started = performance.now();
await createAll(customers, (params, idempotencyKey) => stripe.customers.create(params, { idempotencyKey }));
await createAll(invoices, (params, idempotencyKey) =>
  stripe.invoices.create({ ...params, customer: floorId(params.customer) } satisfies Stripe.InvoiceCreateParams, {
    idempotencyKey,
  }),
);
await createAll(items, (params, idempotencyKey) =>
  stripe.invoiceItems.create(
    { ...params, customer: floorId(params.customer), invoice: params.invoice ? floorId(params.invoice) : undefined },
    { idempotencyKey },
  ),
);
const seconds = (performance.now() - started) / 1000;

const measurement: FloorMeasurement = {
  seconds,
  writes: { customers: customers.length, invoices: invoices.length, invoiceItems: items.length },
};
writeFileSync(options.out, JSON.stringify(measurement));
