import { createRequestContext } from '@/server/api/context';
import { createCaller } from '@/server/api/root';
import { can } from '@/server/auth/permissions';

export const dynamic = 'force-dynamic';

/** Up or down for anyone; the details for a signed-in admin. */
export async function GET() {
  const context = await createRequestContext();
  const caller = createCaller(context);
  const health =
    context.user && can(context.user.role, 'system.inspect')
      ? await caller.system.healthDetails()
      : await caller.system.health();
  return Response.json(health, {
    status: health.status === 'ok' ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}
