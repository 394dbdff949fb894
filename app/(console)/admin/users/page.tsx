import type { Metadata } from 'next';
import { UsersAdmin } from '@/components/users/users-admin';
import { getServerQueryClient, Hydrate, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';
import { can, ROLE_LABELS, ROLES } from '@/server/auth/permissions';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage({ searchParams }: { searchParams: Promise<{ q?: string; status?: string }> }) {
  const user = await requireUser('users.view');
  const { q, status } = await searchParams;
  const statusFilter = status === 'active' || status === 'disabled' ? status : 'all';
  await getServerQueryClient().prefetchQuery(
    trpcServer.users.list.queryOptions({ search: q || undefined, status: statusFilter }),
  );
  return (
    <Hydrate>
      <UsersAdmin
        canManage={can(user.role, 'users.manage')}
        currentUserId={user.id}
        roles={ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
      />
    </Hydrate>
  );
}
