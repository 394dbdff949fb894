import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import superjson from 'superjson';
import { ZodError } from 'zod';
import { can, type Permission } from '@/server/auth/permissions';
import type { SessionUser } from '@/server/auth/session-store';
import { AppError, type AppErrorCode } from '@/server/errors';
import { logger } from '@/server/logger';
import { recordDeniedCall } from '@/server/services/audit/record-denied-call';

export interface Context {
  user: SessionUser | null;
  requestId: string;
  ip: string | null;
  /** Set when a browser sent this request from another site (Origin / Sec-Fetch-Site). */
  crossSite: boolean;
}

/** Every procedure declares who may call it: a permission, or 'public' for anyone. */
export interface Meta {
  permission: Permission | 'public';
}

const TRPC_CODE: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    // The one place errors become what a client sees: a message, never a stack.
    errorFormatter({ shape, error, ctx }) {
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      if (internal) logger.error({ err: error.cause ?? error, requestId: ctx?.requestId }, 'request failed');
      const validation = error.cause instanceof ZodError ? error.cause.issues : null;
      return {
        message: internal
          ? `Something went wrong on our side. Reference: ${ctx?.requestId ?? 'unknown'}`
          : validation
            ? validation.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')
            : shape.message,
        code: shape.code,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          fieldErrors:
            validation?.map((i) => ({ path: i.path.map(String), message: i.message })) ??
            // A service's refusal that names the field it is about, shown next to that field.
            (error.cause instanceof AppError && typeof error.cause.details?.field === 'string'
              ? [{ path: error.cause.details.field.split('.'), message: error.cause.message }]
              : null),
        },
      };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Turns the one error type of services into the matching tRPC error. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: TRPC_CODE[cause.code], message: cause.message, cause });
  }
  return result;
});

/** Mutations from another site are refused before anything else runs. */
const sameSiteMutations = t.middleware(({ ctx, type, next }) => {
  if (type === 'mutation' && ctx.crossSite) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Cross-site request refused.' });
  }
  return next();
});

const baseProcedure = t.procedure.use(appErrors).use(sameSiteMutations);

export const publicProcedure = baseProcedure.meta({ permission: 'public' });

/**
 * A procedure callable by signed-in users whose role holds `permission`. The check runs before
 * input parsing, so a caller without the permission learns nothing about the input shape.
 */
export function permissionProcedure(permission: Permission) {
  return baseProcedure.meta({ permission }).use(async ({ ctx, path, next }) => {
    if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session has ended. Sign in again.' });
    if (!can(ctx.user.role, permission)) {
      await recordDeniedCall(
        { path, permission },
        { actor: { id: ctx.user.id, email: ctx.user.email }, requestId: ctx.requestId, ip: ctx.ip },
      );
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Your role does not allow this.' });
    }
    // Until a reset password is replaced, only one's own session (and changing it) is open.
    if (ctx.user.mustChangePassword && permission !== 'session.read') {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Choose a new password first.' });
    }
    return next({ ctx: { ...ctx, user: ctx.user } });
  });
}
