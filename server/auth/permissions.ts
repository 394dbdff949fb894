/**
 * Who may do what: the one table of role → permissions. Every tRPC procedure declares the
 * permission it needs (see server/api/trpc.ts); pages and navigation read the same table.
 */
export const ROLES = ['admin', 'finance', 'operations', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'session.read', // see one's own profile and permissions
  'dashboards.view',
  'exceptions.view',
  'exceptions.assign', // take or hand out an exception of one's own team (admins: any team)
  'exceptions.work', // start, comment, resolve, ignore, reopen an exception of one's own team
  'exceptions.replay', // dry-run and replay an exception of one's own team
  'runs.view',
  'sync.run', // queue a routine run on demand ("Run now")
  'audit.view',
  'audit.verify',
  'audit.export',
  'users.view',
  'users.manage',
  'system.inspect', // health details: database reachability, latency, applied migration
  'governance.manage', // ownership rules, mappings, routing rules, connections, schedules, FX rates
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const EVERYONE: Permission[] = ['session.read', 'dashboards.view', 'exceptions.view', 'runs.view'];

/** Granted per role; which exceptions a role may act on is decided per object by its team. */
const WORK_EXCEPTIONS: Permission[] = ['exceptions.assign', 'exceptions.work', 'exceptions.replay'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  finance: [...EVERYONE, ...WORK_EXCEPTIONS, 'sync.run'],
  operations: [...EVERYONE, ...WORK_EXCEPTIONS, 'sync.run'],
  auditor: [...EVERYONE, 'audit.view', 'audit.verify', 'audit.export', 'users.view'],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  finance: 'Finance',
  operations: 'Operations',
  auditor: 'Auditor',
};
