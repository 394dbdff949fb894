import type { Metadata } from 'next';
import { MappingsAdmin } from '@/components/mappings/mappings-admin';
import { getServerQueryClient, Hydrate, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';
import { can } from '@/server/auth/permissions';

export const metadata: Metadata = { title: 'Field mappings' };

export default async function MappingsPage() {
  const user = await requireUser('runs.view');
  const queryClient = getServerQueryClient();
  await queryClient.prefetchQuery(trpcServer.mappings.overview.queryOptions());
  return (
    <Hydrate>
      <MappingsAdmin canManage={can(user.role, 'governance.manage')} />
    </Hydrate>
  );
}
