import { z } from 'zod';
import { receiveStripeWebhook } from '@/server/services/webhooks/receive-stripe-webhook';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const webhooksRouter = createTRPCRouter({
  /** Public: the sender proves itself with the payload's signature, checked by the service. */
  stripe: publicProcedure
    .input(z.object({ payload: z.string().max(1_000_000), signature: z.string().max(2_000).nullable() }))
    .output(z.object({ eventId: z.string(), duplicate: z.boolean(), runsRequested: z.number() }))
    .mutation(({ input, ctx }) => receiveStripeWebhook({ ...input, ip: ctx.ip })),
});
