import { setRuntimeSetting } from '@/env';
import { LEGAL_ENTITIES } from '@/prisma/seed';
import { db } from '@/server/db/client';
import { installJobQueue } from '@/server/jobs/install-job-queue';
import { createScratchDatabase } from './scratch-database';

/**
 * A database of this test file's own (test files run in separate processes, so the process-wide
 * client can point at it), migrated, with the job queue installed and the legal entities in it:
 * for tests that own the schedules, the connections and every queued job.
 */
export async function startJobQueueDatabase() {
  const database = await createScratchDatabase({ migrated: true });
  setRuntimeSetting('DATABASE_URL', database.url);
  await installJobQueue(database.url);
  await db().legalEntity.createMany({ data: [...LEGAL_ENTITIES] });
  return {
    url: database.url,
    async stop() {
      await db().$disconnect();
      await database.drop();
    },
  };
}

export interface QueuedJob {
  id: string;
  task: string;
  queueName: string | null;
  key: string | null;
  payload: unknown;
  maxAttempts: number;
  attempts: number;
  locked: boolean;
}

/** What graphile-worker's own tables hold, as plain rows. */
export async function queuedJobs(where: { task?: string; queueName?: string } = {}): Promise<QueuedJob[]> {
  const rows = await db().$queryRaw<
    {
      id: string;
      task: string;
      queue_name: string | null;
      key: string | null;
      payload: unknown;
      max_attempts: number;
      attempts: number;
      locked: boolean;
    }[]
  >`
    SELECT j.id::text, t.identifier AS task, q.queue_name, j.key, j.payload, j.max_attempts, j.attempts,
           (j.locked_at IS NOT NULL) AS locked
      FROM graphile_worker._private_jobs j
      JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      LEFT JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
     WHERE (${where.task ?? null}::text IS NULL OR t.identifier = ${where.task ?? null}::text)
       AND (${where.queueName ?? null}::text IS NULL OR q.queue_name = ${where.queueName ?? null}::text)
     ORDER BY j.id`;
  return rows.map((r) => ({
    id: r.id,
    task: r.task,
    queueName: r.queue_name,
    key: r.key,
    payload: r.payload,
    maxAttempts: r.max_attempts,
    attempts: r.attempts,
    locked: r.locked,
  }));
}
