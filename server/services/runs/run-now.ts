import { SYSTEM_LABELS } from '@/lib/system-labels';
import { db } from '@/server/db/client';
import { ROUTINE_FACTS, type RoutineName } from '@/server/domain/routines';
import { appendAuditEvents } from '@/server/services/audit/append-audit-event';
import type { AuditContext } from '@/server/services/audit/audit-context';
import { requestRun } from './request-run';
import { isRoutinePaused } from './routine-paused';
import { findRunTargets } from './run-targets';

export interface RunNowResult {
  queued: number;
  message: string;
}

/**
 * "Run now": queues a manual run of the routine for every enabled source connection × legal
 * entity it serves, and records each request in the audit log in the same transaction.
 */
export async function requestRunNow(input: { routine: RoutineName }, context: AuditContext): Promise<RunNowResult> {
  const { label, sourceSystem } = ROUTINE_FACTS[input.routine];
  return db().$transaction(async (tx) => {
    if (await isRoutinePaused(tx, input.routine)) {
      return {
        queued: 0,
        message: `No run queued: ${label} is paused. An admin can resume it under Admin → Connections & schedules.`,
      };
    }
    const targets = await findRunTargets(tx, input.routine);
    if (targets.length === 0) {
      const system = SYSTEM_LABELS[sourceSystem];
      return {
        queued: 0,
        message: `No run queued: ${label} reads from ${system}, and no enabled ${system} connection serves a legal entity.`,
      };
    }
    const events = [];
    for (const target of targets) {
      const { jobId } = await requestRun(tx, {
        routine: input.routine,
        connectionId: target.connectionId,
        legalEntityId: target.legalEntityId,
        trigger: 'manual',
      });
      events.push({
        ...context,
        action: 'sync.run_requested',
        target: { type: 'Routine', id: input.routine },
        after: {
          routine: input.routine,
          connectionId: target.connectionId,
          connection: target.connectionName,
          legalEntityId: target.legalEntityId,
          trigger: 'manual',
          jobId,
        },
      });
    }
    await appendAuditEvents(tx, events);
    const n = targets.length;
    return {
      queued: n,
      message: `${label}: ${n} run${n === 1 ? '' : 's'} queued (${targets.map((t) => `${t.connectionName} ${t.legalEntityId}`).join(', ')}).`,
    };
  });
}
