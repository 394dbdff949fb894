import { db } from '@/server/db/client';
import { ROUTINE_FACTS, type RoutineName } from '@/server/domain/routines';
import { AppError } from '@/server/errors';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import type { AuditContext } from '@/server/services/audit/audit-context';
import { describeCron } from './describe-cron';
import { nextFireTimes } from './routine-cron';

/** Bounds of a run's batch: large enough to be worth a commit, small enough for a source page. */
export const BATCH_SIZE_MIN = 10;
export const BATCH_SIZE_MAX = 2000;

export interface ScheduleChange {
  routine: RoutineName;
  cron: string;
  batchSize: number;
  enabled: boolean;
}

/** What a cron would do: its description and next five fire times, or why it is refused. */
export function previewCron(
  cron: string,
  now = new Date(),
): { ok: true; description: string | null; nextRuns: Date[] } | { ok: false; error: string } {
  try {
    return { ok: true, nextRuns: nextFireTimes(cron, now, 5), description: describeCron(cron.trim()) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Saves a routine's schedule. Pausing takes effect for every run not yet started (see
 * isRoutinePaused); a run already under way finishes.
 */
export async function updateSchedule(change: ScheduleChange, context: AuditContext): Promise<{ message: string }> {
  const cron = change.cron.trim().split(/\s+/).join(' ');
  const preview = previewCron(cron);
  if (!preview.ok) throw new AppError('BAD_REQUEST', preview.error, { field: 'cron' });
  if (!Number.isInteger(change.batchSize) || change.batchSize < BATCH_SIZE_MIN || change.batchSize > BATCH_SIZE_MAX) {
    throw new AppError(
      'BAD_REQUEST',
      `The batch size must be a whole number from ${BATCH_SIZE_MIN} to ${BATCH_SIZE_MAX}; ${change.batchSize} is not.`,
      { field: 'batchSize' },
    );
  }
  const { label } = ROUTINE_FACTS[change.routine];
  return db().$transaction(async (tx) => {
    const before = await tx.routineSchedule.findUnique({ where: { routine: change.routine } });
    const data = { cron, batchSize: change.batchSize, enabled: change.enabled };
    await tx.routineSchedule.upsert({
      where: { routine: change.routine },
      create: { routine: change.routine, ...data },
      update: data,
    });
    const action =
      before && before.enabled !== change.enabled
        ? change.enabled
          ? 'schedule.resumed'
          : 'schedule.paused'
        : 'schedule.updated';
    await appendAuditEvent(tx, {
      ...context,
      action,
      target: { type: 'Routine', id: change.routine },
      before: before ? { cron: before.cron, batchSize: before.batchSize, enabled: before.enabled } : null,
      after: data,
    });
    const when = preview.description ?? `on "${cron}"`;
    return {
      message: change.enabled
        ? `${label} schedule saved: it runs ${when.replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase())} (UTC).`
        : `${label} schedule saved and paused: no new run starts until it is resumed.`,
    };
  });
}
