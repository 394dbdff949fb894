import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { routineRunJob } from '@/server/jobs/routine-run-job';
import { logger } from '@/server/logger';
import type { AuditContext } from '@/server/services/audit/audit-context';
import { queuedJobs, startJobQueueDatabase } from '@/test/job-queue-database';
import { enqueueDueRuns } from './due-runs';
import { requestRunNow } from './run-now';
import { previewCron, updateSchedule } from './update-schedule';

let database: Awaited<ReturnType<typeof startJobQueueDatabase>>;
let erp: string;
const admin: AuditContext = { actor: { id: null, email: 'admin@schedules.test' }, requestId: 'req-sched', ip: null };

beforeAll(async () => {
  database = await startJobQueueDatabase();
  erp = (
    await db().connection.create({
      data: {
        name: 'ERP',
        system: 'netsuite',
        baseUrl: 'http://127.0.0.1:9',
        credentials: 'v1.unused',
        legalEntityIds: ['US'],
      },
    })
  ).id;
  await db().routineSchedule.create({
    data: { routine: 'billing_eligibility', cron: '15 * * * *', batchSize: 250, enabled: true },
  });
}, 60_000);
afterAll(() => database?.stop());

const billing = { routine: 'billing_eligibility' as const, cron: '15 * * * *', batchSize: 250, enabled: true };

describe('editing a schedule', () => {
  it('previews the next five fire times of a cron', () => {
    const thursday = new Date('2026-11-26T10:12:30Z');
    expect(previewCron('*/20 9-10 * * 1', thursday)).toMatchObject({
      ok: true,
      nextRuns: ['09:00', '09:20', '09:40', '10:00', '10:20'].map((t) => new Date(`2026-11-30T${t}:00Z`)),
    });
    const every = previewCron('*/5 * * * *', thursday);
    expect(every).toEqual({
      ok: true,
      description: 'Every 5 minutes',
      nextRuns: ['10:15', '10:20', '10:25', '10:30', '10:35'].map((t) => new Date(`2026-11-26T${t}:00Z`)),
    });
  });

  it('refuses an invalid cron, naming the problem, and changes nothing', async () => {
    for (const [cron, problem] of [
      ['* * * *', /"\* \* \* \*" is not a 5-field cron expression/],
      ['61 * * * *', /"61 \* \* \* \*" is not a valid cron expression/],
      ['0 0 * * * *', /is not a 5-field cron expression/],
    ] as const) {
      await expect(updateSchedule({ ...billing, cron }, admin)).rejects.toMatchObject({
        message: expect.stringMatching(problem),
        details: { field: 'cron' },
      });
    }
    await expect(updateSchedule({ ...billing, batchSize: 5_000 }, admin)).rejects.toMatchObject({
      message: 'The batch size must be a whole number from 10 to 2000; 5000 is not.',
      details: { field: 'batchSize' },
    });
    expect(await db().routineSchedule.findUniqueOrThrow({ where: { routine: 'billing_eligibility' } })).toMatchObject({
      cron: '15 * * * *',
      batchSize: 250,
      enabled: true,
    });
    expect(await db().auditEvent.count({ where: { action: { startsWith: 'schedule.' } } })).toBe(0);
  });
});

describe('pausing a routine', () => {
  it('stops scheduled runs, Run now and runs queued before the pause, and resuming brings them back', async () => {
    const due = new Date('2026-11-26T10:15:00Z');
    expect((await enqueueDueRuns(due)).requested).toHaveLength(1);
    const queuedBefore = await queuedJobs({ task: 'routine.run' });
    expect(queuedBefore).toHaveLength(1);

    const paused = await updateSchedule({ ...billing, enabled: false }, admin);
    expect(paused.message).toBe(
      'Billing eligibility schedule saved and paused: no new run starts until it is resumed.',
    );

    expect((await enqueueDueRuns(new Date('2026-11-26T11:15:00Z'))).requested).toEqual([]);
    expect(await requestRunNow({ routine: 'billing_eligibility' }, admin)).toEqual({
      queued: 0,
      message:
        'No run queued: Billing eligibility is paused. An admin can resume it under Admin → Connections & schedules.',
    });
    // The run queued before the pause does not start: no SyncRun is created for it.
    await routineRunJob.handler(queuedBefore[0]!.payload, {
      jobId: queuedBefore[0]!.id,
      attempt: 1,
      signal: new AbortController().signal,
      logger,
    } as never);
    expect(await db().syncRun.count({ where: { connectionId: erp } })).toBe(0);

    const resumed = await updateSchedule({ ...billing, cron: '*/30 * * * *', enabled: true }, admin);
    expect(resumed.message).toBe('Billing eligibility schedule saved: it runs every 30 minutes (UTC).');
    expect((await enqueueDueRuns(new Date('2026-11-26T12:30:00Z'))).routines).toEqual(['billing_eligibility']);
    expect((await requestRunNow({ routine: 'billing_eligibility' }, admin)).queued).toBe(1);

    const audit = await db().auditEvent.findMany({
      where: { action: { startsWith: 'schedule.' } },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((e) => [e.action, e.actorEmail, e.targetId, e.after])).toEqual([
      [
        'schedule.paused',
        'admin@schedules.test',
        'billing_eligibility',
        { cron: '15 * * * *', batchSize: 250, enabled: false },
      ],
      [
        'schedule.resumed',
        'admin@schedules.test',
        'billing_eligibility',
        { cron: '*/30 * * * *', batchSize: 250, enabled: true },
      ],
    ]);
  });
});
