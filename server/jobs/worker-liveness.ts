import { hostname } from 'node:os';
import type { WorkerEvents } from 'graphile-worker';
import pg from 'pg';
import type { Logger } from 'pino';

/**
 * graphile-worker keeps a job locked by the worker pool that took it until the pool finishes it —
 * or for four hours when the process died without a word. Each pool (and worker) here beats a
 * heartbeat row; every worker process also looks for jobs and job queues locked by workers whose
 * heartbeat stopped, and unlocks them, so a killed worker's run resumes within seconds on another
 * process (safe: every write the run repeats reuses its idempotency key).
 */
export interface LivenessOptions {
  connectionString: string;
  events: WorkerEvents;
  logger: Logger;
  /** How often to beat and to look for dead workers. */
  intervalMs?: number;
  /** A worker silent for this long is dead. */
  staleAfterMs?: number;
}

export interface Liveness {
  stop(): Promise<void>;
  /** One beat and one sweep now (tests; the timer does the same). */
  tick(): Promise<string[]>;
}

export function watchWorkerLiveness(options: LivenessOptions): Liveness {
  const intervalMs = options.intervalMs ?? 5_000;
  const staleAfterMs = options.staleAfterMs ?? 30_000;
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 2 });
  pool.on('error', (err) => options.logger.warn({ err }, 'worker liveness connection lost'));
  const alive = new Set<string>();
  const host = hostname();

  // graphile-worker locks a job with the id of the worker pool that fetched it (one pool per
  // process), not with the id of the pool's worker that runs it: both beat.
  const beat = (id: string) => alive.add(id);
  const silence = (id: string) => {
    alive.delete(id);
    pool.query('DELETE FROM "WorkerHeartbeat" WHERE "workerId" = $1', [id]).catch(() => {});
  };
  options.events.on('pool:create', ({ workerPool }) => beat(workerPool.id));
  options.events.on('pool:release', ({ workerPool }) => silence(workerPool.id));
  options.events.on('worker:create', ({ worker }) => beat(worker.workerId));
  options.events.on('worker:stop', ({ worker }) => silence(worker.workerId));

  async function tick(): Promise<string[]> {
    const ids = [...alive];
    if (ids.length) {
      await pool.query(
        `INSERT INTO "WorkerHeartbeat" ("workerId", pid, host, "lastSeenAt")
         SELECT id, $2, $3, now() FROM unnest($1::text[]) AS id
         ON CONFLICT ("workerId") DO UPDATE SET "lastSeenAt" = now()`,
        [ids, process.pid, host],
      );
    }
    // Locked by a worker that is not beating, and locked long enough ago that a worker which
    // just started would have beaten by now.
    const { rows } = await pool.query<{ locked_by: string }>(
      `SELECT DISTINCT locked_by FROM (
         SELECT locked_by, locked_at FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL
         UNION ALL
         SELECT locked_by, locked_at FROM graphile_worker._private_job_queues WHERE locked_by IS NOT NULL
       ) AS locks
       WHERE locked_at < now() - make_interval(secs => $1)
         AND NOT EXISTS (
           SELECT 1 FROM "WorkerHeartbeat" h
            WHERE h."workerId" = locks.locked_by AND h."lastSeenAt" > now() - make_interval(secs => $1))`,
      [staleAfterMs / 1000],
    );
    const dead = rows.map((r) => r.locked_by);
    if (dead.length) {
      await pool.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [dead]);
      await pool.query('DELETE FROM "WorkerHeartbeat" WHERE "workerId" = ANY($1::text[])', [dead]);
      options.logger.warn({ workers: dead }, 'unlocked the jobs of workers that stopped beating');
    }
    return dead;
  }

  let running = Promise.resolve<unknown>(undefined);
  const timer = setInterval(() => {
    running = tick().catch((err: unknown) => options.logger.warn({ err }, 'worker liveness check failed'));
  }, intervalMs);
  timer.unref();

  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
      if (alive.size)
        await pool
          .query('DELETE FROM "WorkerHeartbeat" WHERE "workerId" = ANY($1::text[])', [[...alive]])
          .catch(() => {});
      await pool.end();
    },
  };
}
