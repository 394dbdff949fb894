import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { queuedJobs } from '@/test/job-queue-database';
import { ROUTINE_RUN_MAX_ATTEMPTS } from '@/server/jobs/routine-run-spec';
import { requestRun } from './request-run';

// The shared test database: every request here uses a connection id of its own, so the job
// keys (and queues) are this file's alone.
const keys: string[] = [];
afterAll(async () => {
  for (const key of keys) await db().$executeRaw`SELECT graphile_worker.remove_job(${key}::text)`;
  await db().$disconnect();
});

function request(overrides: Partial<Parameters<typeof requestRun>[1]> = {}) {
  return {
    routine: 'billing_eligibility',
    connectionId: randomUUID(),
    legalEntityId: 'UK',
    trigger: 'manual',
    ...overrides,
  } as const;
}

const jobsFor = (key: string) => queuedJobs({ task: 'routine.run', queueName: key });

describe('requestRun', () => {
  it('queues a routine.run job keyed and queued by routine, connection and entity when its transaction commits', async () => {
    const run = request();
    const { jobId, key } = await db().$transaction((tx) => requestRun(tx, run));
    keys.push(key);
    expect(key).toBe(`routine:billing_eligibility:${run.connectionId}:UK`);
    const jobs = await jobsFor(key);
    expect(jobs).toEqual([
      {
        id: jobId,
        task: 'routine.run',
        queueName: key,
        key,
        payload: run,
        maxAttempts: ROUTINE_RUN_MAX_ATTEMPTS,
        attempts: 0,
        locked: false,
      },
    ]);
  });

  it('leaves nothing queued when its transaction rolls back', async () => {
    const run = request({ routine: 'project_activation', legalEntityId: 'DE' });
    const key = `routine:project_activation:${run.connectionId}:DE`;
    keys.push(key);
    await expect(
      db().$transaction(async (tx) => {
        await requestRun(tx, run);
        expect(
          await tx.$queryRaw<unknown[]>`SELECT 1 FROM graphile_worker._private_jobs WHERE key = ${key}`,
        ).toHaveLength(1);
        throw new Error('the business write failed');
      }),
    ).rejects.toThrow('the business write failed');
    expect(await jobsFor(key)).toEqual([]);
  });

  it('folds a second request for the same key into the run already waiting, keeping the latest payload', async () => {
    const first = request({ trigger: 'schedule' });
    const a = await db().$transaction((tx) => requestRun(tx, first));
    keys.push(a.key);
    const b = await db().$transaction((tx) => requestRun(tx, { ...first, trigger: 'manual' }));
    expect(b).toEqual(a);
    const jobs = await jobsFor(a.key);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.payload).toMatchObject({ trigger: 'manual' });

    // Another entity of the same connection is another key.
    const other = await db().$transaction((tx) => requestRun(tx, { ...first, legalEntityId: 'US' }));
    keys.push(other.key);
    expect(other.key).not.toBe(a.key);
    expect(await jobsFor(other.key)).toHaveLength(1);
  });

  it('queues a reconciliation under a key of its own in the routine’s queue: neither request replaces the other', async () => {
    const scheduled = request({ trigger: 'schedule' });
    const run = await db().$transaction((tx) => requestRun(tx, scheduled));
    const reconcile = await db().$transaction((tx) => requestRun(tx, { ...scheduled, trigger: 'reconcile' }));
    keys.push(run.key, reconcile.key);
    expect(reconcile.key).toBe(`${run.key}:reconcile`);
    await db().$transaction((tx) => requestRun(tx, { ...scheduled, trigger: 'manual' }));
    const jobs = await jobsFor(run.key);
    expect(jobs.map((job) => [job.key, (job.payload as { trigger: string }).trigger])).toEqual([
      [run.key, 'manual'],
      [reconcile.key, 'reconcile'],
    ]);
  });

  it('refuses a malformed request and queues nothing', async () => {
    const run = request();
    const attempt = db().$transaction((tx) => requestRun(tx, { ...run, legalEntityId: '' }));
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toThrow(/invalid payload \(legalEntityId: /);
    expect(await queuedJobs({ queueName: `routine:billing_eligibility:${run.connectionId}:` })).toEqual([]);
  });
});
