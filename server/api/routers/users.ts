import { z } from 'zod';
import { ROLES } from '@/server/auth/permissions';
import { PASSWORD_MIN_LENGTH } from '@/server/auth/password';
import { PASSWORD_MAX_LENGTH } from '@/server/auth/password-policy';
import { listUsers } from '@/server/services/users/list-users';
import { changeUserRole, createUser, resetUserPassword, setUserDisabled } from '@/server/services/users/manage-users';
import { createTRPCRouter, permissionProcedure } from '../trpc';
import { auditContext } from '../audit-context';

const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `The password must be at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `The password must be at most ${PASSWORD_MAX_LENGTH} characters.`);

export const usersRouter = createTRPCRouter({
  list: permissionProcedure('users.view')
    .input(
      z.object({
        search: z.string().max(200).optional(),
        status: z.enum(['active', 'disabled', 'all']).default('all'),
      }),
    )
    .output(
      z.array(
        z.object({
          id: z.string(),
          email: z.string(),
          name: z.string(),
          role: z.enum(ROLES),
          disabled: z.boolean(),
          createdAt: z.date(),
          lastSignInAt: z.date().nullable(),
        }),
      ),
    )
    .query(({ input }) => listUsers(input)),

  create: permissionProcedure('users.manage')
    .input(
      z.object({
        email: z
          .email('Enter a valid email address, such as name@example.com.')
          .max(200, 'The email address must be at most 200 characters.'),
        name: z.string().trim().min(1, 'Enter the person’s name.').max(200, 'The name must be at most 200 characters.'),
        role: z.enum(ROLES),
        password,
      }),
    )
    .output(z.object({ id: z.string() }))
    .mutation(({ input, ctx }) => createUser(input, auditContext(ctx))),

  changeRole: permissionProcedure('users.manage')
    .input(z.object({ userId: z.uuid(), role: z.enum(ROLES) }))
    .output(z.object({ changed: z.boolean() }))
    .mutation(({ input, ctx }) => changeUserRole(input, auditContext(ctx))),

  setDisabled: permissionProcedure('users.manage')
    .input(z.object({ userId: z.uuid(), disabled: z.boolean() }))
    .output(z.object({ changed: z.boolean() }))
    .mutation(({ input, ctx }) => setUserDisabled(input, auditContext(ctx))),

  resetPassword: permissionProcedure('users.manage')
    .input(z.object({ userId: z.uuid(), password }))
    .output(z.object({ sessionsEnded: z.number() }))
    .mutation(({ input, ctx }) => resetUserPassword(input, auditContext(ctx))),
});
