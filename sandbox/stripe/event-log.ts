/**
 * Events: one per change, with a snapshot of the object (and, for updates, the previous values
 * of what changed), written in the transaction of the change itself together with one pending
 * delivery per enabled webhook endpoint that subscribes to the type.
 */
import { STRIPE_API_VERSION } from './api-version';
import type { WireEvent } from './object-shapes';
import { randomId } from './stripe-ids';
import type { Queryable } from './stripe-schema';

export interface EventInput {
  type: string;
  object: object;
  previousAttributes?: Record<string, unknown>;
  created: number;
  requestId: string | null;
  idempotencyKey: string | null;
}

export async function recordEvent(db: Queryable, s: string, input: EventInput): Promise<WireEvent> {
  const event: WireEvent = {
    id: randomId('evt'),
    object: 'event',
    api_version: STRIPE_API_VERSION,
    created: input.created,
    data: input.previousAttributes
      ? { object: input.object, previous_attributes: input.previousAttributes }
      : { object: input.object },
    livemode: false,
    pending_webhooks: 0,
    request: { id: input.requestId, idempotency_key: input.idempotencyKey },
    type: input.type,
  };
  await db.query(`INSERT INTO ${s}.events (id, created, type, doc) VALUES ($1, $2, $3, $4)`, [
    event.id,
    event.created,
    event.type,
    JSON.stringify(event),
  ]);
  await db.query(
    `INSERT INTO ${s}.webhook_deliveries (event_id, endpoint_id)
     SELECT $1, id FROM ${s}.webhook_endpoints
      WHERE doc->>'status' = 'enabled'
        AND (doc->'enabled_events' ? $2 OR doc->'enabled_events' ? '*')`,
    [event.id, event.type],
  );
  return event;
}

/** Stripe's `previous_attributes`: the former values of the top-level fields that changed. */
export function previousAttributes(before: object, after: object): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  const old = before as Record<string, unknown>;
  const next = after as Record<string, unknown>;
  for (const key of Object.keys(next)) {
    if (JSON.stringify(old[key]) !== JSON.stringify(next[key])) previous[key] = old[key] ?? null;
  }
  return previous;
}

/** The SQL that renders an event with its live count of undelivered webhooks. */
export function eventWithPendingWebhooks(s: string): string {
  return `jsonb_set(doc, '{pending_webhooks}', to_jsonb((
    SELECT count(*) FROM ${s}.webhook_deliveries d WHERE d.event_id = events.id AND d.status = 'pending')))`;
}
