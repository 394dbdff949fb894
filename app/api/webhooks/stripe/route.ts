import { TRPCError } from '@trpc/server';
import { createRequestContext } from '@/server/api/context';
import { payloadTooLarge, readBodyWithin } from '@/server/api/request-body';
import { createWebhookCaller, MAX_WEBHOOK_BODY_BYTES } from '@/server/api/routers/webhooks';

export const dynamic = 'force-dynamic';

/** Stripe's webhook: the raw body is what the signature covers, so it is passed on untouched. */
export async function POST(request: Request) {
  const payload = await readBodyWithin(request, MAX_WEBHOOK_BODY_BYTES);
  if (payload === null) return payloadTooLarge(MAX_WEBHOOK_BODY_BYTES);
  // Server-to-server: Stripe sends no Origin, so the context never marks this as cross-site.
  const caller = createWebhookCaller(await createRequestContext());
  try {
    const result = await caller.stripe({ payload, signature: request.headers.get('stripe-signature') });
    return Response.json({ received: true, ...result });
  } catch (error) {
    if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
      return Response.json({ error: error.message }, { status: error.code === 'PAYLOAD_TOO_LARGE' ? 413 : 400 });
    }
    return Response.json({ error: 'The webhook could not be processed; it will be retried.' }, { status: 500 });
  }
}
