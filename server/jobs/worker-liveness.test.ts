import { EventEmitter } from 'node:events';
import type { WorkerEvents } from 'graphile-worker';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { startJobQueueDatabase } from '@/test/job-queue-database';
import { watchWorkerLiveness } from './worker-liveness';

let database: Awaited<ReturnType<typeof startJobQueueDatabase>>;

beforeAll(async () => {
  database = await startJobQueueDatabase();
});
afterAll(() => database?.stop());

async function lockedJob(queue: string, workerId: string, lockedSecondsAgo: number): Promise<string> {
  const [job] = await db().$queryRawUnsafe<{ id: string }[]>(
    `SELECT id::text FROM graphile_worker.add_job('routine.run', '{}'::json, queue_name => $1)`,
    queue,
  );
  await db().$executeRawUnsafe(
    `UPDATE graphile_worker._private_jobs SET locked_by = $1, locked_at = now() - make_interval(secs => $2) WHERE id = $3::bigint`,
    workerId,
    lockedSecondsAgo,
    job!.id,
  );
  await db().$executeRawUnsafe(
    `UPDATE graphile_worker._private_job_queues SET locked_by = $1, locked_at = now() - make_interval(secs => $2) WHERE queue_name = $3`,
    workerId,
    lockedSecondsAgo,
    queue,
  );
  return job!.id;
}

const lockOf = async (id: string) =>
  (
    await db().$queryRawUnsafe<{ locked_by: string | null }[]>(
      `SELECT locked_by FROM graphile_worker._private_jobs WHERE id = $1::bigint`,
      id,
    )
  )[0]!.locked_by;

describe('worker liveness', () => {
  it('unlocks the jobs and queues of a worker that stopped beating, and leaves live and new workers alone', async () => {
    const events = new EventEmitter() as unknown as WorkerEvents;
    const liveness = watchWorkerLiveness({
      connectionString: database.url,
      events,
      logger: pino({ level: 'silent' }),
      staleAfterMs: 10_000,
      intervalMs: 60_000,
    });
    // A worker of this process: it beats, so its job stays locked.
    (events as unknown as EventEmitter).emit('worker:create', { worker: { workerId: 'worker-alive' } });

    const killed = await lockedJob('routine:a', 'worker-killed', 60);
    const alive = await lockedJob('routine:b', 'worker-alive', 60);
    const justStarted = await lockedJob('routine:c', 'worker-new', 1);

    expect(await liveness.tick()).toEqual(['worker-killed']);
    expect(await lockOf(killed)).toBeNull();
    expect(await lockOf(alive)).toBe('worker-alive');
    expect(await lockOf(justStarted)).toBe('worker-new');
    const queues = await db().$queryRawUnsafe<{ queue_name: string; locked_by: string | null }[]>(
      `SELECT queue_name, locked_by FROM graphile_worker._private_job_queues ORDER BY queue_name`,
    );
    expect(queues).toEqual([
      { queue_name: 'routine:a', locked_by: null },
      { queue_name: 'routine:b', locked_by: 'worker-alive' },
      { queue_name: 'routine:c', locked_by: 'worker-new' },
    ]);
    await liveness.stop();
    expect(await db().workerHeartbeat.count()).toBe(0);
  });
});
