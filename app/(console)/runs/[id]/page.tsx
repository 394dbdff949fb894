import type { Metadata } from 'next';
import { RunDetail } from '@/components/runs/run-detail';
import { getServerQueryClient, Hydrate, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';

export const metadata: Metadata = { title: 'Sync run' };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUser('runs.view');
  const { id } = await params;
  // A run that does not exist is reported by the client's own query; prefetch errors are dropped.
  await getServerQueryClient().prefetchQuery(trpcServer.runs.byId.queryOptions({ id }));
  return (
    <Hydrate>
      <RunDetail id={id} />
    </Hydrate>
  );
}
