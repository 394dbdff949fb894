import type { RawSql } from '@/server/db/driver';
import { parseJobPayload } from '@/server/jobs/job-definition';
import {
  ROUTINE_RUN_JOB_ID,
  ROUTINE_RUN_MAX_ATTEMPTS,
  routineRunJobKey,
  routineRunKey,
  routineRunPayload,
  type RoutineRunPayload,
} from '@/server/jobs/routine-run-spec';

/**
 * Queues one run of a routine for one source connection and legal entity, inside the caller's
 * transaction: the request commits with the business write or audit entry that asked for it,
 * or not at all.
 *
 * The job key keeps at most one such run waiting (a request while one waits merges into it and
 * keeps its place in line); the named queue of the same name keeps at most one running, on
 * whichever worker process picked it up. A reconciliation waits under a key of its own in the
 * same queue (routineRunJobKey).
 */
export async function requestRun(tx: RawSql, request: RoutineRunPayload): Promise<{ jobId: string; key: string }> {
  const payload = parseJobPayload(ROUTINE_RUN_JOB_ID, routineRunPayload, request);
  const key = routineRunJobKey(payload);
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT job.id::text AS id
      FROM graphile_worker.add_job(
        ${ROUTINE_RUN_JOB_ID}::text,
        ${JSON.stringify(payload)}::json,
        queue_name => ${routineRunKey(payload)}::text,
        max_attempts => ${ROUTINE_RUN_MAX_ATTEMPTS}::int,
        job_key => ${key}::text,
        job_key_mode => 'preserve_run_at'
      ) AS job`;
  return { jobId: rows[0]!.id, key };
}
