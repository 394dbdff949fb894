import { Logger as GraphileLogger, parseCronItems, type ParsedCronItem, type TaskList } from 'graphile-worker';
import type { Logger } from 'pino';
import type { Job } from './job-definition';

// A worker that was down catches up on the scheduler ticks of the last hour when it starts
// (enough for an hourly routine); the job keys fold the catch-up into one run per target.
const CRON_BACKFILL_MS = 60 * 60_000;

/** The catalogue as graphile-worker's task list; every handler also sees the worker's shutdown. */
export function taskListFor(jobs: readonly Job[], options: { shutdown: AbortSignal; logger: Logger }): TaskList {
  return Object.fromEntries(
    jobs.map((job) => [
      job.id,
      async (payload, helpers) => {
        const logger = options.logger.child({ job: job.id, jobId: helpers.job.id, attempt: helpers.job.attempts });
        await job.handler(payload, {
          jobId: helpers.job.id,
          attempt: helpers.job.attempts,
          signal: AbortSignal.any([options.shutdown, helpers.abortSignal]),
          logger,
        });
      },
    ]),
  );
}

/** The catalogue's scheduled jobs as graphile-worker cron items (evaluated in UTC). */
export function cronItemsFor(jobs: readonly Job[]): ParsedCronItem[] {
  return parseCronItems(
    jobs
      .filter((job): job is Job & { cron: string } => job.cron !== undefined)
      .map((job) => ({
        task: job.id,
        match: job.cron,
        identifier: job.id,
        options: { backfillPeriod: CRON_BACKFILL_MS, maxAttempts: job.maxAttempts },
      })),
  );
}

/** graphile-worker's own messages, as structured lines in our log. */
export function graphileLogger(logger: Logger): GraphileLogger {
  return new GraphileLogger((scope) => {
    const scoped = logger.child({
      lib: 'graphile-worker',
      ...(scope.workerId ? { workerId: scope.workerId } : {}),
      ...(scope.taskIdentifier ? { job: scope.taskIdentifier } : {}),
      ...(scope.jobId ? { jobId: scope.jobId } : {}),
    });
    return (level, message, meta) => {
      // graphile-worker attaches whole job rows (payloads included); a log line needs their ids.
      const { job, error, ...rest } = (meta ?? {}) as {
        job?: { id?: string; task_identifier?: string };
        error?: unknown;
      };
      const fields = {
        ...rest,
        ...(job ? { jobId: job.id, job: job.task_identifier } : {}),
        ...(error !== undefined ? { err: error } : {}),
      };
      switch (String(level)) {
        case 'error':
          return scoped.error(fields, message);
        case 'warning':
          return scoped.warn(fields, message);
        case 'info':
          return scoped.info(fields, message);
        default:
          return scoped.debug(fields, message);
      }
    };
  });
}
