import type { Metadata } from 'next';
import { FxRatesAdmin } from '@/components/fx-rates/fx-rates-admin';
import { getServerQueryClient, Hydrate, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';
import { can } from '@/server/auth/permissions';

export const metadata: Metadata = { title: 'Exchange rates' };

export default async function FxRatesPage() {
  const user = await requireUser('dashboards.view');
  await getServerQueryClient().prefetchQuery(trpcServer.fxRates.list.queryOptions());
  return (
    <Hydrate>
      <FxRatesAdmin canEdit={can(user.role, 'governance.manage')} />
    </Hydrate>
  );
}
