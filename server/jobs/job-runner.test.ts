import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { requestRun } from '@/server/services/runs/request-run';
import { queuedJobs, startJobQueueDatabase } from '@/test/job-queue-database';
import { defineJob } from './job-definition';
import { startJobRunner, type JobRunner } from './job-runner';
import { ROUTINE_RUN_JOB_ID, ROUTINE_RUN_MAX_ATTEMPTS, routineRunKey, routineRunPayload } from './routine-run-spec';

/**
 * The queueing mechanics of `routine.run` — job keys, named queues, several runners on one
 * database, graceful stop — with a handler the test controls in place of the routine, so the
 * moments that matter (a run in progress, twenty requests arriving) can be held still.
 */
let database: Awaited<ReturnType<typeof startJobQueueDatabase>>;
const runners: JobRunner[] = [];

beforeAll(async () => {
  database = await startJobQueueDatabase();
}, 60_000);
// Each test's runners stop with it, so the next test's jobs meet only its own handlers.
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  await db().$executeRaw`DELETE FROM graphile_worker._private_jobs`;
});
afterAll(() => database?.stop());

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function until(condition: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 300; i++) {
    if (await condition()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A `routine.run` handler that does `work` and counts its executions and how many ran at once. */
function countedRunJob(work: (execution: number) => Promise<void>) {
  const counts = { executions: 0, running: 0, mostAtOnce: 0 };
  const job = defineJob({
    id: ROUTINE_RUN_JOB_ID,
    payload: routineRunPayload,
    maxAttempts: ROUTINE_RUN_MAX_ATTEMPTS,
    async handler() {
      counts.executions += 1;
      counts.running += 1;
      counts.mostAtOnce = Math.max(counts.mostAtOnce, counts.running);
      try {
        await work(counts.executions);
      } finally {
        counts.running -= 1;
      }
    },
  });
  return { job, counts };
}

async function runner(
  jobs: Parameters<typeof startJobRunner>[0]['jobs'],
  options: { staleWorkerAfterMs?: number } = {},
) {
  const started = await startJobRunner({
    connectionString: database.url,
    concurrency: 4,
    jobs,
    pollInterval: 200,
    ...options,
  });
  runners.push(started);
  return started;
}

describe('routine runs across two worker processes', () => {
  it('runs one routine × connection × entity at most once at a time, and queues it at most once more', async () => {
    const payload = {
      routine: 'project_activation',
      connectionId: randomUUID(),
      legalEntityId: 'US',
      trigger: 'schedule',
    } as const;
    const key = routineRunKey(payload);
    const firstStarted = deferred();
    const releaseFirst = deferred();
    const { job, counts } = countedRunJob(async (execution) => {
      if (execution === 1) {
        firstStarted.resolve();
        await releaseFirst.promise;
      }
    });
    await runner([job]);
    await runner([job]);

    await db().$transaction((tx) => requestRun(tx, payload));
    await firstStarted.promise;

    // Twenty more requests while the first run is in progress, each in its own transaction.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db().$transaction((tx) => requestRun(tx, { ...payload, trigger: i % 2 ? 'manual' : 'schedule' })),
      ),
    );

    // graphile-worker's tables: the running job, and exactly one waiting behind it in the same queue.
    const jobs = await queuedJobs({ queueName: key });
    expect(jobs).toHaveLength(2);
    expect(jobs.filter((j) => j.locked)).toHaveLength(1);
    const waiting = jobs.filter((j) => !j.locked);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.key).toBe(key);
    expect(waiting[0]!.task).toBe('routine.run');
    const [queue] = await db().$queryRaw<{ locked_by: string | null }[]>`
      SELECT locked_by FROM graphile_worker._private_job_queues WHERE queue_name = ${key}`;
    expect(queue?.locked_by).not.toBeNull();

    // Both runners are free and listening; still, the waiting run does not start beside the first.
    await sleep(1_500);
    expect(counts.executions).toBe(1);

    releaseFirst.resolve();
    await until(async () => (await queuedJobs({ queueName: key })).length === 0, 'the queue to drain');
    expect(counts.executions).toBe(2);
    expect(counts.mostAtOnce).toBe(1);
  });

  it('runs different keys side by side', async () => {
    const release = deferred();
    const { job, counts } = countedRunJob(() => release.promise);
    await runner([job]);
    const connectionId = randomUUID();
    await db().$transaction(async (tx) => {
      for (const legalEntityId of ['US', 'UK', 'DE']) {
        await requestRun(tx, { routine: 'billing_eligibility', connectionId, legalEntityId, trigger: 'manual' });
      }
    });
    await until(async () => counts.running === 3, 'three runs in progress');
    release.resolve();
    await until(async () => (await queuedJobs({ task: 'routine.run' })).length === 0, 'the runs to finish');
    expect(counts.mostAtOnce).toBe(3);
  });
});

describe('worker liveness', () => {
  it('keeps a run that outlasts the staleness window with its live worker, never starting it twice', async () => {
    const { job, counts } = countedRunJob(() => sleep(3_500));
    // Dead after 1 s of silence, checked every 250 ms: the run lasts several windows.
    await runner([job], { staleWorkerAfterMs: 1_000 });
    await db().$transaction((tx) =>
      requestRun(tx, { routine: 'invoice_status', connectionId: randomUUID(), legalEntityId: 'US', trigger: 'manual' }),
    );
    await until(async () => counts.executions === 1, 'the run to start');
    await until(async () => (await queuedJobs({ task: 'routine.run' })).length === 0, 'the run to finish');
    expect(counts.executions).toBe(1);
    expect(counts.mostAtOnce).toBe(1);
  });
});

describe('graceful stop', () => {
  it('aborts the running job through its signal, lets it finish its batch, and leaves nothing locked', async () => {
    const started = deferred();
    const seen = { aborted: false, finishedBatch: false };
    const job = defineJob({
      id: ROUTINE_RUN_JOB_ID,
      payload: routineRunPayload,
      maxAttempts: ROUTINE_RUN_MAX_ATTEMPTS,
      async handler(_payload, { signal }) {
        started.resolve();
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        seen.aborted = true;
        await sleep(200); // the batch in hand is committed before the run returns
        seen.finishedBatch = true;
      },
    });
    const stopping = await runner([job]);
    const payload = {
      routine: 'invoice_status',
      connectionId: randomUUID(),
      legalEntityId: 'DE',
      trigger: 'schedule',
    } as const;
    await db().$transaction((tx) => requestRun(tx, payload));
    await started.promise;

    await stopping.stop();
    expect(seen).toEqual({ aborted: true, finishedBatch: true });
    expect(await queuedJobs({ queueName: routineRunKey(payload) })).toEqual([]);
    const [locked] = await db().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM graphile_worker._private_job_queues WHERE locked_by IS NOT NULL`;
    expect(locked?.n).toBe(0);

    // A stopped runner takes no more work.
    await db().$transaction((tx) => requestRun(tx, { ...payload, legalEntityId: 'UK' }));
    await sleep(500);
    expect(await queuedJobs({ queueName: routineRunKey({ ...payload, legalEntityId: 'UK' }) })).toHaveLength(1);
  });
});
