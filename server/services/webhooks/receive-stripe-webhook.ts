import type Stripe from 'stripe';
import { ConnectorError } from '@/server/connectors/connector';
import { verifyStripeWebhook } from '@/server/connectors/stripe/stripe-webhooks';
import { db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import { decryptStoredCredentials } from '@/server/services/connections/connections';
import { isRoutinePaused } from '@/server/services/runs/routine-paused';
import { requestRun } from '@/server/services/runs/request-run';

/** The event families Syncwright subscribes to; anything else is refused as unknown. */
const KNOWN_PREFIXES = ['invoice.', 'invoiceitem.', 'customer.'];
const WEBHOOK_ACTOR = { id: null, email: 'system:webhook' };

export interface WebhookResult {
  eventId: string;
  duplicate: boolean;
  runsRequested: number;
}

/**
 * A Stripe webhook: verified against the signing secret of a billing connection (over the raw
 * body), recorded once by event id, and — for invoice events — a run of the invoice-status
 * routine requested for the invoice's legal entity, in the same transaction. A request that is
 * unsigned, forged or of an unknown type is refused with a clear reason and audited.
 */
export async function receiveStripeWebhook(input: {
  payload: string;
  signature: string | null;
  ip: string | null;
}): Promise<WebhookResult> {
  const refuse = async (reason: string) => {
    await db().$transaction((tx) =>
      appendAuditEvent(tx, {
        actor: WEBHOOK_ACTOR,
        action: 'webhook.rejected',
        target: { type: 'Webhook', id: 'stripe' },
        after: { reason, bytes: input.payload.length },
        ip: input.ip,
      }),
    );
    return new AppError('BAD_REQUEST', reason);
  };
  if (!input.signature) throw await refuse('Missing Stripe-Signature header.');

  const connections = await db().connection.findMany({ where: { system: 'stripe', enabled: true } });
  let event: Stripe.Event | null = null;
  let connection: (typeof connections)[number] | null = null;
  for (const candidate of connections) {
    const secret = decryptStoredCredentials(candidate).webhookSecret;
    if (!secret) continue;
    try {
      event = verifyStripeWebhook(input.payload, input.signature, secret);
      connection = candidate;
      break;
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
    }
  }
  if (!event || !connection) throw await refuse('The signature does not match any billing connection.');
  if (!KNOWN_PREFIXES.some((prefix) => event.type.startsWith(prefix)))
    throw await refuse(`Unknown event type ${event.type}.`);

  const verified = event;
  const source = connection;
  return db().$transaction(async (tx) => {
    const inserted = await tx.webhookReceipt.createMany({
      data: [{ id: verified.id, system: 'stripe', type: verified.type, payload: JSON.parse(input.payload) as object }],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return { eventId: verified.id, duplicate: true, runsRequested: 0 };
    let runsRequested = 0;
    const object = verified.data.object as { metadata?: Record<string, string> | null };
    const legalEntityId = object.metadata?.legal_entity;
    // A paused routine catches up from its watermark when resumed; the receipt is kept either way.
    if (
      verified.type.startsWith('invoice.') &&
      legalEntityId &&
      source.legalEntityIds.includes(legalEntityId) &&
      !(await isRoutinePaused(tx, 'invoice_status'))
    ) {
      await requestRun(tx, { routine: 'invoice_status', connectionId: source.id, legalEntityId, trigger: 'webhook' });
      runsRequested = 1;
    }
    await appendAuditEvent(tx, {
      actor: WEBHOOK_ACTOR,
      action: 'webhook.received',
      target: { type: 'StripeEvent', id: verified.id },
      after: { type: verified.type, legalEntityId: legalEntityId ?? null, runsRequested },
      ip: input.ip,
    });
    return { eventId: verified.id, duplicate: false, runsRequested };
  });
}
