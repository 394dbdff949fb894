import { z } from 'zod';
import {
  configureTeamWebhook,
  listTeamWebhooks,
  teamWebhookInput,
} from '@/server/services/notifications/team-webhooks';
import { markNotificationsRead, myNotifications } from '@/server/services/notifications/user-notifications';
import { auditContext } from '../audit-context';
import { createTRPCRouter, permissionProcedure } from '../trpc';

const teamSchema = z.enum(['finance', 'operations', 'integration']);
const webhookSchema = z.object({ team: teamSchema, url: z.string(), enabled: z.boolean() });

export const notificationsRouter = createTRPCRouter({
  mine: permissionProcedure('session.read')
    .output(
      z.object({
        unread: z.number(),
        items: z.array(
          z.object({
            id: z.string(),
            kind: z.string(),
            exceptionId: z.string().nullable(),
            title: z.string(),
            body: z.string(),
            createdAt: z.date(),
            read: z.boolean(),
          }),
        ),
      }),
    )
    .query(({ ctx }) => myNotifications(ctx.user.id)),

  markRead: permissionProcedure('session.read')
    .input(z.object({ ids: z.array(z.string().regex(/^\d+$/)).max(100).optional() }))
    .output(z.object({ marked: z.number() }))
    .mutation(({ input, ctx }) => markNotificationsRead({ userId: ctx.user.id, ids: input.ids })),

  teamWebhooks: permissionProcedure('governance.manage')
    .output(z.array(webhookSchema))
    .query(() => listTeamWebhooks()),

  configureTeamWebhook: permissionProcedure('governance.manage')
    .input(teamWebhookInput)
    .output(webhookSchema)
    .mutation(({ input, ctx }) => configureTeamWebhook(input, auditContext(ctx))),
});
