import { z } from 'zod';
import { ROUTINES } from '@/server/domain/routines';
import { RUN_TRIGGERS } from '@/server/sync/run-types';

/**
 * How a `routine.run` job is named and keyed — everything an enqueuer needs, without the handler
 * (so the web process can request runs without loading the sync engine).
 */
export const ROUTINE_RUN_JOB_ID = 'routine.run';

export const routineRunPayload = z.object({
  routine: z.enum(ROUTINES),
  connectionId: z.uuid(),
  legalEntityId: z.string().trim().min(1).max(50),
  trigger: z.enum(RUN_TRIGGERS),
});
export type RoutineRunPayload = z.infer<typeof routineRunPayload>;

// A run records its own failures in its SyncRun row; attempts only cover a run that could not
// start or finish at all (database gone, process killed). Each kill of a worker mid-run costs an
// attempt, and a run resumes safely any number of times, so the budget is generous.
export const ROUTINE_RUN_MAX_ATTEMPTS = 20;

/**
 * One routine × connection × legal entity. Used as the job key (at most one such run waiting)
 * and as the named queue (at most one such run executing, across every worker process).
 */
export function routineRunKey(payload: Pick<RoutineRunPayload, 'routine' | 'connectionId' | 'legalEntityId'>): string {
  return `routine:${payload.routine}:${payload.connectionId}:${payload.legalEntityId}`;
}

/**
 * The job key a run waits under. A reconciliation has one of its own, so that a run requested
 * meanwhile neither replaces it nor is folded into it; it keeps the routine's queue, so the two
 * still never run side by side.
 */
export function routineRunJobKey(
  payload: Pick<RoutineRunPayload, 'routine' | 'connectionId' | 'legalEntityId' | 'trigger'>,
): string {
  const key = routineRunKey(payload);
  return payload.trigger === 'reconcile' ? `${key}:reconcile` : key;
}
