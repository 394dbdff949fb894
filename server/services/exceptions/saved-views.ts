import { z } from 'zod';
import { db } from '@/server/db/client';
import { AppError } from '@/server/errors';

export interface SavedView {
  id: string;
  name: string;
  /** The queue's query string, without the leading "?". */
  query: string;
  builtIn: boolean;
}

/** The usual queues, offered to everyone. */
export const BUILT_IN_VIEWS: SavedView[] = [
  { id: 'my-open', name: 'My open', query: 'assignee=me&status=open,assigned,in_progress', builtIn: true },
  {
    id: 'finance-unassigned',
    name: 'Finance — unassigned',
    query: 'team=finance&assignee=unassigned&status=open',
    builtIn: true,
  },
  { id: 'overdue', name: 'Overdue', query: 'overdue=true&sort=due', builtIn: true },
];

export const savedViewInputSchema = z.object({
  name: z.string().trim().min(1, 'Give the view a name.').max(60),
  query: z.string().max(2000),
});

const MAX_VIEWS_PER_USER = 50;

export async function listSavedViews(userId: string): Promise<SavedView[]> {
  const own = await db().exceptionSavedView.findMany({ where: { userId }, orderBy: { name: 'asc' } });
  return [...BUILT_IN_VIEWS, ...own.map((v) => ({ id: v.id, name: v.name, query: v.query, builtIn: false }))];
}

/** Saves the current filter under a name; saving an existing name replaces it. */
export async function saveView(input: { userId: string; name: string; query: string }): Promise<SavedView> {
  const query = input.query.replace(/^\?/, '');
  if (BUILT_IN_VIEWS.some((v) => v.name.toLowerCase() === input.name.toLowerCase()))
    throw new AppError('CONFLICT', `"${input.name}" is a built-in view; choose another name.`);
  const count = await db().exceptionSavedView.count({ where: { userId: input.userId } });
  if (count >= MAX_VIEWS_PER_USER)
    throw new AppError('BAD_REQUEST', `You can keep at most ${MAX_VIEWS_PER_USER} views.`);
  const view = await db().exceptionSavedView.upsert({
    where: { userId_name: { userId: input.userId, name: input.name } },
    create: { userId: input.userId, name: input.name, query },
    update: { query },
  });
  return { id: view.id, name: view.name, query: view.query, builtIn: false };
}

export async function deleteView(input: { userId: string; id: string }): Promise<void> {
  const { count } = await db().exceptionSavedView.deleteMany({ where: { id: input.id, userId: input.userId } });
  if (count === 0) throw new AppError('NOT_FOUND', 'No saved view of yours has this id.');
}
