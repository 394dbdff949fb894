import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedFetch, type NetSuiteTarget } from '@/sandbox/netsuite/oauth-signed-fetch';
import type { PulledRecord } from '@/server/connectors/connector';
import { db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { connectorFor } from '@/server/services/connections/connections';
import { BatchJournal } from '@/server/sync/pipeline/batch-journal';
import { Deliverer } from '@/server/sync/pipeline/deliverer';
import { pullAll } from '@/server/sync/pull-all';
import { DEFAULT_RETRY_POLICY } from '@/server/sync/retry';
import { ROUTINE_DEFINITIONS } from '@/server/sync/routines/registry';
import { runRoutine } from '@/server/sync/run-routine';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { dryRunReplay, replayExceptions } from './replay-exceptions';

let fixture: Awaited<ReturnType<typeof startConnectedSandbox>>;
let stripe: Stripe;
let netsuite: NetSuiteTarget;
const context = { actor: { id: null, email: 'finance@syncwright.example' }, requestId: null, ip: null };

beforeAll(async () => {
  fixture = await startConnectedSandbox();
  const url = new URL(fixture.sandbox.stripe.baseUrl);
  stripe = new Stripe(fixture.sandbox.stripe.secretKey, {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
  const { baseUrl, accountId, ...credentials } = fixture.sandbox.netsuite;
  netsuite = { baseUrl, accountId, credentials };
  for (const legalEntityId of ['UK', 'US']) {
    await runRoutine({
      routine: 'billing_eligibility',
      connectionId: fixture.connections.netsuite,
      legalEntityId,
      trigger: 'manual',
    });
  }
}, 120_000);
afterAll(() => fixture?.stop());

async function itemCount() {
  let n = 0;
  for await (const item of stripe.invoiceItems.list({ limit: 100 })) if (item.metadata?.syncwright_id) n += 1;
  return n;
}

type HeldTimeBill = { record: { externalId: string; data: Record<string, string> } };

/** The oldest open billing exception with this code; each is a time bill. */
function openException(code: 'TAX_CODE_MISSING' | 'RATE_CARD_MISSING') {
  return db().syncException.findFirstOrThrow({
    where: { routine: 'billing_eligibility', code, status: 'open' },
    orderBy: [{ firstSeenAt: 'asc' }, { id: 'asc' }],
  });
}

/** The fix: a tax code for the held time bill's customer in the UK entity, on the billing connection. */
async function fixTaxCode(exception: { payload: unknown }) {
  const projectId = String((exception.payload as HeldTimeBill).record.data.customer);
  const projects = await pullAll(await connectorFor(fixture.connections.netsuite), 'job');
  const erpCustomer = String(projects.find((p) => p.externalId === projectId)!.data.parent);
  await db().fieldMapping.upsert({
    where: {
      connectionId_legalEntityId_version_kind_sourceValue: {
        connectionId: fixture.connections.stripe,
        legalEntityId: 'UK',
        version: 1,
        kind: 'tax_code',
        sourceValue: `customer:${erpCustomer}`,
      },
    },
    create: {
      connectionId: fixture.connections.stripe,
      legalEntityId: 'UK',
      kind: 'tax_code',
      sourceValue: `customer:${erpCustomer}`,
      targetValue: 'txcd_20030000',
    },
    update: {},
  });
}

/** The other fix: the held time bill's role gets a rate on its project, in the ERP. */
async function addRateCard(exception: { payload: unknown }) {
  const { customer: projectId, custcol_sw_role: role } = (exception.payload as HeldTimeBill).record.data;
  const projects = await pullAll(await connectorFor(fixture.connections.netsuite), 'job');
  const currency = String(projects.find((p) => p.externalId === projectId)!.data.currency);
  const added = await signedFetch(netsuite, 'POST', '/services/rest/record/v1/customrecord_sw_ratecard', {
    body: {
      name: `${role} rate`,
      custrecord_sw_rc_project: { id: projectId },
      custrecord_sw_rc_role: role,
      custrecord_sw_rc_rate: 180,
      custrecord_sw_rc_currency: { id: currency },
    },
  });
  expect(added.status).toBe(204);
}

async function historyOf(exceptionId: string) {
  return db().exceptionEvent.findMany({ where: { exceptionId }, orderBy: { id: 'asc' } });
}

describe('replay', () => {
  it('after the mapping is fixed, a dry run shows one invoice item to create and the replay creates it', async () => {
    const exception = await openException('TAX_CODE_MISSING');

    // Unfixed, the dry run says the record would fail again and plans no write.
    const unfixed = await dryRunReplay({ exceptionIds: [exception.id] });
    expect(unfixed.outcomes).toEqual([
      { exceptionId: exception.id, outcome: 'exception', reason: expect.stringContaining('TAX_CODE_MISSING') },
    ]);
    expect(unfixed.writes).toEqual([]);

    await fixTaxCode(exception);
    const before = await itemCount();
    const plan = await dryRunReplay({ exceptionIds: [exception.id] });
    expect(plan.outcomes[0]?.outcome).toBe('delivered');
    expect(plan.summary.filter((s) => s.objectType === 'invoiceitem')).toEqual([
      { system: 'stripe', objectType: 'invoiceitem', action: 'create', count: 1 },
    ]);
    expect(await itemCount()).toBe(before); // the dry run wrote nothing

    const replayed = await replayExceptions({ exceptionIds: [exception.id] }, context);
    expect(replayed).toEqual([{ exceptionId: exception.id, outcome: 'delivered', reason: null, resolved: true }]);
    expect(await itemCount()).toBe(before + 1);
    expect(await db().syncException.findUniqueOrThrow({ where: { id: exception.id } })).toMatchObject({
      status: 'resolved',
      resolution: 'replayed: delivered',
    });
    expect(await db().auditEvent.count({ where: { action: 'exception.replayed', targetId: exception.id } })).toBe(1);
  });

  it('refuses to replay a resolved or an ignored exception, writing nothing', async () => {
    const resolved = await db().syncException.findFirstOrThrow({
      where: { routine: 'billing_eligibility', status: 'resolved' },
    });
    const ignored = await openException('TAX_CODE_MISSING');
    await db().syncException.update({ where: { id: ignored.id }, data: { status: 'ignored' } });
    const before = await itemCount();

    for (const id of [resolved.id, ignored.id]) {
      for (const attempt of [
        () => replayExceptions({ exceptionIds: [id] }, context),
        () => dryRunReplay({ exceptionIds: [id] }),
      ]) {
        const error = await attempt().then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/resolved|ignored/) });
      }
    }
    expect(await itemCount()).toBe(before);
    expect(await db().auditEvent.count({ where: { action: 'exception.replayed', targetId: resolved.id } })).toBe(1);
    expect(await db().auditEvent.count({ where: { action: 'exception.replayed', targetId: ignored.id } })).toBe(0);
  });

  it('after the time bill was billed at the source, closes the exception as superseded and bills nothing again', async () => {
    const exception = await openException('RATE_CARD_MISSING');
    const timeBill = (exception.payload as HeldTimeBill).record.externalId;
    await addRateCard(exception); // the held snapshot alone would now be billed a second time
    const billed = await signedFetch(netsuite, 'PATCH', `/services/rest/record/v1/timebill/${timeBill}`, {
      body: { custcol_sw_billed_invoice: 'INV-UK-PAPER-0042' },
    });
    expect(billed.status).toBe(204);
    const before = await itemCount();

    const plan = await dryRunReplay({ exceptionIds: [exception.id] });
    expect(plan.outcomes).toEqual([{ exceptionId: exception.id, outcome: 'superseded', reason: 'already billed' }]);
    expect(plan.writes).toEqual([]);

    const replayed = await replayExceptions({ exceptionIds: [exception.id] }, context);
    expect(replayed).toEqual([
      { exceptionId: exception.id, outcome: 'superseded', reason: 'already billed', resolved: true },
    ]);
    expect(await itemCount()).toBe(before);
    expect(await db().syncException.findUniqueOrThrow({ where: { id: exception.id } })).toMatchObject({
      status: 'resolved',
      resolution: 'superseded: already billed',
    });
    expect((await historyOf(exception.id)).at(-1)).toMatchObject({ type: 'superseded', note: 'already billed' });
  });

  it('after the time bill was deleted at the source, closes the exception as superseded and writes nothing', async () => {
    const exception = await openException('RATE_CARD_MISSING');
    const timeBill = (exception.payload as HeldTimeBill).record.externalId;
    const deleted = await signedFetch(netsuite, 'DELETE', `/services/rest/record/v1/timebill/${timeBill}`);
    expect(deleted.status).toBe(204);
    const before = await itemCount();
    const deliveries = await db().delivery.count();

    const plan = await dryRunReplay({ exceptionIds: [exception.id] });
    expect(plan.outcomes).toEqual([
      { exceptionId: exception.id, outcome: 'superseded', reason: 'deleted at the source' },
    ]);
    expect(plan.writes).toEqual([]);

    const replayed = await replayExceptions({ exceptionIds: [exception.id] }, context);
    expect(replayed).toEqual([
      { exceptionId: exception.id, outcome: 'superseded', reason: 'deleted at the source', resolved: true },
    ]);
    expect(await itemCount()).toBe(before);
    expect(await db().delivery.count()).toBe(deliveries);
    expect(await db().syncException.findUniqueOrThrow({ where: { id: exception.id } })).toMatchObject({
      status: 'resolved',
      resolution: 'superseded: deleted at the source',
    });
    expect((await historyOf(exception.id)).at(-1)).toMatchObject({
      type: 'superseded',
      note: 'deleted at the source',
    });
  });
});

