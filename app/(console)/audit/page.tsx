import type { Metadata } from 'next';
import { AuditLog } from '@/components/audit/audit-log';
import { auditListInput, loadAuditFilters } from '@/components/audit/audit-list-input';
import { getServerQueryClient, Hydrate, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';
import { can } from '@/server/auth/permissions';

export const metadata: Metadata = { title: 'Audit log' };

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser('audit.view');
  const filters = await loadAuditFilters(searchParams);
  const queryClient = getServerQueryClient();
  // A malformed filter in the URL is reported by the client's own query; prefetch errors are dropped.
  await Promise.all([
    queryClient.prefetchQuery(trpcServer.audit.facets.queryOptions()),
    queryClient.prefetchInfiniteQuery(
      trpcServer.audit.list.infiniteQueryOptions(auditListInput(filters), {
        getNextPageParam: (page) => page.nextCursor ?? undefined,
      }),
    ),
  ]);
  return (
    <Hydrate>
      <AuditLog canVerify={can(user.role, 'audit.verify')} canExport={can(user.role, 'audit.export')} />
    </Hydrate>
  );
}
