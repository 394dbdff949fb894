import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import type { RoutineName } from '@/server/domain/routines';
import { routineScheduleJob } from '@/server/jobs/routine-schedule-job';
import { queuedJobs, startJobQueueDatabase } from '@/test/job-queue-database';
import { enqueueDueRuns } from './due-runs';
import { firedInTick } from './routine-cron';

// This file owns its database: the schedules and connections below are all there is.
let database: Awaited<ReturnType<typeof startJobQueueDatabase>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  database = await startJobQueueDatabase();
  await db().routineSchedule.createMany({
    data: [
      { routine: 'project_activation', cron: '*/5 * * * *', batchSize: 500, enabled: true },
      { routine: 'billing_eligibility', cron: '15 * * * *', batchSize: 500, enabled: true },
      { routine: 'invoice_status', cron: '*/10 * * * *', batchSize: 500, enabled: true },
      // Due every minute, but paused: never queued by the scheduler.
      { routine: 'change_orders', cron: '* * * * *', batchSize: 500, enabled: false },
    ],
  });
  const connection = async (
    name: string,
    system: 'salesforce' | 'netsuite' | 'stripe',
    legalEntityIds: string[],
    enabled = true,
  ) =>
    (ids[name] = (
      await db().connection.create({
        data: { name, system, baseUrl: 'http://127.0.0.1:9', credentials: 'v1.unused', legalEntityIds, enabled },
      })
    ).id);
  await connection('crm', 'salesforce', ['UK', 'US']);
  await connection('crm-retired', 'salesforce', ['US'], false);
  await connection('erp', 'netsuite', ['US', 'UK', 'DE']);
  // An entity this database does not know is not a target.
  await connection('billing', 'stripe', ['DE', 'FR']);
}, 60_000);
afterAll(() => database?.stop());
beforeEach(() => db().$executeRaw`DELETE FROM graphile_worker._private_jobs`);

const at = (iso: string) => new Date(iso);
async function queuedTargets() {
  const jobs = await queuedJobs({ task: 'routine.run' });
  for (const job of jobs) expect(job.key).toBe(job.queueName);
  return jobs
    .map((job) => job.payload as { routine: RoutineName; connectionId: string; legalEntityId: string; trigger: string })
    .map((p) => {
      expect(p.trigger).toBe('schedule');
      const name = Object.entries(ids).find(([, id]) => id === p.connectionId)![0];
      return `${p.routine} ${name} ${p.legalEntityId}`;
    });
}

describe('firedInTick', () => {
  it('is true when the cron fired in the minute the tick closes', () => {
    expect(firedInTick('*/5 * * * *', at('2026-11-26T10:15:00Z'))).toBe(true);
    expect(firedInTick('*/5 * * * *', at('2026-11-26T10:16:00Z'))).toBe(false);
    expect(firedInTick('15 * * * *', at('2026-11-26T10:15:00Z'))).toBe(true);
    expect(firedInTick('15 * * * *', at('2026-11-26T11:14:00Z'))).toBe(false);
    // A tick that runs late still covers the fire time just before it.
    expect(firedInTick('15 * * * *', at('2026-11-26T10:15:30Z'))).toBe(true);
    expect(firedInTick('0 7 * * 1-5', at('2026-11-28T07:00:00Z'))).toBe(false); // a Saturday
    expect(() => firedInTick('0 0 7 * * *', at('2026-11-26T07:00:00Z'))).toThrow(/not a 5-field cron/);
  });
});

describe('the scheduler tick', () => {
  it('queues exactly the due, enabled routines for each enabled source connection × known entity', async () => {
    const due = await enqueueDueRuns(at('2026-11-26T10:15:00Z'));
    expect(due.routines).toEqual(['project_activation', 'billing_eligibility']);
    expect((await queuedTargets()).sort()).toEqual([
      'billing_eligibility erp DE',
      'billing_eligibility erp UK',
      'billing_eligibility erp US',
      'project_activation crm UK',
      'project_activation crm US',
    ]);
  });

  it('queues other routines on another minute, and nothing on a minute no schedule fires', async () => {
    await enqueueDueRuns(at('2026-11-26T10:20:00Z'));
    expect((await queuedTargets()).sort()).toEqual([
      'invoice_status billing DE',
      'project_activation crm UK',
      'project_activation crm US',
    ]);
    await db().$executeRaw`DELETE FROM graphile_worker._private_jobs`;
    const quiet = await enqueueDueRuns(at('2026-11-26T10:21:00Z'));
    expect(quiet.routines).toEqual([]);
    expect(await queuedTargets()).toEqual([]);
  });

  it('runs off the tick in the cron payload, and a repeated or backfilled tick queues nothing twice', async () => {
    const context = { jobId: '1', attempt: 1, signal: new AbortController().signal, logger: pino({ level: 'silent' }) };
    await routineScheduleJob.handler({ _cron: { ts: '2026-11-26T11:15:00.000Z' } }, context);
    await routineScheduleJob.handler({ _cron: { ts: '2026-11-26T11:15:00.000Z', backfilled: true } }, context);
    await routineScheduleJob.handler({ _cron: { ts: '2026-11-26T11:20:00.000Z' } }, context);
    expect((await queuedTargets()).sort()).toEqual([
      'billing_eligibility erp DE',
      'billing_eligibility erp UK',
      'billing_eligibility erp US',
      'invoice_status billing DE',
      'project_activation crm UK',
      'project_activation crm US',
    ]);
  });

  it('skips a schedule it cannot read without holding back the others', async () => {
    await db().routineSchedule.update({ where: { routine: 'billing_eligibility' }, data: { cron: '15 * * *' } });
    try {
      const due = await enqueueDueRuns(at('2026-11-26T12:15:00Z'));
      expect(due.routines).toEqual(['project_activation']);
      expect((await queuedTargets()).sort()).toEqual(['project_activation crm UK', 'project_activation crm US']);
    } finally {
      await db().routineSchedule.update({ where: { routine: 'billing_eligibility' }, data: { cron: '15 * * * *' } });
    }
  });
});
