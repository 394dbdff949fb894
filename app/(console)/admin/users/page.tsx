import type { Metadata } from 'next';
import { loadUserFilters, userListInput } from '@/components/users/user-list-input';
import { UsersAdmin } from '@/components/users/users-admin';
import { getServerQueryClient, Hydrate, trpcServer } from '@/server/api/prefetch';
import { requireUser } from '@/server/auth/current-user';
import { can, ROLE_LABELS, ROLES } from '@/server/auth/permissions';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser('users.view');
  const filters = await loadUserFilters(searchParams);
  await getServerQueryClient().prefetchQuery(trpcServer.users.list.queryOptions(userListInput(filters)));
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
