import type { Metadata } from 'next';
import { dashboardInput, loadDashboardFilters } from '@/components/dashboards/dashboard-filters';
import { Dashboards } from '@/components/dashboards/dashboards';
import { getServerQueryClient, Hydrate, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';

export const metadata: Metadata = { title: 'Dashboards' };

export default async function DashboardsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireUser('dashboards.view');
  const input = dashboardInput(await loadDashboardFilters(searchParams));
  // A bad filter is reported by the scope query itself, which the page shows; the charts wait for it.
  await getServerQueryClient().prefetchQuery(trpcServer.dashboards.scope.queryOptions(input));
  return (
    <Hydrate>
      <Dashboards />
    </Hydrate>
  );
}
