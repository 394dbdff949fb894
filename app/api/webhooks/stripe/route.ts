import { TRPCError } from '@trpc/server';
import { createRequestContext } from '@/server/api/context';
import { createCaller } from '@/server/api/root';

export const dynamic = 'force-dynamic';

/** Stripe's webhook: the raw body is what the signature covers, so it is passed on untouched. */
export async function POST(request: Request) {
  const payload = await request.text();
  // Server-to-server: Stripe sends no Origin, so the context never marks this as cross-site.
  const caller = createCaller(await createRequestContext());
  try {
    const result = await caller.webhooks.stripe({ payload, signature: request.headers.get('stripe-signature') });
    return Response.json({ received: true, ...result });
  } catch (error) {
    if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
      return Response.json({ error: error.message }, { status: error.code === 'PAYLOAD_TOO_LARGE' ? 413 : 400 });
    }
    return Response.json({ error: 'The webhook could not be processed; it will be retried.' }, { status: 500 });
  }
}
