import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { ConnectorError } from '../connector';
import { classifyStripeError } from './classify-stripe-error';
import type { StripeCall } from './stripe-call';

/**
 * Signed webhooks. Verification needs no API call: it checks the `Stripe-Signature` HMAC over the
 * exact bytes received (parse the body only afterwards) and refuses a timestamp more than five
 * minutes away, Stripe's default tolerance against replays.
 */
export type WebhookEventType = Stripe.WebhookEndpointCreateParams.EnabledEvent;

export interface StripeWebhookEndpoint {
  id: string;
  url: string;
  enabledEvents: string[];
  /** `whsec_…`: Stripe shows it only in the answer that creates the endpoint. */
  secret: string;
}

/** Throws a ConnectorError: `auth` / `webhook_signature_invalid` when the signature does not verify,
 *  `config` when no secret is configured, `business` when a verified body is not an event. */
export function verifyStripeWebhook(rawBody: string | Buffer, signatureHeader: string, secret: string): Stripe.Event {
  if (!secret.trim()) {
    throw new ConnectorError({
      class: 'config',
      code: 'WEBHOOK_SECRET_MISSING',
      message: 'No webhook signing secret is configured.',
    });
  }
  try {
    return Stripe.webhooks.constructEvent(rawBody, signatureHeader, secret);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError)
      throw new ConnectorError(classifyStripeError(error));
    const message = error instanceof Error ? error.message : String(error);
    throw new ConnectorError({
      class: 'business',
      code: 'webhook_payload_invalid',
      message: `The webhook body is not a Stripe event: ${message}`,
    });
  }
}

/**
 * Registers an endpoint and returns its signing secret. The idempotency key defaults to a fresh
 * one: a key derived from the URL would, within Stripe's 24 hours, hand back the secret of an
 * endpoint that may since have been deleted.
 */
export async function createWebhookEndpoint(
  call: StripeCall,
  url: string,
  events: readonly WebhookEventType[],
  options: { idempotencyKey?: string; description?: string } = {},
): Promise<StripeWebhookEndpoint> {
  const idempotencyKey = options.idempotencyKey ?? `webhook-endpoint-${randomUUID()}`;
  const endpoint = await call((s) =>
    s.webhookEndpoints.create(
      { url, enabled_events: [...events], ...(options.description && { description: options.description }) },
      { idempotencyKey },
    ),
  );
  if (!endpoint.secret) {
    throw new ConnectorError({
      class: 'business',
      code: 'WEBHOOK_SECRET_MISSING',
      message: `Stripe created webhook endpoint ${endpoint.id} but showed no signing secret; delete it and create it again.`,
    });
  }
  return { id: endpoint.id, url: endpoint.url, enabledEvents: endpoint.enabled_events, secret: endpoint.secret };
}
