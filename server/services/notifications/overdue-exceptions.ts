import { db } from '@/server/db/client';
import type { TeamName } from '@/server/domain/routing';
import { notifyUsers } from './notify';

/**
 * Tells each assignee once about an exception of theirs that went past its due time while still
 * being worked. Each notification commits with the check that found it, so two workers running
 * the job at once cannot both notify (the rows are locked and skipped by the second).
 */
export async function notifyOverdueExceptions(now = new Date()): Promise<{ notified: number }> {
  return db().$transaction(async (tx) => {
    const due = await tx.$queryRaw<
      { id: string; assigneeId: string; code: string; message: string; team: TeamName; dueAt: Date }[]
    >`
      SELECT e.id::text, e."assigneeId"::text AS "assigneeId", e.code, e.message, e.team::text AS team, e."dueAt"
        FROM "SyncException" e
       WHERE e.status IN ('assigned', 'in_progress', 'open')
         AND e."assigneeId" IS NOT NULL
         AND e."dueAt" < ${now}
         AND NOT EXISTS (
           SELECT 1 FROM "Notification" n
            WHERE n."exceptionId" = e.id AND n.kind = 'overdue' AND n."userId" = e."assigneeId")
       ORDER BY e."dueAt"
       LIMIT 500
       FOR UPDATE OF e SKIP LOCKED`;
    for (const exception of due) {
      await notifyUsers(tx, [exception.assigneeId], {
        kind: 'overdue',
        exceptionId: exception.id,
        title: `${exception.code} is overdue`,
        body: `Due ${exception.dueAt.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${exception.message}`,
        team: exception.team,
      });
    }
    return { notified: due.length };
  });
}
