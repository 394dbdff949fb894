import type { Metadata } from 'next';
import { RoutingAdmin } from '@/components/routing/routing-admin';
import { getServerQueryClient, Hydrate, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';
import { can } from '@/server/auth/permissions';

export const metadata: Metadata = { title: 'Routing rules' };

export default async function RoutingPage() {
  const user = await requireUser('runs.view');
  const queryClient = getServerQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpcServer.routing.overview.queryOptions()),
    queryClient.prefetchQuery(trpcServer.routing.history.queryOptions()),
  ]);
  return (
    <Hydrate>
      <RoutingAdmin canManage={can(user.role, 'governance.manage')} />
    </Hydrate>
  );
}
