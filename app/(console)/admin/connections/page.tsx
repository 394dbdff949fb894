import type { Metadata } from 'next';
import { ConnectionsAdmin } from '@/components/connections/connections-admin';
import { getServerQueryClient, Hydrate, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';
import { can } from '@/server/auth/permissions';

export const metadata: Metadata = { title: 'Connections & schedules' };

export default async function ConnectionsPage() {
  const user = await requireUser('runs.view');
  const queryClient = getServerQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpcServer.connections.list.queryOptions()),
    queryClient.prefetchQuery(trpcServer.schedules.list.queryOptions()),
  ]);
  return (
    <Hydrate>
      <ConnectionsAdmin canManage={can(user.role, 'governance.manage')} />
    </Hydrate>
  );
}
