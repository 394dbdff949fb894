import { EventEmitter } from 'node:events';
import { run, type WorkerEvents } from 'graphile-worker';
import { logger as rootLogger } from '@/server/logger';
import type { Job } from './job-definition';
import { cronItemsFor, graphileLogger, taskListFor } from './graphile-tasks';
import { watchWorkerLiveness } from './worker-liveness';

// After this long, jobs still running are failed back to the queue (they retry with backoff)
// rather than holding the process; well below the usual 30 s before a supervisor kills it.
const GRACEFUL_STOP_MS = 20_000;

export interface JobRunner {
  /**
   * Stops taking jobs, aborts in-flight work through its signal (a routine run stops after its
   * current batch), waits for it, and lets graphile-worker release whatever is left.
   */
  stop(): Promise<void>;
  /** Fails the jobs still running back to the queue (they retry with backoff) and stops at once. */
  kill(): Promise<void>;
  /** Settles when the runner stops, or rejects when it fails on its own. */
  promise: Promise<void>;
}

export async function startJobRunner(options: {
  connectionString: string;
  concurrency: number;
  jobs: readonly Job[];
  /** How often to look for jobs due later (retries); new jobs arrive by LISTEN/NOTIFY. */
  pollInterval?: number;
  /** After this long without a heartbeat a worker counts as dead and its jobs are unlocked. */
  staleWorkerAfterMs?: number;
}): Promise<JobRunner> {
  const { jobs } = options;
  const logger = rootLogger.child({ component: 'worker' });
  const shutdown = new AbortController();
  const events = new EventEmitter() as WorkerEvents;
  const liveness = watchWorkerLiveness({
    connectionString: options.connectionString,
    events,
    logger,
    staleAfterMs: options.staleWorkerAfterMs,
    intervalMs: options.staleWorkerAfterMs ? Math.max(250, options.staleWorkerAfterMs / 4) : undefined,
  });
  const runner = await run({
    events,
    connectionString: options.connectionString,
    concurrency: options.concurrency,
    taskList: taskListFor(jobs, { shutdown: shutdown.signal, logger }),
    parsedCronItems: cronItemsFor(jobs),
    noHandleSignals: true,
    logger: graphileLogger(logger),
    // Completions and failures go through graphile-worker's batchers (flushed at once, delay 0)
    // because a stopping pool waits for its batchers; unbatched, a job finishing during a
    // graceful stop could be left locked when the pool closes.
    preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    ...(options.pollInterval ? { pollInterval: options.pollInterval } : {}),
  });

  let stopping: Promise<void> | null = null;
  let killing: Promise<void> | null = null;
  const kill = () => {
    shutdown.abort(new Error('The worker is shutting down.'));
    killing ??= runner.kill('stopped at once');
    return killing;
  };
  runner.promise.finally(() => liveness.stop()).catch(() => {});
  return {
    promise: runner.promise,
    kill,
    stop() {
      stopping ??= (async () => {
        shutdown.abort(new Error('The worker is shutting down.'));
        let timer: NodeJS.Timeout | undefined;
        const overdue = new Promise<'overdue'>((resolve) => {
          timer = setTimeout(() => resolve('overdue'), GRACEFUL_STOP_MS);
          timer.unref();
        });
        const outcome = await Promise.race([runner.stop().then(() => 'stopped' as const), overdue]);
        clearTimeout(timer);
        if (outcome === 'overdue') {
          logger.warn(
            { afterMs: GRACEFUL_STOP_MS },
            'jobs still running after the grace period; releasing them to the queue',
          );
          await kill();
        }
      })();
      return stopping;
    },
  };
}
