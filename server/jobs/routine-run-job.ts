import { db } from '@/server/db/client';
import { requestRun } from '@/server/services/runs/request-run';
import { isRoutinePaused } from '@/server/services/runs/routine-paused';
import { runRoutine } from '@/server/sync/run-routine';
import { defineJob } from './job-definition';
import { ROUTINE_RUN_JOB_ID, ROUTINE_RUN_MAX_ATTEMPTS, routineRunPayload } from './routine-run-spec';

/**
 * Runs one routine for one source connection and legal entity. The routine creates and finishes
 * its own SyncRun row, so a failed run is a finished job: the next schedule tries again from the
 * watermark. Only a run that could not be carried out at all throws, and is retried.
 */
export const routineRunJob = defineJob({
  id: ROUTINE_RUN_JOB_ID,
  payload: routineRunPayload,
  maxAttempts: ROUTINE_RUN_MAX_ATTEMPTS,
  async handler(payload, { signal, logger }) {
    const log = logger.child({
      routine: payload.routine,
      connectionId: payload.connectionId,
      legalEntityId: payload.legalEntityId,
      trigger: payload.trigger,
    });
    // Queued before its routine was paused: it does not start (the paused routine resumes from its watermark).
    if (await isRoutinePaused(db(), payload.routine)) {
      log.info('routine paused; queued run not started');
      return;
    }
    // The named queue lets one run of this key execute at a time, so a run of it still marked
    // running belonged to a worker that died mid-run (its job is what resumes here).
    const abandoned = await db().syncRun.updateMany({
      where: {
        routine: payload.routine,
        connectionId: payload.connectionId,
        legalEntityId: payload.legalEntityId,
        status: 'running',
      },
      data: {
        status: 'failed',
        finishedAt: new Date(),
        error: 'The worker running it stopped; the run resumed from its last committed batch.',
      },
    });
    if (abandoned.count) log.warn({ abandoned: abandoned.count }, 'closed runs left by a stopped worker');
    log.info('routine run started');
    const summary = await runRoutine({ ...payload, signal });
    log[summary.status === 'failed' ? 'warn' : 'info'](
      {
        runId: summary.runId,
        status: summary.status,
        recordsRead: summary.recordsRead,
        delivered: summary.delivered,
        noop: summary.noop,
        exceptions: summary.exceptions,
        durationMs: summary.durationMs,
        lagMs: summary.lagMs,
        error: summary.error,
      },
      'routine run finished',
    );
    if (payload.trigger === 'reconcile' && summary.status === 'succeeded') {
      // What the watermark had passed by: records delivered now, beside those already there.
      log.info(
        { runId: summary.runId, found: summary.delivered, alreadyDelivered: summary.noop, held: summary.exceptions },
        'reconciliation finished',
      );
    }
    if (summary.status === 'cancelled' && signal.aborted) {
      // Stopped for a shutdown between batches: what was committed stays, and the rest is queued
      // again at once so another worker (or this one, restarted) carries on from the watermark.
      await db().$transaction((tx) => requestRun(tx, payload));
      log.info({ runId: summary.runId }, 'routine run stopped for shutdown; the remainder is queued again');
    }
  },
});
