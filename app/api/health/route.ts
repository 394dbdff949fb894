import { createRequestContext } from '@/server/api/context';
import { createCaller } from '@/server/api/root';

export const dynamic = 'force-dynamic';

export async function GET() {
  const health = await createCaller(await createRequestContext()).system.health();
  return Response.json(health, {
    status: health.status === 'ok' ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}
