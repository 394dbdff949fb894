import { db } from '@/server/db/client';
import { appendAuditEvent } from './append-audit-event';
import type { AuditContext } from './audit-context';

/**
 * A signed-in user asked for something their role does not allow: recorded, since a run of
 * these is how probing with a stolen or over-curious account shows up.
 */
export async function recordDeniedCall(call: { path: string; permission: string }, context: AuditContext) {
  await db().$transaction((tx) =>
    appendAuditEvent(tx, {
      ...context,
      action: 'access.denied',
      target: { type: 'Procedure', id: call.path },
      after: { permission: call.permission },
    }),
  );
}
