import type { Role } from '@/server/auth/permissions';
import { db } from '@/server/db/client';

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
  lastSignInAt: Date | null;
}

export async function listUsers(options: {
  search?: string;
  status?: 'active' | 'disabled' | 'all';
}): Promise<UserSummary[]> {
  const search = options.search?.trim();
  const users = await db().user.findMany({
    where: {
      ...(search
        ? {
            OR: [
              { email: { contains: search, mode: 'insensitive' } },
              { name: { contains: search, mode: 'insensitive' } },
            ],
          }
        : {}),
      ...(options.status === 'active'
        ? { disabledAt: null }
        : options.status === 'disabled'
          ? { disabledAt: { not: null } }
          : {}),
    },
    orderBy: [{ disabledAt: { sort: 'asc', nulls: 'first' } }, { email: 'asc' }],
    include: { sessions: { orderBy: { createdAt: 'desc' }, take: 1, select: { createdAt: true } } },
  });
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabledAt !== null,
    createdAt: u.createdAt,
    lastSignInAt: u.sessions[0]?.createdAt ?? null,
  }));
}
