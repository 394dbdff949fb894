import type { Metadata } from 'next';
import { AuditLog } from '@/components/audit/audit-log';
import { AUDIT_PAGE_SIZE } from '@/components/audit/audit-page-size';
import { getServerQueryClient, Hydrate, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';
import { can } from '@/server/auth/permissions';

export const metadata: Metadata = { title: 'Audit log' };

const FILTER_KEYS = ['actor', 'action', 'targetType', 'targetId', 'from', 'to'] as const;

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requireUser('audit.view');
  const params = await searchParams;
  const filters = Object.fromEntries(FILTER_KEYS.filter((key) => params[key]).map((key) => [key, params[key]!]));
  const queryClient = getServerQueryClient();
  // A malformed filter in the URL is reported by the client's own query; prefetch errors are dropped.
  await Promise.all([
    queryClient.prefetchQuery(trpcServer.audit.facets.queryOptions()),
    queryClient.prefetchInfiniteQuery(
      trpcServer.audit.list.infiniteQueryOptions(
        { ...filters, limit: AUDIT_PAGE_SIZE },
        { getNextPageParam: (page) => page.nextCursor ?? undefined },
      ),
    ),
  ]);
  return (
    <Hydrate>
      <AuditLog canVerify={can(user.role, 'audit.verify')} canExport={can(user.role, 'audit.export')} />
    </Hydrate>
  );
}
