'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Search, UserPlus } from 'lucide-react';
import { useQueryStates } from 'nuqs';
import { useState } from 'react';
import { toast } from 'sonner';
import { useTRPC } from '@/components/trpc/trpc';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Dialog } from '@/components/ui/dialog';
import { Input, Select } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { QueryStates } from '@/components/ui/query-states';
import { EmptyState } from '@/components/ui/states';
import { Table, Td, Th } from '@/components/ui/table';
import { errorMessage } from '@/lib/error-message';
import { LocalTime } from '@/components/ui/local-time';
import type { Role } from '@/server/auth/permissions';
import { CreateUserDialog } from './create-user-dialog';
import { ResetPasswordDialog } from './reset-password-dialog';
import { USER_FILTERS, userListInput, type UserStatusFilter } from './user-list-input';

type PendingChange =
  | { kind: 'role'; user: { id: string; name: string; email: string }; from: Role; to: Role }
  | { kind: 'disable'; user: { id: string; name: string; email: string } };

export function UsersAdmin({
  canManage,
  currentUserId,
  roles,
}: {
  canManage: boolean;
  currentUserId: string;
  roles: { value: Role; label: string }[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useQueryStates(USER_FILTERS);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<{ id: string; email: string } | null>(null);
  // Role changes and disabling wait for a confirmation naming the user and the change.
  const [confirming, setConfirming] = useState<PendingChange | null>(null);

  const users = useQuery(trpc.users.list.queryOptions(userListInput(filters)));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });

  const changeRole = useMutation(
    trpc.users.changeRole.mutationOptions({
      onSuccess: () => {
        toast.success('Role changed. It applies from the user’s next request.');
        void refresh();
      },
      onError: (error) => {
        toast.error(errorMessage(error));
        void refresh();
      },
    }),
  );
  const setDisabled = useMutation(
    trpc.users.setDisabled.mutationOptions({
      onSuccess: (_data, input) => {
        toast.success(input.disabled ? 'User disabled and signed out.' : 'User enabled.');
        void refresh();
      },
      onError: (error) => toast.error(errorMessage(error)),
    }),
  );
  const roleLabel = (role: Role) => roles.find((r) => r.value === role)?.label ?? role;

  return (
    <>
      <PageHeader
        title="Users"
        description="Who can sign in, and with which role. Every change here is recorded in the audit log."
        actions={
          canManage ? (
            <Button onClick={() => setCreating(true)}>
              <UserPlus className="size-4" aria-hidden /> New user
            </Button>
          ) : null
        }
      />
      <Card>
        <div className="flex flex-wrap items-end gap-3 border-b border-slate-200 p-4">
          <div className="relative w-72">
            <label htmlFor="user-search" className="sr-only">
              Search users
            </label>
            <Search className="pointer-events-none absolute left-3 top-2.5 size-4 text-slate-400" aria-hidden />
            <Input
              id="user-search"
              className="pl-9"
              placeholder="Search by name or email"
              value={filters.q}
              onChange={(e) => void setFilters({ q: e.target.value || null })}
            />
          </div>
          <div>
            <label htmlFor="user-status" className="sr-only">
              Status
            </label>
            <Select
              id="user-status"
              value={filters.status}
              onChange={(e) => void setFilters({ status: e.target.value as UserStatusFilter })}
            >
              <option value="all">All users</option>
              <option value="active">Active</option>
              <option value="disabled">Disabled</option>
            </Select>
          </div>
        </div>
        <QueryStates
          query={users}
          loadingLabel="Loading users…"
          empty={<EmptyState title="No users match these filters." />}
        >
          {(list) => (
            <Table aria-label="Users">
              <thead className="bg-slate-50">
                <tr>
                  <Th>Name</Th>
                  <Th>Email</Th>
                  <Th>Role</Th>
                  <Th>Status</Th>
                  <Th>Last sign-in</Th>
                  {canManage ? <Th className="text-right">Actions</Th> : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 bg-white">
                {list.map((user) => (
                  <tr key={user.id}>
                    <Td className="font-medium">{user.name}</Td>
                    <Td>{user.email}</Td>
                    <Td>
                      {canManage ? (
                        <>
                          <label htmlFor={`role-${user.id}`} className="sr-only">
                            Role of {user.email}
                          </label>
                          <Select
                            id={`role-${user.id}`}
                            className="w-40 py-1"
                            value={user.role}
                            disabled={changeRole.isPending || user.id === currentUserId}
                            title={user.id === currentUserId ? 'You cannot change your own role' : undefined}
                            onChange={(e) =>
                              setConfirming({
                                kind: 'role',
                                user: { id: user.id, name: user.name, email: user.email },
                                from: user.role,
                                to: e.target.value as Role,
                              })
                            }
                          >
                            {roles.map((role) => (
                              <option key={role.value} value={role.value}>
                                {role.label}
                              </option>
                            ))}
                          </Select>
                        </>
                      ) : (
                        roleLabel(user.role)
                      )}
                    </Td>
                    <Td>
                      {user.disabled ? <Badge tone="danger">Disabled</Badge> : <Badge tone="success">Active</Badge>}
                    </Td>
                    <Td className="whitespace-nowrap text-slate-600">
                      <LocalTime value={user.lastSignInAt} />
                    </Td>
                    {canManage ? (
                      <Td className="whitespace-nowrap text-right">
                        <Button
                          variant="secondary"
                          size="sm"
                          onClick={() => setResetting({ id: user.id, email: user.email })}
                          aria-label={`Reset password of ${user.email}`}
                        >
                          Reset password
                        </Button>{' '}
                        <Button
                          variant={user.disabled ? 'secondary' : 'danger'}
                          size="sm"
                          disabled={setDisabled.isPending || user.id === currentUserId}
                          title={user.id === currentUserId ? 'You cannot disable your own account' : undefined}
                          onClick={() =>
                            user.disabled
                              ? setDisabled.mutate({ userId: user.id, disabled: false })
                              : setConfirming({
                                  kind: 'disable',
                                  user: { id: user.id, name: user.name, email: user.email },
                                })
                          }
                          aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.email}`}
                        >
                          {user.disabled ? 'Enable' : 'Disable'}
                        </Button>
                      </Td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </QueryStates>
      </Card>
      {canManage ? (
        <>
          <CreateUserDialog open={creating} onOpenChange={setCreating} roles={roles} onCreated={() => void refresh()} />
          <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />
          <Dialog
            open={confirming !== null}
            onOpenChange={(open) => {
              if (!open) setConfirming(null);
            }}
            title={
              confirming?.kind === 'disable'
                ? `Disable ${confirming.user.name}?`
                : `Change the role of ${confirming?.user.name ?? ''}?`
            }
            description={
              confirming?.kind === 'disable'
                ? `${confirming.user.email} will be signed out everywhere and can no longer sign in until enabled again.`
                : confirming
                  ? `${confirming.user.email} will change from ${roleLabel(confirming.from)} to ${roleLabel(confirming.to)}, from their next request on.`
                  : undefined
            }
          >
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={() => setConfirming(null)}>
                Cancel
              </Button>
              <Button
                variant={confirming?.kind === 'disable' ? 'danger' : 'primary'}
                onClick={() => {
                  if (!confirming) return;
                  if (confirming.kind === 'disable') setDisabled.mutate({ userId: confirming.user.id, disabled: true });
                  else changeRole.mutate({ userId: confirming.user.id, role: confirming.to });
                  setConfirming(null);
                }}
              >
                {confirming?.kind === 'disable'
                  ? `Disable ${confirming.user.name}`
                  : confirming
                    ? `Make ${confirming.user.name} ${roleLabel(confirming.to)}`
                    : 'Confirm'}
              </Button>
            </div>
          </Dialog>
        </>
      ) : null}
    </>
  );
}
