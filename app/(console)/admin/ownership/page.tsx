import type { Metadata } from 'next';
import { OwnershipAdmin } from '@/components/ownership/ownership-admin';
import { getServerQueryClient, Hydrate, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';
import { can } from '@/server/auth/permissions';

export const metadata: Metadata = { title: 'Ownership rules' };

export default async function OwnershipPage() {
  const user = await requireUser('runs.view');
  const queryClient = getServerQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpcServer.ownership.overview.queryOptions()),
    queryClient.prefetchQuery(trpcServer.ownership.history.queryOptions()),
  ]);
  return (
    <Hydrate>
      <OwnershipAdmin canManage={can(user.role, 'governance.manage')} />
    </Hydrate>
  );
}
