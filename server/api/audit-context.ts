import type { AuditContext } from '@/server/services/audit/audit-context';
import type { ExceptionActor } from '@/server/services/exceptions/work-exception';
import type { Context } from './trpc';

export function auditContext(ctx: Context): AuditContext {
  return {
    actor: { id: ctx.user?.id ?? null, email: ctx.user?.email ?? null },
    requestId: ctx.requestId,
    ip: ctx.ip,
  };
}

/** The signed-in user acting on an exception, with where the request came from. */
export function exceptionActor(ctx: Context & { user: NonNullable<Context['user']> }): ExceptionActor {
  return { id: ctx.user.id, email: ctx.user.email, role: ctx.user.role, requestId: ctx.requestId, ip: ctx.ip };
}
