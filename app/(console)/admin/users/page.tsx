import type { Metadata } from 'next';
import { UsersAdmin } from '@/components/users/users-admin';
import { requireUser } from '@/server/auth/current-user';
import { can, ROLE_LABELS, ROLES } from '@/server/auth/permissions';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const user = await requireUser('users.view');
  return (
    <UsersAdmin
      canManage={can(user.role, 'users.manage')}
      currentUserId={user.id}
      roles={ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
    />
  );
}
