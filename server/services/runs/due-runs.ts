import { db } from '@/server/db/client';
import type { RoutineName } from '@/server/domain/routines';
import { logger } from '@/server/logger';
import { requestRun } from './request-run';
import { firedInTick } from './routine-cron';
import { findRunTargets, type RunTarget } from './run-targets';

export interface DueRuns {
  tick: Date;
  routines: RoutineName[];
  requested: (RunTarget & { routine: RoutineName })[];
}

/**
 * One scheduler tick: every enabled routine whose cron fired since the previous tick gets a run
 * queued for each of its targets, all in one transaction. Several workers may run the same tick
 * (or a backfilled one): the job keys fold repeated requests into the run already waiting.
 */
export async function enqueueDueRuns(tick: Date): Promise<DueRuns> {
  return db().$transaction(async (tx) => {
    const schedules = await tx.routineSchedule.findMany({ where: { enabled: true }, orderBy: { routine: 'asc' } });
    const due = schedules.filter((schedule) => {
      try {
        return firedInTick(schedule.cron, tick);
      } catch (err) {
        // One unreadable schedule must not hold back the others.
        logger.error({ err, routine: schedule.routine, cron: schedule.cron }, 'routine schedule skipped: invalid cron');
        return false;
      }
    });
    const requested: DueRuns['requested'] = [];
    for (const { routine } of due) {
      for (const target of await findRunTargets(tx, routine)) {
        await requestRun(tx, {
          routine,
          connectionId: target.connectionId,
          legalEntityId: target.legalEntityId,
          trigger: 'schedule',
        });
        requested.push({ routine, ...target });
      }
    }
    return { tick, routines: due.map((s) => s.routine), requested };
  });
}
