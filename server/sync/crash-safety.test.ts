import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnvironment } from '@/env';
import { db } from '@/server/db/client';
import { connectorFor } from '@/server/services/connections/connections';
import { requestRun } from '@/server/services/runs/request-run';
import { quietSchedules } from '@/test/quiet-schedules';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { FieldMappings } from './field-mappings';
import { pullAll } from './pull-all';
import { billableSources } from './routines/billing-eligibility';

/**
 * The worker is killed (SIGKILL: no goodbye, no cleanup) at random moments of a billing run of
 * more than 5,000 records, five times, and restarted each time. Afterwards every record has an
 * outcome and billing holds exactly one invoice item per record — none twice, none lost.
 */
let fixture: Awaited<ReturnType<typeof startConnectedSandbox>>;
let stripe: Stripe;
const ENTITY = 'US';

beforeAll(async () => {
  // 120,000 time bills of history, of which about 5,300 US ones are approved and not yet billed.
  fixture = await startConnectedSandbox({ scale: 120_000 });
  const url = new URL(fixture.sandbox.stripe.baseUrl);
  stripe = new Stripe(fixture.sandbox.stripe.secretKey, {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
  // Small batches: many commits, so the kills land between and inside them. Schedules are quiet:
  // the only run is the one this test asks for.
  await quietSchedules();
  await db().routineSchedule.update({ where: { routine: 'billing_eligibility' }, data: { batchSize: 100 } });
  // A little latency on every billing write keeps the run long enough to be killed five times.
  fixture.sandbox.faults.stripe.set({ latencyMs: 15 });
}, 180_000);
afterAll(() => fixture?.stop());

function startWorker(): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.resolve('server/worker.ts')], {
    env: childEnvironment({
      DATABASE_URL: fixture.databaseUrl,
      LOG_LEVEL: 'error',
      WORKER_CONCURRENCY: '2',
      WORKER_STALE_AFTER_SECONDS: '2',
    }),
    stdio: 'ignore',
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function recordsCommitted(): Promise<number> {
  const runs = await db().syncRun.aggregate({ where: { routine: 'billing_eligibility' }, _sum: { recordsRead: true } });
  return runs._sum.recordsRead ?? 0;
}

async function runFinished(): Promise<boolean> {
  const [queued] = await db().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key LIKE 'routine:billing_eligibility:%'`;
  return (
    queued!.n === 0 &&
    (await db().syncRun.count({ where: { routine: 'billing_eligibility', status: 'succeeded' } })) > 0
  );
}

describe('crash safety', () => {
  it('survives five SIGKILLs of the worker mid-run with no duplicate invoice item and no lost record', async () => {
    // The entity's billable time bills before the run (billing marks those it bills as billed).
    const erp = await connectorFor(fixture.connections.netsuite);
    const subsidiary = (await FieldMappings.load(fixture.connections.netsuite, ENTITY)).sourceOf(
      'legal_entity',
      ENTITY,
    )!;
    const timebills = await pullAll(erp, 'timebill', billableSources(subsidiary)[0]!.filter);

    await db().$transaction((tx) =>
      requestRun(tx, {
        routine: 'billing_eligibility',
        connectionId: fixture.connections.netsuite,
        legalEntityId: ENTITY,
        trigger: 'manual',
      }),
    );

    // Each kill lands at a random moment after the worker has made progress (committed a batch),
    // so every kill interrupts the run somewhere in its middle.
    let kills = 0;
    for (; kills < 5; kills++) {
      const worker = startWorker();
      const before = await recordsCommitted();
      for (let i = 0; i < 600 && (await recordsCommitted()) <= before && !(await runFinished()); i++) await sleep(100);
      await sleep(Math.random() * 700);
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker.once('exit', resolve));
      if (await runFinished()) break;
    }
    expect(kills).toBe(5); // the run outlived every kill, so each one interrupted it

    const worker = startWorker();
    try {
      for (let i = 0; i < 240 && !(await runFinished()); i++) await sleep(1_000);
    } finally {
      worker.kill('SIGTERM');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
    const jobs = await db().$queryRaw<
      object[]
    >`SELECT key, attempts, max_attempts, locked_by, last_error, run_at FROM graphile_worker.jobs`;
    expect(await runFinished(), JSON.stringify({ jobs, runs: await db().syncRun.findMany() })).toBe(true);
    // The runs the kills cut short are closed, not left "running".
    const runs = await db().syncRun.findMany({
      where: { routine: 'billing_eligibility' },
      orderBy: { startedAt: 'asc' },
      select: { status: true, legalEntityId: true, trigger: true, error: true },
    });
    expect(
      runs.filter((r) => r.status === 'running'),
      JSON.stringify(runs),
    ).toEqual([]);
    expect(await db().syncRun.count({ where: { routine: 'billing_eligibility', status: 'failed' } })).toBeGreaterThan(
      0,
    );

    // Every billable time bill of the entity has an outcome, and the run read more than 5,000.
    expect(timebills.length).toBeGreaterThan(5_000);
    const ledger = await db().ledgerEntry.findMany({
      where: { routine: 'billing_eligibility', sourceType: 'timebill' },
      select: { sourceId: true, outcome: true, idempotencyKey: true },
    });
    const withOutcome = new Set(ledger.map((l) => l.sourceId));
    expect(timebills.filter((t) => !withOutcome.has(t.externalId))).toEqual([]);

    // Billing holds each delivered record exactly once.
    const items = new Map<string, number>();
    for await (const item of stripe.invoiceItems.list({ limit: 100 })) {
      const key = item.metadata?.syncwright_id;
      if (key) items.set(key, (items.get(key) ?? 0) + 1);
    }
    expect([...items.values()].filter((n) => n > 1)).toEqual([]);
    const delivered = new Set(ledger.filter((l) => l.outcome === 'delivered').map((l) => l.sourceId));
    expect(items.size).toBeGreaterThanOrEqual(delivered.size);
    expect(await db().delivery.count({ where: { status: 'pending', targetType: 'invoiceitem' } })).toBe(0);
    expect(await db().delivery.count({ where: { status: 'delivered', targetType: 'invoiceitem' } })).toBe(items.size);
    // The ERP knows each of them as billed: none is left in what it reports unbilled.
    const stillUnbilled = new Set(
      (await pullAll(erp, 'timebill', billableSources(subsidiary)[0]!.filter)).map((t) => t.externalId),
    );
    expect([...delivered].filter((id) => stillUnbilled.has(id))).toEqual([]);
  }, 420_000);
});
