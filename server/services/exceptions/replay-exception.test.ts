import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedFetch, type NetSuiteTarget } from '@/sandbox/netsuite/oauth-signed-fetch';
import { db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { connectorFor } from '@/server/services/connections/connections';
import { pullAll } from '@/server/sync/pull-all';
import { runRoutine } from '@/server/sync/run-routine';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { dryRunException, replayException } from './replay-exception';
import type { ExceptionActor } from './work-exception';

let fixture: Awaited<ReturnType<typeof startConnectedSandbox>>;
let stripe: Stripe;
let netsuite: NetSuiteTarget;
let finance: ExceptionActor;
let operations: ExceptionActor;

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
  await runRoutine({
    routine: 'billing_eligibility',
    connectionId: fixture.connections.netsuite,
    legalEntityId: 'UK',
    trigger: 'manual',
  });
  const demo = async (email: string): Promise<ExceptionActor> => {
    const u = await db().user.findUniqueOrThrow({ where: { email } });
    return { id: u.id, email: u.email, role: u.role };
  };
  finance = await demo('finance@syncwright.example');
  operations = await demo('operations@syncwright.example');
}, 120_000);
afterAll(() => fixture?.stop());

type HeldTimeBill = { record: { externalId: string; data: Record<string, string> } };

async function itemCount() {
  let n = 0;
  for await (const item of stripe.invoiceItems.list({ limit: 100 })) if (item.metadata?.syncwright_id) n += 1;
  return n;
}

function openTaxCodeException(skip = 0) {
  return db().syncException.findFirstOrThrow({
    where: { routine: 'billing_eligibility', code: 'TAX_CODE_MISSING', status: 'open', legalEntityId: 'UK' },
    orderBy: [{ firstSeenAt: 'asc' }, { id: 'asc' }],
    skip,
  });
}

async function fixTaxCode(exception: { payload: unknown }) {
  const projectId = String((exception.payload as HeldTimeBill).record.data.customer);
  const projects = await pullAll(await connectorFor(fixture.connections.netsuite), 'job');
  const erpCustomer = String(projects.find((p) => p.externalId === projectId)!.data.parent);
  const key = {
    connectionId: fixture.connections.stripe,
    legalEntityId: 'UK',
    kind: 'tax_code',
    sourceValue: `customer:${erpCustomer}`,
  };
  await db().fieldMapping.upsert({
    where: { connectionId_legalEntityId_version_kind_sourceValue: { ...key, version: 1 } },
    create: { ...key, targetValue: 'txcd_20030000' },
    update: {},
  });
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const auditActions = async (exceptionId: string) =>
  (await db().auditEvent.findMany({ where: { targetId: exceptionId }, orderBy: { id: 'asc' } })).map((a) => a.action);

describe('replaying one exception', () => {
  it('dry run names the key; a replay after the record changed is refused; the fresh plan replays; a second replay is refused', async () => {
    const exception = await openTaxCodeException();
    const timeBill = (exception.payload as HeldTimeBill).record.externalId;
    await fixTaxCode(exception);

    const plan = await dryRunException({ exceptionId: exception.id, actor: finance });
    const item = plan.writes.find((w) => w.objectType === 'invoiceitem')!;
    expect(item).toMatchObject({ system: 'stripe', action: 'create', changes: null });
    expect(item.idempotencyKey).toMatch(/\S{16,}/);
    expect(plan.outcomes).toEqual([{ exceptionId: exception.id, outcome: 'delivered', reason: null }]);

    // The hours change at the source after the dry run: the plan the user saw no longer holds.
    const changed = await signedFetch(netsuite, 'PATCH', `/services/rest/record/v1/timebill/${timeBill}`, {
      body: { hours: 7.25 },
    });
    expect(changed.status).toBe(204);
    const before = await itemCount();
    const stale = await refusal(
      replayException({ exceptionId: exception.id, planToken: plan.planToken, actor: finance }),
    );
    expect(stale).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/changed since your dry run/) });
    expect(await itemCount()).toBe(before);
    expect((await db().syncException.findUniqueOrThrow({ where: { id: exception.id } })).status).toBe('open');

    const fresh = await dryRunException({ exceptionId: exception.id, actor: finance });
    expect(fresh.planToken).not.toBe(plan.planToken);
    expect(fresh.writes.find((w) => w.objectType === 'invoiceitem')!.idempotencyKey).not.toBe(item.idempotencyKey);
    expect(await replayException({ exceptionId: exception.id, planToken: fresh.planToken, actor: finance })).toEqual({
      exceptionId: exception.id,
      outcome: 'delivered',
      reason: null,
      resolved: true,
    });
    expect(await itemCount()).toBe(before + 1);

    const again = await refusal(replayException({ exceptionId: exception.id, actor: finance }));
    expect(again).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already resolved/) });
    expect((await refusal(dryRunException({ exceptionId: exception.id, actor: finance }))).code).toBe('CONFLICT');
    expect(await itemCount()).toBe(before + 1);
    expect(await auditActions(exception.id)).toEqual([
      'exception.replay_refused',
      'exception.replayed',
      'exception.replay_refused',
      'exception.dry_run_refused',
    ]);
  });

  it('operations may neither dry-run nor replay a finance exception; the refusal is recorded', async () => {
    const exception = await openTaxCodeException();
    expect((await refusal(dryRunException({ exceptionId: exception.id, actor: operations }))).code).toBe('FORBIDDEN');
    expect((await refusal(replayException({ exceptionId: exception.id, actor: operations }))).code).toBe('FORBIDDEN');
    expect(await auditActions(exception.id)).toEqual(['access.denied', 'access.denied']);
  });

  it('a record billed at the source since closes its exception as superseded and writes nothing', async () => {
    const exception = await openTaxCodeException();
    const timeBill = (exception.payload as HeldTimeBill).record.externalId;
    await fixTaxCode(exception);
    const billed = await signedFetch(netsuite, 'PATCH', `/services/rest/record/v1/timebill/${timeBill}`, {
      body: { custcol_sw_billed_invoice: 'INV-UK-PAPER-0077' },
    });
    expect(billed.status).toBe(204);
    const before = await itemCount();
    expect(await replayException({ exceptionId: exception.id, actor: finance })).toEqual({
      exceptionId: exception.id,
      outcome: 'superseded',
      reason: 'already billed',
      resolved: true,
    });
    expect(await itemCount()).toBe(before);
    expect(await db().syncException.findUniqueOrThrow({ where: { id: exception.id } })).toMatchObject({
      status: 'resolved',
      resolution: 'superseded: already billed',
    });
  });
});
