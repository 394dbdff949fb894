import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { childEnvironment } from '@/env';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { requestRun } from '@/server/services/runs/request-run';
import { queuedJobs } from '@/test/job-queue-database';
import { quietSchedules } from '@/test/quiet-schedules';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { startJobRunner, type JobRunner } from './job-runner';
import { routineRunJob } from './routine-run-job';
import { routineRunKey, type RoutineRunPayload } from './routine-run-spec';

/**
 * The real `routine.run` — runRoutine against the sandbox over HTTP — through graphile-worker:
 * two runners on one database, and a worker process stopped in the middle of a run.
 * NetSuite answers slowly here so that a run is still going when the test acts on it.
 */
let fixture: Awaited<ReturnType<typeof startConnectedSandbox>>;
const runners: JobRunner[] = [];

beforeAll(async () => {
  fixture = await startConnectedSandbox();
  // Only what the tests queue runs: no scheduler ticks in between.
  await quietSchedules();
}, 180_000);
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  fixture.sandbox.faults.netsuite.reset();
});
afterAll(() => fixture?.stop());

const runsFor = (p: RoutineRunPayload) =>
  db().syncRun.findMany({
    where: { routine: p.routine, connectionId: p.connectionId, legalEntityId: p.legalEntityId },
    orderBy: { startedAt: 'asc' },
  });

async function until<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  onEach?: () => Promise<void>,
): Promise<T> {
  for (let i = 0; i < 1_800; i++) {
    await onEach?.();
    const value = await probe();
    if (value) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('routine runs on two workers, against the sandbox', () => {
  it('given 20 requests while a run is in progress, runs the routine at most once at a time and queues it at most once more', async () => {
    fixture.sandbox.faults.netsuite.set({ latencyMs: 150 });
    const payload: RoutineRunPayload = {
      routine: 'billing_eligibility',
      connectionId: fixture.connections.netsuite,
      legalEntityId: 'US',
      trigger: 'manual',
    };
    const key = routineRunKey(payload);
    for (let i = 0; i < 2; i++) {
      runners.push(
        await startJobRunner({
          connectionString: fixture.databaseUrl,
          concurrency: 4,
          jobs: [routineRunJob],
          pollInterval: 200,
        }),
      );
    }

    await db().$transaction((tx) => requestRun(tx, payload));
    const first = await until(
      async () => (await runsFor(payload)).find((r) => r.status === 'running'),
      'the first run to start',
    );

    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db().$transaction((tx) => requestRun(tx, { ...payload, trigger: i % 2 ? 'schedule' : 'manual' })),
      ),
    );
    const requestsDone = new Date();

    // From graphile-worker's tables, all the way until the queue drains: at most one job running
    // and at most one waiting for this key, and never two runs of it in progress.
    const check = async () => {
      const jobs = await queuedJobs({ queueName: key });
      expect(jobs.filter((j) => j.locked).length).toBeLessThanOrEqual(1);
      expect(jobs.filter((j) => !j.locked).length).toBeLessThanOrEqual(1);
      for (const job of jobs.filter((j) => !j.locked)) expect(job.key).toBe(key);
      expect((await runsFor(payload)).filter((r) => r.status === 'running').length).toBeLessThanOrEqual(1);
    };
    const queued = await queuedJobs({ queueName: key });
    expect(queued.filter((j) => !j.locked)).toHaveLength(1);
    await until(async () => (await queuedJobs({ queueName: key })).length === 0, 'the queue to drain', check);

    const runs = await runsFor(payload);
    expect(runs[0]!.id).toBe(first.id);
    // The first run was still going when the twenty requests were in: they folded into one more run.
    expect(runs[0]!.finishedAt!.getTime()).toBeGreaterThan(requestsDone.getTime());
    expect(runs).toHaveLength(2);
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(runs[1]!.startedAt.getTime()).toBeGreaterThanOrEqual(runs[0]!.finishedAt!.getTime());
    expect(runs[0]!.recordsRead).toBeGreaterThan(0);
  });
});

describe('a worker process stopped in the middle of a run', () => {
  it('stops the run after its batch, keeps what it committed, queues the rest again and exits 0', async () => {
    fixture.sandbox.faults.netsuite.set({ latencyMs: 100 });
    const payload: RoutineRunPayload = {
      routine: 'billing_eligibility',
      connectionId: fixture.connections.netsuite,
      legalEntityId: 'UK',
      trigger: 'manual',
    };
    const key = routineRunKey(payload);
    const worker = spawn(process.execPath, ['--import', 'tsx', path.resolve('server/worker.ts')], {
      env: childEnvironment({ DATABASE_URL: fixture.databaseUrl, NODE_ENV: 'production', LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    worker.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      worker.once('exit', (code, signal) => resolve({ code, signal })),
    );

    await db().$transaction((tx) => requestRun(tx, payload));
    const run = await until(async () => {
      if (worker.exitCode !== null) throw new Error(`the worker exited early: ${stderr}`);
      return (await runsFor(payload)).find((r) => r.status === 'running');
    }, 'the run to start');
    worker.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });

    const stopped = await db().syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(stopped.status).toBe('cancelled');
    expect(stopped.finishedAt).not.toBeNull();
    // Whatever batches were committed are in the ledger under this run; the rest is queued again.
    expect(await db().ledgerEntry.count({ where: { runId: run.id } })).toBe(stopped.recordsRead);
    const jobs = await queuedJobs({ queueName: key });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ key, locked: false, payload });
  });
});
