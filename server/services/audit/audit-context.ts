import type { AuditActor } from './append-audit-event';

/** Who is acting and from where; services pass it to the audit log with every change. */
export interface AuditContext {
  actor: AuditActor;
  requestId: string | null;
  ip: string | null;
}

/** The sync engine, acting on no user's behalf: its writes to targets and what they settle. */
export const SYNC_ACTOR: AuditActor = { id: null, email: 'system:sync' };
