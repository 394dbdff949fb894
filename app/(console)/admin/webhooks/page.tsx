import type { Metadata } from 'next';
import { TeamWebhooksAdmin } from '@/components/notifications/team-webhooks-admin';
import { getServerQueryClient, Hydrate, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';

export const metadata: Metadata = { title: 'Team webhooks' };

export default async function TeamWebhooksPage() {
  await requireUser('governance.manage');
  await getServerQueryClient().prefetchQuery(trpcServer.notifications.teamWebhooks.queryOptions());
  return (
    <Hydrate>
      <TeamWebhooksAdmin />
    </Hydrate>
  );
}
