import type { Metadata } from 'next';
import { loadRunFilters, runListInput } from '@/components/runs/run-list-input';
import { SyncRuns } from '@/components/runs/sync-runs';
import { getServerQueryClient, Hydrate, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';
import { can } from '@/server/auth/permissions';

export const metadata: Metadata = { title: 'Sync runs' };

export default async function RunsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser('runs.view');
  const filters = await loadRunFilters(searchParams);
  const queryClient = getServerQueryClient();
  // A malformed filter in the URL is reported by the client's own query; prefetch errors are dropped.
  await Promise.all([
    queryClient.prefetchQuery(trpcServer.runs.schedules.queryOptions()),
    queryClient.prefetchQuery(trpcServer.runs.facets.queryOptions()),
    queryClient.prefetchInfiniteQuery(
      trpcServer.runs.list.infiniteQueryOptions(runListInput(filters), {
        getNextPageParam: (page) => page.nextCursor ?? undefined,
      }),
    ),
  ]);
  return (
    <Hydrate>
      <SyncRuns canRun={can(user.role, 'sync.run')} />
    </Hydrate>
  );
}
