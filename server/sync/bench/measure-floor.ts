/**
 * The floor half of `npm run bench:sync`: the same writes the engine made, and nothing else — no
 * reads, no database, no journal. Its customers, draft invoices and invoice items, with the same
 * fields and idempotency keys, sent straight through the `stripe` SDK with the connector's client
 * settings and the same number in flight; its billing references onto the ERP's records, through
 * NetSuite's batch operations a hundred at a time with as many batches under way as billing's
 * settle. Each write waits only for what its target needs first (an item its invoice, an invoice
 * its customer, a reference its invoice), so the references go while the items do. Run in a
 * child process like the engine, so both share the machine with the sandbox in the same way.
 * Writes its wall time as JSON to `--out`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type Stripe from 'stripe';
import { z } from 'zod';
import { eachAtMost } from '@/lib/each-at-most';
import { createNetSuiteConnector } from '@/server/connectors/netsuite/netsuite-connector';
import { RequestLimiter } from '@/server/connectors/request-limiter';
import { customerCreateParams } from '@/server/connectors/stripe/customer-fields';
import { invoiceCreateParams } from '@/server/connectors/stripe/invoice-fields';
import { invoiceItemCreateParams } from '@/server/connectors/stripe/invoice-item-fields';
import { createStripeClient } from '@/server/connectors/stripe/stripe-client';
import { DEFAULT_STRIPE_TIMEOUT_MS } from '@/server/connectors/stripe/stripe-connector';
import { SETTLE_PART, SETTLE_PARTS_IN_FLIGHT } from '../routines/billed-in-erp';
import type { FloorPlan, PlannedReference } from './floor-plan';

const { values } = parseArgs({
  options: { plan: { type: 'string' }, out: { type: 'string' } },
  strict: true,
});
const options = z.object({ plan: z.string().min(1), out: z.string().min(1) }).parse(values);
const plan = JSON.parse(readFileSync(options.plan, 'utf8')) as FloorPlan;

export interface FloorMeasurement {
  seconds: number;
  writes: { customers: number; invoices: number; invoiceItems: number; references: number; referenceBatches: number };
}

const stripe = createStripeClient({
  baseUrl: plan.baseUrl,
  secretKey: plan.secretKey,
  timeoutMs: DEFAULT_STRIPE_TIMEOUT_MS,
});
const limiter = new RequestLimiter(plan.limits);
const { baseUrl, accountId, ...credentials } = plan.netsuite;
const erp = createNetSuiteConnector({ baseUrl, accountId, credentials });

// Parameters are built before the clock starts; only the ids the floor's own objects get are
// filled in while it runs, as the engine learns them from its own writes.
const customers = plan.customers.map((w) => ({ ...w, params: customerCreateParams(w.key, w.fields) }));
const invoices = plan.invoices.map((w) => ({ ...w, params: invoiceCreateParams(w.key, w.fields) }));
const items = plan.invoiceItems.map((w) => ({ ...w, params: invoiceItemCreateParams(w.key, w.fields) }));
const referenceBatches: PlannedReference[][] = [];
for (const type of new Set(plan.references.map((r) => r.objectType))) {
  const ofType = plan.references.filter((r) => r.objectType === type);
  for (let start = 0; start < ofType.length; start += SETTLE_PART)
    referenceBatches.push(ofType.slice(start, start + SETTLE_PART));
}
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
await Promise.all([
  createAll(items, (params, idempotencyKey) =>
    stripe.invoiceItems.create(
      { ...params, customer: floorId(params.customer), invoice: params.invoice ? floorId(params.invoice) : undefined },
      { idempotencyKey },
    ),
  ),
  eachAtMost(referenceBatches, SETTLE_PARTS_IN_FLIGHT, async (batch) => {
    // A key of the floor's own: the engine's keys name jobs NetSuite has already carried out.
    const outcomes = await erp.updateMany!(
      batch[0]!.objectType,
      batch.map((r) => ({ targetId: r.targetId, fields: r.fields })),
      randomUUID(),
    );
    const failed = outcomes.find((o) => o !== null);
    if (failed) throw failed;
  }),
]);
const seconds = (performance.now() - started) / 1000;

const measurement: FloorMeasurement = {
  seconds,
  writes: {
    customers: customers.length,
    invoices: invoices.length,
    invoiceItems: items.length,
    references: plan.references.length,
    referenceBatches: referenceBatches.length,
  },
};
writeFileSync(options.out, JSON.stringify(measurement));
