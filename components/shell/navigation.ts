import type { Permission } from '@/server/auth/permissions';

export interface NavItem {
  href: string;
  label: string;
  permission: Permission;
}

/** The console's sections; each shows only to roles holding its permission. */
export const NAVIGATION: NavItem[] = [
  { href: '/dashboards', label: 'Dashboards', permission: 'dashboards.view' },
  { href: '/exceptions', label: 'Exceptions', permission: 'exceptions.view' },
  { href: '/runs', label: 'Sync runs', permission: 'runs.view' },
  { href: '/trace', label: 'Record trace', permission: 'runs.view' },
  { href: '/audit', label: 'Audit log', permission: 'audit.view' },
  // Everyone may read connection health and schedules; the landing lists what each role may see.
  { href: '/admin', label: 'Admin', permission: 'runs.view' },
];
