import type { Metadata } from 'next';
import { ExceptionsQueue } from '@/components/exceptions/exceptions-queue';
import {
  exceptionFilterInput,
  exceptionListInput,
  loadExceptionFilters,
} from '@/components/exceptions/exception-list-input';
import { getServerQueryClient, Hydrate, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';
import { can } from '@/server/auth/permissions';

export const metadata: Metadata = { title: 'Exceptions' };

export default async function ExceptionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser('exceptions.view');
  const filters = await loadExceptionFilters(searchParams);
  const queryClient = getServerQueryClient();
  // A malformed filter is dropped by the client with a notice; prefetch errors are dropped here.
  await Promise.all([
    queryClient.prefetchQuery(trpcServer.exceptions.savedViews.queryOptions()),
    queryClient.prefetchQuery(trpcServer.exceptions.facets.queryOptions(exceptionFilterInput(filters).input)),
    queryClient.prefetchInfiniteQuery(
      trpcServer.exceptions.list.infiniteQueryOptions(exceptionListInput(filters), {
        getNextPageParam: (page) => page.nextCursor ?? undefined,
      }),
    ),
  ]);
  return (
    <Hydrate>
      <ExceptionsQueue
        allowed={{
          assign: can(user.role, 'exceptions.assign'),
          work: can(user.role, 'exceptions.work'),
          replay: can(user.role, 'exceptions.replay'),
        }}
      />
    </Hydrate>
  );
}
