import { db } from '@/server/db/client';
import type { SystemName } from '@/server/domain/canonical/canonical-record';
import { ROUTINE_FACTS, ROUTINES, type RoutineName } from '@/server/domain/routines';
import { describeCron } from './describe-cron';
import { nextFireTimes } from './routine-cron';
import { findRunTargets } from './run-targets';

export interface ScheduleView {
  routine: RoutineName;
  label: string;
  sourceSystem: SystemName;
  /** Null when the routine has no schedule: it runs only on demand. */
  cron: string | null;
  description: string | null;
  /** The next few fire times (UTC cron); empty when disabled, unscheduled or unreadable. */
  nextRuns: Date[];
  /** Set when the stored cron cannot be read. */
  cronError: string | null;
  batchSize: number | null;
  enabled: boolean;
  /** Source connection × legal entity pairs a run of this routine covers. */
  targets: number;
}

export async function listSchedules(now = new Date(), upcoming = 3): Promise<ScheduleView[]> {
  return db().$transaction(async (tx) => {
    const schedules = new Map((await tx.routineSchedule.findMany()).map((s) => [s.routine, s]));
    const views: ScheduleView[] = [];
    for (const routine of ROUTINES) {
      const schedule = schedules.get(routine);
      let nextRuns: Date[] = [];
      let cronError: string | null = null;
      if (schedule) {
        try {
          const times = nextFireTimes(schedule.cron, now, upcoming);
          if (schedule.enabled) nextRuns = times;
        } catch (err) {
          cronError = err instanceof Error ? err.message : String(err);
        }
      }
      views.push({
        routine,
        label: ROUTINE_FACTS[routine].label,
        sourceSystem: ROUTINE_FACTS[routine].sourceSystem,
        cron: schedule?.cron ?? null,
        description: schedule && !cronError ? describeCron(schedule.cron) : null,
        nextRuns,
        cronError,
        batchSize: schedule?.batchSize ?? null,
        enabled: schedule?.enabled ?? false,
        targets: (await findRunTargets(tx, routine)).length,
      });
    }
    return views;
  });
}
