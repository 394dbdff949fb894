import { db } from '@/server/db/client';

export interface NotificationView {
  id: string;
  kind: string;
  exceptionId: string | null;
  title: string;
  body: string;
  createdAt: Date;
  read: boolean;
}

const RECENT = 20;

/** The user's newest notifications and how many are unread. */
export async function myNotifications(userId: string): Promise<{ unread: number; items: NotificationView[] }> {
  const [unread, rows] = await Promise.all([
    db().notification.count({ where: { userId, readAt: null } }),
    db().notification.findMany({ where: { userId }, orderBy: { id: 'desc' }, take: RECENT }),
  ]);
  return {
    unread,
    items: rows.map((n) => ({
      id: n.id.toString(),
      kind: n.kind,
      exceptionId: n.exceptionId,
      title: n.title,
      body: n.body,
      createdAt: n.createdAt,
      read: n.readAt !== null,
    })),
  };
}

/** Marks the user's own notifications read: the given ones, or all. */
export async function markNotificationsRead(input: { userId: string; ids?: string[] }): Promise<{ marked: number }> {
  const { count } = await db().notification.updateMany({
    where: {
      userId: input.userId,
      readAt: null,
      ...(input.ids ? { id: { in: input.ids.map((id) => BigInt(id)) } } : {}),
    },
    data: { readAt: new Date() },
  });
  return { marked: count };
}
