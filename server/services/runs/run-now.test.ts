import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import type { AuditContext } from '@/server/services/audit/audit-context';
import { verifyAuditChain } from '@/server/services/audit/verify-audit-chain';
import { queuedJobs, startJobQueueDatabase } from '@/test/job-queue-database';
import { listSchedules } from './list-schedules';
import { requestRunNow } from './run-now';

let database: Awaited<ReturnType<typeof startJobQueueDatabase>>;
let crm: string;
const operator: AuditContext = {
  actor: { id: null, email: 'ops@run-now.test' },
  requestId: 'req-run-now',
  ip: '127.0.0.1',
};

beforeAll(async () => {
  database = await startJobQueueDatabase();
  crm = (
    await db().connection.create({
      data: {
        name: 'CRM',
        system: 'salesforce',
        baseUrl: 'http://127.0.0.1:9',
        credentials: 'v1.unused',
        legalEntityIds: ['US', 'DE'],
      },
    })
  ).id;
  await db().connection.create({
    data: {
      name: 'Old CRM',
      system: 'salesforce',
      baseUrl: 'http://127.0.0.1:9',
      credentials: 'v1.unused',
      legalEntityIds: ['UK'],
      enabled: false,
    },
  });
  await db().routineSchedule.createMany({
    data: [
      { routine: 'project_activation', cron: '*/5 * * * *', batchSize: 500, enabled: true },
      { routine: 'billing_eligibility', cron: '15 * * * *', batchSize: 250, enabled: false },
    ],
  });
}, 60_000);
afterAll(() => database?.stop());

describe('Run now', () => {
  it('queues a manual run per enabled source connection × entity and audits each request with it', async () => {
    const result = await requestRunNow({ routine: 'project_activation' }, operator);
    expect(result).toEqual({ queued: 2, message: 'Project activation: 2 runs queued (CRM DE, CRM US).' });

    const jobs = await queuedJobs({ task: 'routine.run' });
    expect(jobs.map((job) => job.key).sort()).toEqual([
      `routine:project_activation:${crm}:DE`,
      `routine:project_activation:${crm}:US`,
    ]);
    for (const job of jobs)
      expect(job.payload).toMatchObject({ routine: 'project_activation', connectionId: crm, trigger: 'manual' });

    const events = await db().auditEvent.findMany({ where: { action: 'sync.run_requested' }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.actorEmail, e.targetType, e.targetId, e.requestId])).toEqual([
      ['ops@run-now.test', 'Routine', 'project_activation', 'req-run-now'],
      ['ops@run-now.test', 'Routine', 'project_activation', 'req-run-now'],
    ]);
    expect(events.map((e) => e.after)).toEqual(
      jobs
        .sort((a, b) => Number(a.id) - Number(b.id))
        .map((job) => ({
          routine: 'project_activation',
          connectionId: crm,
          connection: 'CRM',
          legalEntityId: (job.payload as { legalEntityId: string }).legalEntityId,
          trigger: 'manual',
          jobId: job.id,
        })),
    );
    expect((await verifyAuditChain()).intact).toBe(true);
  });

  it('says plainly when no run can be queued, and records nothing', async () => {
    const before = await db().auditEvent.count();
    const result = await requestRunNow({ routine: 'invoice_status' }, operator);
    expect(result).toEqual({
      queued: 0,
      message:
        'No run queued: Invoice status reads from Stripe, and no enabled Stripe connection serves a legal entity.',
    });
    expect(await queuedJobs({ task: 'routine.run' })).toHaveLength(2);
    expect(await db().auditEvent.count()).toBe(before);
  });
});

describe('schedules', () => {
  it('lists every routine with its cron in words, next fire times, batch size, state and targets', async () => {
    const now = new Date('2026-11-26T10:12:30Z');
    const schedules = await listSchedules(now);
    expect(schedules.map((s) => s.routine)).toEqual([
      'project_activation',
      'billing_eligibility',
      'invoice_status',
      'change_orders',
    ]);
    expect(schedules[0]).toEqual({
      routine: 'project_activation',
      label: 'Project activation',
      sourceSystem: 'salesforce',
      cron: '*/5 * * * *',
      description: 'Every 5 minutes',
      nextRuns: [new Date('2026-11-26T10:15:00Z'), new Date('2026-11-26T10:20:00Z'), new Date('2026-11-26T10:25:00Z')],
      cronError: null,
      batchSize: 500,
      enabled: true,
      targets: 2,
    });
    // Paused: no upcoming runs. Its source (NetSuite) has no connection here.
    expect(schedules[1]).toMatchObject({
      cron: '15 * * * *',
      description: 'Hourly at :15',
      enabled: false,
      nextRuns: [],
      batchSize: 250,
      targets: 0,
    });
    expect(schedules[2]).toMatchObject({
      cron: null,
      description: null,
      enabled: false,
      nextRuns: [],
      batchSize: null,
    });
  });
});
