import { z } from 'zod';
import { env } from '@/env';
import { db, type Tx } from '@/server/db/client';
import { ROUTINE_FACTS, ROUTINES, type RoutineName } from '@/server/domain/routines';
import { appendAuditEvents } from '@/server/services/audit/append-audit-event';
import type { AuditContext } from '@/server/services/audit/audit-context';
import { requestRun } from './request-run';
import type { RunNowResult } from './run-now';
import { findRunTargets, type RunTarget } from './run-targets';

/** Which runs a reconciliation covers: one routine or every scheduled one, one legal entity or all. */
export const reconciliationScopeSchema = z.object({
  routine: z.enum(ROUTINES).optional(),
  legalEntityId: z.string().trim().min(1).max(50).optional(),
});
export type ReconciliationScope = z.infer<typeof reconciliationScopeSchema>;

export interface RequestedReconciliation extends RunTarget {
  routine: RoutineName;
  jobId: string;
}

/**
 * Queues a reconciliation — a run that reads the last RECONCILE_LOOKBACK_DAYS again and delivers
 * what the watermark passed by — for every target of the routine (of each routine with an enabled
 * schedule when none is named), narrowed to one legal entity when one is named, in the caller's
 * transaction. Each waits in its routine's queue, so it never runs beside another run of it.
 */
export async function requestReconciliation(tx: Tx, scope: ReconciliationScope): Promise<RequestedReconciliation[]> {
  const routines = scope.routine
    ? [scope.routine]
    : (await tx.routineSchedule.findMany({ where: { enabled: true }, select: { routine: true } }))
        .map((s) => s.routine)
        .sort((a, b) => ROUTINES.indexOf(a) - ROUTINES.indexOf(b));
  const requested: RequestedReconciliation[] = [];
  for (const routine of routines) {
    for (const target of await findRunTargets(tx, routine)) {
      if (scope.legalEntityId && target.legalEntityId !== scope.legalEntityId) continue;
      const { jobId } = await requestRun(tx, {
        routine,
        connectionId: target.connectionId,
        legalEntityId: target.legalEntityId,
        trigger: 'reconcile',
      });
      requested.push({ routine, ...target, jobId });
    }
  }
  return requested;
}

/** "Reconcile now": the same on demand, each request recorded in the audit log with it. */
export async function requestReconciliationNow(
  scope: ReconciliationScope,
  context: AuditContext,
): Promise<RunNowResult> {
  return db().$transaction(async (tx) => {
    const requested = await requestReconciliation(tx, scope);
    const label = scope.routine ? ROUTINE_FACTS[scope.routine].label : null;
    if (requested.length === 0) {
      return {
        queued: 0,
        message: `No reconciliation queued: no enabled connection serves ${label ?? 'a scheduled routine'} for that legal entity.`,
      };
    }
    await appendAuditEvents(
      tx,
      requested.map((r) => ({
        ...context,
        action: 'sync.reconcile_requested',
        target: { type: 'Routine', id: r.routine },
        after: {
          routine: r.routine,
          connectionId: r.connectionId,
          connection: r.connectionName,
          legalEntityId: r.legalEntityId,
          trigger: 'reconcile',
          lookbackDays: env.RECONCILE_LOOKBACK_DAYS,
          jobId: r.jobId,
        },
      })),
    );
    const n = requested.length;
    const days = env.RECONCILE_LOOKBACK_DAYS;
    const targets = requested.map((r) =>
      [label ? null : ROUTINE_FACTS[r.routine].label, r.connectionName, r.legalEntityId].filter(Boolean).join(' '),
    );
    return {
      queued: n,
      message: `${label ? `${label}: ` : ''}${n} reconciliation run${n === 1 ? '' : 's'} queued, each re-reading the last ${days} day${days === 1 ? '' : 's'} (${targets.join(', ')}).`,
    };
  });
}