describe('invoice status held at a status billing has since moved past', () => {
  let held: Stripe.Invoice[];
  const exceptionOf = (invoice: Stripe.Invoice) =>
    db().syncException.findFirstOrThrow({
      where: {
        routine: 'invoice_status',
        code: 'TARGET_REJECTED',
        externalIds: { array_contains: [{ system: 'stripe', externalId: invoice.id }] },
      },
    });
  const heldMessageOf = (exception: { payload: unknown }) => exception.payload as { record: PulledRecord };
  const erpInvoice = async (invoice: Stripe.Invoice) =>
    (await (await connectorFor(fixture.connections.netsuite)).get('invoice', invoice.id))!;
  const runInvoiceStatus = () =>
    runRoutine({
      routine: 'invoice_status',
      connectionId: fixture.connections.stripe,
      legalEntityId: 'US',
      trigger: 'schedule',
    });

  beforeAll(async () => {
    held = (await stripe.invoices.list({ status: 'open', limit: 100 })).data
      .filter((i) => i.metadata?.legal_entity === 'US')
      .slice(0, 2);
    expect(held).toHaveLength(2);
    // The ERP refuses every write during the first run: each invoice's status is held as it was then.
    fixture.sandbox.faults.netsuite.set({ rateReject: 1 });
    try {
      await runInvoiceStatus();
    } finally {
      fixture.sandbox.faults.netsuite.reset();
    }
    for (const invoice of held) {
      const exception = await exceptionOf(invoice);
      expect(exception.status).toBe('open');
      expect(heldMessageOf(exception).record.data.status).toBe('open');
      await stripe.invoices.pay(invoice.id);
    }
  }, 120_000);

  it('replay never writes the older status: it closes the exception as superseded and the run writes today’s', async () => {
    const [invoice] = held;
    const exception = await exceptionOf(invoice!);
    const erpBefore = await erpInvoice(invoice!);

    const plan = await dryRunReplay({ exceptionIds: [exception.id] });
    expect(plan.outcomes).toEqual([
      { exceptionId: exception.id, outcome: 'superseded', reason: 'status moved on from open to paid' },
    ]);
    expect(plan.writes).toEqual([]);

    const replayed = await replayExceptions({ exceptionIds: [exception.id] }, context);
    expect(replayed).toEqual([
      {
        exceptionId: exception.id,
        outcome: 'superseded',
        reason: 'status moved on from open to paid',
        resolved: true,
      },
    ]);
    expect(await db().syncException.findUniqueOrThrow({ where: { id: exception.id } })).toMatchObject({
      status: 'resolved',
      resolution: 'superseded: status moved on from open to paid',
    });
    expect(await erpInvoice(invoice!)).toEqual(erpBefore);

    // The paid status reaches the ERP with the next run, as it reaches every other change.
    const run = await runInvoiceStatus();
    expect(run.error).toBeNull();
    expect(await erpInvoice(invoice!)).toMatchObject({ custbody_sw_billing_status: 'paid', status: { id: 'B' } });
  });

  it('a copy of an older status arriving late writes nothing: the ERP keeps the later one', async () => {
    const [invoice] = held;
    // The copy held at "open", as a late event would bring it, after the run above wrote "paid".
    const stale = heldMessageOf(await exceptionOf(invoice!)).record;
    const journal = new BatchJournal();
    const prepared = await ROUTINE_DEFINITIONS.invoice_status.prepare({
      runId: null,
      routine: 'invoice_status',
      connectionId: fixture.connections.stripe,
      legalEntityId: 'US',
      source: await connectorFor(fixture.connections.stripe),
      retryPolicy: DEFAULT_RETRY_POLICY,
    });
    await prepared.processBatch([stale], journal, new Deliverer('invoice_status', journal, DEFAULT_RETRY_POLICY));
    await journal.commit();
    expect(journal.ledger).toEqual([
      expect.objectContaining({ outcome: 'noop', reason: 'status already paid; open is older' }),
    ]);
    expect(journal.delivered).toEqual([]);
    expect(await erpInvoice(invoice!)).toMatchObject({ custbody_sw_billing_status: 'paid', status: { id: 'B' } });
  });

  it('a scheduled run that delivers the record resolves its open exception, settled by that run', async () => {
    const [, invoice] = held;
    const exception = await exceptionOf(invoice!);
    // Delivered by the run of the test above, or by this one.
    await runInvoiceStatus();
    const delivery = await db().ledgerEntry.findFirstOrThrow({
      where: { routine: 'invoice_status', sourceId: invoice!.id, outcome: 'delivered' },
      orderBy: { id: 'desc' },
    });
    expect(await erpInvoice(invoice!)).toMatchObject({ custbody_sw_billing_status: 'paid' });

    const settled = await db().syncException.findUniqueOrThrow({ where: { id: exception.id } });
    expect(settled).toMatchObject({ status: 'resolved', resolution: `settled by run ${delivery.runId}` });
    expect((await historyOf(exception.id)).at(-1)).toMatchObject({
      type: 'settled',
      note: `settled by run ${delivery.runId}`,
    });
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { action: 'exception.settled', targetId: exception.id },
    });
    expect(audit).toMatchObject({ actorEmail: 'system:sync', before: { status: 'open' } });
    expect(audit.after).toMatchObject({ status: 'resolved', runId: delivery.runId });
  });
});
