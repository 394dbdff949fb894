import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { env } from '@/env';
import { db } from '@/server/db/client';
import type { AuditContext } from '@/server/services/audit/audit-context';
import { queuedJobs, startJobQueueDatabase } from '@/test/job-queue-database';
import { requestReconciliation, requestReconciliationNow } from './request-reconciliation';

let database: Awaited<ReturnType<typeof startJobQueueDatabase>>;
let crm: string;
let erp: string;
const operator: AuditContext = {
  actor: { id: null, email: 'finance@reconcile.test' },
  requestId: 'req-reconcile',
  ip: '127.0.0.1',
};

beforeAll(async () => {
  database = await startJobQueueDatabase();
  const connection = (name: string, system: 'salesforce' | 'netsuite', legalEntityIds: string[]) =>
    db().connection.create({
      data: { name, system, baseUrl: 'http://127.0.0.1:9', credentials: 'v1.unused', legalEntityIds },
    });
  crm = (await connection('CRM', 'salesforce', ['US', 'DE'])).id;
  erp = (await connection('ERP', 'netsuite', ['US', 'UK'])).id;
  await db().routineSchedule.createMany({
    data: [
      { routine: 'project_activation', cron: '*/5 * * * *', batchSize: 500, enabled: true },
      { routine: 'billing_eligibility', cron: '15 * * * *', batchSize: 250, enabled: true },
      { routine: 'change_orders', cron: '*/10 * * * *', batchSize: 500, enabled: false },
    ],
  });
}, 60_000);
beforeEach(async () => {
  await db().$executeRaw`DELETE FROM graphile_worker._private_jobs`;
});
afterAll(() => database?.stop());

const queued = async () =>
  (await queuedJobs({ task: 'routine.run' })).map((job) => {
    const { routine, connectionId, legalEntityId, trigger } = job.payload as Record<string, string>;
    return { routine, connectionId, legalEntityId, trigger, key: job.key, queue: job.queueName };
  });

describe('reconciliation requests', () => {
  it('nightly: queues a reconciliation for each target of every scheduled routine, in its queue under a key of its own', async () => {
    const requested = await db().$transaction((tx) => requestReconciliation(tx, {}));
    expect(requested).toHaveLength(4);
    const target = (routine: string, connectionId: string, legalEntityId: string) => {
      const queue = `routine:${routine}:${connectionId}:${legalEntityId}`;
      return { routine, connectionId, legalEntityId, trigger: 'reconcile', key: `${queue}:reconcile`, queue };
    };
    expect(await queued()).toEqual([
      target('project_activation', crm, 'DE'),
      target('project_activation', crm, 'US'),
      target('billing_eligibility', erp, 'UK'),
      target('billing_eligibility', erp, 'US'),
    ]);
  });

  it('for one routine and legal entity, queues only that one, scheduled or not', async () => {
    await db().$transaction((tx) => requestReconciliation(tx, { routine: 'change_orders', legalEntityId: 'DE' }));
    expect((await queued()).map((job) => [job.routine, job.connectionId, job.legalEntityId])).toEqual([
      ['change_orders', crm, 'DE'],
    ]);
    await db().$transaction((tx) => requestReconciliation(tx, { legalEntityId: 'UK' }));
    expect((await queued()).map((job) => [job.routine, job.legalEntityId])).toEqual([
      ['change_orders', 'DE'],
      ['billing_eligibility', 'UK'],
    ]);
  });

  it('on demand: queues and audits each request, and says what it queued', async () => {
    const result = await requestReconciliationNow({ routine: 'billing_eligibility' }, operator);
    expect(result).toEqual({
      queued: 2,
      message: `Billing eligibility: 2 reconciliation runs queued, each re-reading the last ${env.RECONCILE_LOOKBACK_DAYS} days (ERP UK, ERP US).`,
    });
    const events = await db().auditEvent.findMany({
      where: { action: 'sync.reconcile_requested' },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => [e.actorEmail, e.targetId, (e.after as { legalEntityId: string }).legalEntityId])).toEqual(
      [
        ['finance@reconcile.test', 'billing_eligibility', 'UK'],
        ['finance@reconcile.test', 'billing_eligibility', 'US'],
      ],
    );

    const none = await requestReconciliationNow({ routine: 'invoice_status' }, operator);
    expect(none).toEqual({
      queued: 0,
      message: 'No reconciliation queued: no enabled connection serves Invoice status for that legal entity.',
    });
  });
});
