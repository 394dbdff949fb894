'use client';

import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Bell } from 'lucide-react';
import Link from 'next/link';
import { useTRPC } from '@/components/trpc/trpc';
import { cn } from '@/lib/cn';
import { formatDateTime } from '@/lib/format';
import { backgroundRequest } from '@/lib/background-request';

const REFRESH_MS = 30_000;

/** The header's bell: unread count, the newest notifications, each leading to its exception. */
export function NotificationBell() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mine = useQuery(
    trpc.notifications.mine.queryOptions(undefined, { ...backgroundRequest, refetchInterval: REFRESH_MS }),
  );
  const markRead = useMutation(
    trpc.notifications.markRead.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.notifications.mine.queryKey() }),
    }),
  );
  const unread = mine.data?.unread ?? 0;
  const items = mine.data?.items ?? [];
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="relative rounded-md p-2 text-slate-600 hover:bg-slate-100"
        aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}
      >
        <Bell className="size-5" aria-hidden />
        {unread > 0 ? (
          <span
            aria-hidden
            className="absolute -right-0.5 -top-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs font-semibold text-white"
          >
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={6}
          className="z-50 w-96 rounded-md border border-slate-200 bg-white p-1 shadow-lg"
          aria-label="Notifications"
        >
          <div className="flex items-center justify-between px-2 py-1.5">
            <DropdownMenu.Label className="text-sm font-semibold">Notifications</DropdownMenu.Label>
            {unread > 0 ? (
              <DropdownMenu.Item
                onSelect={(e) => {
                  e.preventDefault();
                  markRead.mutate({});
                }}
                className="cursor-pointer rounded px-2 py-1 text-xs text-brand-700 outline-none data-[highlighted]:bg-slate-100"
              >
                Mark all read
              </DropdownMenu.Item>
            ) : null}
          </div>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-200" />
          {items.length === 0 ? (
            <p className="px-2 py-3 text-sm text-slate-600">Nothing yet.</p>
          ) : (
            items.map((n) => (
              <DropdownMenu.Item key={n.id} asChild>
                <Link
                  href={n.exceptionId ? `/exceptions/${n.exceptionId}` : '/exceptions'}
                  onClick={() => (n.read ? undefined : markRead.mutate({ ids: [n.id] }))}
                  className={cn(
                    'block rounded px-2 py-2 text-sm outline-none data-[highlighted]:bg-slate-100',
                    !n.read && 'bg-brand-50',
                  )}
                >
                  <span className="block font-medium">{n.title}</span>
                  <span className="block truncate text-slate-600">{n.body}</span>
                  <span className="block text-xs text-slate-500">
                    {formatDateTime(n.createdAt)}
                    {n.read ? '' : ' · unread'}
                  </span>
                </Link>
              </DropdownMenu.Item>
            ))
          )}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
