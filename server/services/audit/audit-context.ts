import type { AuditActor } from './append-audit-event';

/** Who is acting and from where; services pass it to the audit log with every change. */
export interface AuditContext {
  actor: AuditActor;
  requestId: string | null;
  ip: string | null;
}
