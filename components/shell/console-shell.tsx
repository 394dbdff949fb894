'use client';

import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { ChevronDown, KeyRound, LogOut } from 'lucide-react';
import { signOut } from 'next-auth/react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { cn } from '@/lib/cn';
import { NotificationBell } from './notification-bell';

export function ConsoleShell({
  nav,
  user,
  children,
}: {
  nav: { href: string; label: string }[];
  user: { name: string; email: string; roleLabel: string };
  children: ReactNode;
}) {
  const pathname = usePathname();
  const section = (href: string) => '/' + href.split('/')[1];
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-6 px-6">
          <Link href="/dashboards" className="font-semibold tracking-tight text-brand-900">
            Syncwright
          </Link>
          <nav aria-label="Main" className="flex flex-1 items-center gap-1">
            {nav.map((item) => {
              const active = pathname.startsWith(section(item.href));
              return (
                <Link
                  key={item.href}
                  href={item.href}
                  aria-current={active ? 'page' : undefined}
                  className={cn(
                    'rounded-md px-3 py-1.5 text-sm font-medium',
                    active ? 'bg-brand-50 text-brand-700' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900',
                  )}
                >
                  {item.label}
                </Link>
              );
            })}
          </nav>
          <NotificationBell />
          <DropdownMenu.Root>
            <DropdownMenu.Trigger
              className="flex items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-slate-100"
              aria-label={`Account menu for ${user.name}`}
            >
              <span className="text-right leading-tight">
                <span className="block font-medium">{user.name}</span>
                <span className="block text-xs text-slate-500">{user.roleLabel}</span>
              </span>
              <ChevronDown className="size-4 text-slate-500" aria-hidden />
            </DropdownMenu.Trigger>
            <DropdownMenu.Portal>
              <DropdownMenu.Content
                align="end"
                sideOffset={6}
                className="z-50 min-w-56 rounded-md border border-slate-200 bg-white p-1 shadow-lg"
              >
                <DropdownMenu.Label className="px-2 py-1.5 text-xs text-slate-500">{user.email}</DropdownMenu.Label>
                <DropdownMenu.Separator className="my-1 h-px bg-slate-200" />
                <DropdownMenu.Item asChild>
                  <Link
                    href="/change-password"
                    className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-slate-100"
                  >
                    <KeyRound className="size-4" aria-hidden /> Change password
                  </Link>
                </DropdownMenu.Item>
                <DropdownMenu.Item
                  onSelect={() => void signOut({ callbackUrl: '/signin' })}
                  className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-slate-100"
                >
                  <LogOut className="size-4" aria-hidden /> Sign out
                </DropdownMenu.Item>
              </DropdownMenu.Content>
            </DropdownMenu.Portal>
          </DropdownMenu.Root>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-6 py-8">{children}</main>
    </div>
  );
}
