import { z } from 'zod';
import { ROLE_PERMISSIONS, ROLES, PERMISSIONS } from '@/server/auth/permissions';
import { PASSWORD_MIN_LENGTH } from '@/server/auth/password';
import { PASSWORD_MAX_LENGTH } from '@/server/auth/password-policy';
import { changeOwnPassword } from '@/server/services/users/manage-users';
import { auditContext } from '../audit-context';
import { createTRPCRouter, permissionProcedure } from '../trpc';

export const sessionRouter = createTRPCRouter({
  me: permissionProcedure('session.read')
    .output(
      z.object({
        id: z.string(),
        email: z.string(),
        name: z.string(),
        role: z.enum(ROLES),
        permissions: z.array(z.enum(PERMISSIONS)),
      }),
    )
    .query(({ ctx }) => ({
      id: ctx.user.id,
      email: ctx.user.email,
      name: ctx.user.name,
      role: ctx.user.role,
      permissions: [...ROLE_PERMISSIONS[ctx.user.role]],
    })),

  changePassword: permissionProcedure('session.read')
    .input(
      z.object({
        currentPassword: z.string().min(1, 'required').max(PASSWORD_MAX_LENGTH),
        newPassword: z
          .string()
          .min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`)
          .max(PASSWORD_MAX_LENGTH, `at most ${PASSWORD_MAX_LENGTH} characters`),
      }),
    )
    .output(z.object({ otherSessionsEnded: z.number() }))
    .mutation(({ input, ctx }) =>
      changeOwnPassword({ ...input, userId: ctx.user.id, sessionId: ctx.user.sessionId }, auditContext(ctx)),
    ),
});
