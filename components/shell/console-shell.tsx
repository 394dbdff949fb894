'use client';

import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { ChevronDown, KeyRound, LogOut, Menu, X } from 'lucide-react';
import { signOut } from 'next-auth/react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { cn } from '@/lib/cn';
import { NotificationBell } from './notification-bell';

type NavLink = { href: string; label: string };
type ShellUser = { name: string; email: string; roleLabel: string };

const section = (href: string) => '/' + href.split('/')[1];

export function ConsoleShell({
  nav,
  user,
  headerActions,
  children,
}: {
  nav: NavLink[];
  user: ShellUser;
  /** Controls shown in the header before the account menu (notifications, say). */
  headerActions?: ReactNode;
  children: ReactNode;
}) {
  const pathname = usePathname();
  // The small-screen menu is open at the page it was opened on: choosing a section closes it.
  const [menuOpenAt, setMenuOpenAt] = useState<string | null>(null);
  const menuOpen = menuOpenAt === pathname;
  const isActive = (href: string) => pathname.startsWith(section(href));

  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-3 px-4 md:gap-6 md:px-6">
          <button
            type="button"
            className="-ml-1 rounded-md p-2 text-slate-700 hover:bg-slate-100 md:hidden"
            aria-label={menuOpen ? 'Close menu' : 'Open menu'}
            aria-expanded={menuOpen}
            aria-controls="mobile-navigation"
            onClick={() => setMenuOpenAt(menuOpen ? null : pathname)}
          >
            {menuOpen ? <X className="size-5" aria-hidden /> : <Menu className="size-5" aria-hidden />}
          </button>
          <Link href="/dashboards" className="font-semibold tracking-tight text-brand-900">
            Syncwright
          </Link>
          <nav aria-label="Main" className="hidden flex-1 items-center gap-1 md:flex">
            {nav.map((item) => (
              <NavEntry key={item.href} item={item} active={isActive(item.href)} />
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-2 md:ml-0" data-slot="header-actions">
            {headerActions}
            <NotificationBell />
            <AccountMenu user={user} />
          </div>
        </div>
        {menuOpen ? (
          <nav
            id="mobile-navigation"
            aria-label="Main"
            className="flex flex-col gap-1 border-t border-slate-200 px-4 py-3 md:hidden"
          >
            {nav.map((item) => (
              <NavEntry key={item.href} item={item} active={isActive(item.href)} />
            ))}
          </nav>
        ) : null}
      </header>
      <main className="mx-auto max-w-7xl px-4 py-6 md:px-6 md:py-8">{children}</main>
    </div>
  );
}

function NavEntry({ item, active }: { item: NavLink; active: boolean }) {
  return (
    <Link
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
}

function AccountMenu({ user }: { user: ShellUser }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="flex items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-slate-100"
        aria-label={`Account menu for ${user.name}`}
      >
        <span className="hidden text-right leading-tight sm:block">
          <span className="block font-medium">{user.name}</span>
          <span className="block text-xs text-slate-500">{user.roleLabel}</span>
        </span>
        <span
          aria-hidden
          className="flex size-8 items-center justify-center rounded-full bg-brand-50 text-xs font-semibold text-brand-700 sm:hidden"
        >
          {initials(user.name)}
        </span>
        <ChevronDown className="size-4 text-slate-500" aria-hidden />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={6}
          collisionPadding={8}
          className="z-50 min-w-56 max-w-[calc(100vw-1rem)] rounded-md border border-slate-200 bg-white p-1 shadow-lg"
        >
          <DropdownMenu.Label className="px-2 py-1.5 text-xs text-slate-500">
            <span className="block font-medium text-slate-800">{user.name}</span>
            {user.email} · {user.roleLabel}
          </DropdownMenu.Label>
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
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join('');
}
