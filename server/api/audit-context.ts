import type { AuditContext } from '@/server/services/audit/audit-context';
import type { Context } from './trpc';

export function auditContext(ctx: Context): AuditContext {
  return {
    actor: { id: ctx.user?.id ?? null, email: ctx.user?.email ?? null },
    requestId: ctx.requestId,
    ip: ctx.ip,
  };
}
