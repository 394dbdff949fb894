import { z } from 'zod';
import { receiveStripeWebhook } from '@/server/services/webhooks/receive-stripe-webhook';
import { createCallerFactory, createTRPCRouter, publicProcedure } from '../trpc';

/** Stripe's events are at most this large; a bigger body is refused before it is read. */
export const MAX_WEBHOOK_BODY_BYTES = 1_000_000;

/**
 * Webhook receivers, called only by their own routes (`app/api/webhooks/…`): kept out of the
 * console's router, so they cannot be reached — or batched — through `/api/trpc`.
 */
export const webhooksRouter = createTRPCRouter({
  /** Public: the sender proves itself with the payload's signature, checked by the service. */
  stripe: publicProcedure
    .input(z.object({ payload: z.string().max(MAX_WEBHOOK_BODY_BYTES), signature: z.string().max(2_000).nullable() }))
    .output(z.object({ eventId: z.string(), duplicate: z.boolean(), runsRequested: z.number() }))
    .mutation(({ input, ctx }) => receiveStripeWebhook({ ...input, ip: ctx.ip })),
});

export const createWebhookCaller = createCallerFactory(webhooksRouter);
