import type { Tx } from '@/server/db/client';
import type { RoutineName } from '@/server/domain/routines';

/**
 * True when an admin paused the routine's schedule. A paused routine starts no new run, however
 * asked for (schedule, webhook, Run now, a run queued before the pause); a routine without a
 * schedule runs on demand and is never paused.
 */
export async function isRoutinePaused(tx: Pick<Tx, 'routineSchedule'>, routine: RoutineName): Promise<boolean> {
  const schedule = await tx.routineSchedule.findUnique({ where: { routine }, select: { enabled: true } });
  return schedule !== null && !schedule.enabled;
}
