import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { env } from '@/env';
import { db, type Tx } from '@/server/db/client';
import type { TeamName } from '@/server/domain/routing';
import { AppError } from '@/server/errors';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import type { AuditContext } from '@/server/services/audit/audit-context';
import { credentialKeys } from '@/server/services/connections/connections';
import { decryptCredentials, encryptCredentials } from '@/server/services/connections/credentials-cipher';

export const TEAM_WEBHOOK_JOB_ID = 'notifications.team_webhook';
/** graphile-worker backs off exponentially between attempts (about 1 h in all over 8 attempts). */
export const TEAM_WEBHOOK_MAX_ATTEMPTS = 8;
export const SIGNATURE_HEADER = 'x-syncwright-signature';
export const TIMESTAMP_HEADER = 'x-syncwright-timestamp';
const DELIVERY_TIMEOUT_MS = 10_000;

export const teamWebhookPayload = z.object({
  team: z.enum(['finance', 'operations', 'integration']),
  text: z.string(),
  exceptionId: z.string().nullable(),
});
export type TeamWebhookPayload = z.infer<typeof teamWebhookPayload>;

// The secret is sealed like connection credentials, bound to the team's webhook and its URL.
const owner = (team: TeamName, url: string) => ({ connectionId: `team-webhook:${team}`, baseUrl: url });

/** Queues one message to the team's webhook, in the caller's transaction; nothing when it has none. */
export async function enqueueTeamWebhook(tx: Tx, payload: TeamWebhookPayload): Promise<void> {
  const hook = await tx.teamWebhook.findUnique({ where: { team: payload.team }, select: { enabled: true } });
  if (!hook?.enabled) return;
  await tx.$queryRaw`
    SELECT 1 FROM graphile_worker.add_job(
      ${TEAM_WEBHOOK_JOB_ID}::text,
      ${JSON.stringify(payload)}::json,
      max_attempts => ${TEAM_WEBHOOK_MAX_ATTEMPTS}::int
    )`;
}

/** `v1=` HMAC-SHA256 over `timestamp.body` with the shared secret, as the receiver recomputes it. */
export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Slack-compatible: `text` for any receiver, one section block with a link back to the console. */
export function webhookMessage(payload: TeamWebhookPayload): { text: string; blocks: unknown[] } {
  const base = env.NEXTAUTH_URL ?? `http://${env.HOST}:${env.PORT}`;
  const link = payload.exceptionId ? ` <${base}/exceptions/${payload.exceptionId}|Open in Syncwright>` : '';
  return {
    text: payload.text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${payload.text}${link}` } }],
  };
}

/** Sends one message; a failure throws so the job is retried. */
export async function deliverTeamWebhook(payload: TeamWebhookPayload, now = new Date()): Promise<void> {
  const hook = await db().teamWebhook.findUnique({ where: { team: payload.team } });
  if (!hook?.enabled) return; // switched off since it was queued
  const { secret } = decryptCredentials(credentialKeys(), hook.secret, owner(hook.team, hook.url));
  const body = JSON.stringify(webhookMessage(payload));
  const timestamp = Math.floor(now.getTime() / 1000);
  const response = await fetch(hook.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signWebhookBody(secret!, timestamp, body),
    },
    body,
    signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`The ${payload.team} webhook answered ${response.status}.`);
}

export const teamWebhookInput = z.object({
  team: z.enum(['finance', 'operations', 'integration']),
  url: z.url({ protocol: /^https?$/ }),
  // Left out, the saved secret is kept: it is never read back, so a form cannot show it.
  secret: z.string().min(16, 'The shared secret needs at least 16 characters.').max(200).optional(),
  enabled: z.boolean().default(true),
});

/**
 * An admin sets (or changes) a team's webhook; the secret is never read back. A new webhook, or
 * one whose address changes, needs the secret typed again: it is sealed to its address.
 */
export async function configureTeamWebhook(
  input: z.infer<typeof teamWebhookInput>,
  context: AuditContext,
): Promise<{ team: TeamName; url: string; enabled: boolean }> {
  const parsed = teamWebhookInput.safeParse(input);
  if (!parsed.success) throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => i.message).join('; '));
  const { team, url, secret, enabled } = parsed.data;
  return db().$transaction(async (tx) => {
    const existing = await tx.teamWebhook.findUnique({ where: { team } });
    const before = existing && { url: existing.url, enabled: existing.enabled };
    const sealed =
      secret !== undefined
        ? encryptCredentials(credentialKeys(), { secret }, owner(team, url))
        : existing?.url === url
          ? existing.secret
          : null;
    if (sealed === null) {
      throw new AppError(
        'BAD_REQUEST',
        existing
          ? 'Enter the shared secret again: a changed address needs it.'
          : 'Enter a shared secret for the new webhook.',
      );
    }
    const saved = await tx.teamWebhook.upsert({
      where: { team },
      create: { team, url, secret: sealed, enabled },
      update: { url, secret: sealed, enabled },
    });
    await appendAuditEvent(tx, {
      ...context,
      action: 'team_webhook.configured',
      target: { type: 'TeamWebhook', id: team },
      before,
      after: { url, enabled, secret: secret === undefined ? 'kept' : 'replaced' },
    });
    return { team: saved.team, url: saved.url, enabled: saved.enabled };
  });
}

export async function listTeamWebhooks(): Promise<{ team: TeamName; url: string; enabled: boolean }[]> {
  return db().teamWebhook.findMany({ select: { team: true, url: true, enabled: true }, orderBy: { team: 'asc' } });
}
