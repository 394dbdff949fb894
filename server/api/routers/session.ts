import { z } from 'zod';
import { ROLE_PERMISSIONS, ROLES, PERMISSIONS } from '@/server/auth/permissions';
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
});
