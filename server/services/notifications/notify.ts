import type { Tx } from '@/server/db/client';
import type { TeamName } from '@/server/domain/routing';
import { enqueueTeamWebhook } from './team-webhooks';

export type NotificationKind = 'assigned' | 'overdue' | 'mentioned';

export interface NotificationInput {
  kind: NotificationKind;
  exceptionId: string | null;
  title: string;
  body: string;
  /** The team whose outgoing webhook also hears of it, if any. */
  team: TeamName | null;
}

/**
 * Notifies users in the caller's transaction: the in-app notifications commit with the change
 * that caused them, and the team's webhook is only queued (a job delivers it), so a slow or
 * failing receiver never holds up the action.
 */
export async function notifyUsers(tx: Tx, userIds: readonly string[], input: NotificationInput): Promise<void> {
  if (userIds.length === 0) return;
  await tx.notification.createMany({
    data: userIds.map((userId) => ({
      userId,
      kind: input.kind,
      exceptionId: input.exceptionId,
      title: input.title,
      body: input.body,
    })),
  });
  if (input.team) {
    await enqueueTeamWebhook(tx, {
      team: input.team,
      text: `${input.title}: ${input.body}`,
      exceptionId: input.exceptionId,
    });
  }
}
