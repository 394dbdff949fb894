import type Stripe from 'stripe';
import { ConnectorError } from '../connector';
import type { EventPosition } from './event-cursor';
import type { StripeCall } from './stripe-call';

/**
 * Reads Stripe events oldest first after a position. `/v1/events` lists newest first; with
 * `ending_before=<event>` it returns the `limit` events just newer than that event, which is
 * exactly the next page of a tail (reversed here into oldest first), and `has_more` says whether
 * newer ones remain.
 *
 * Without an event to anchor to (a first read, or an event older than Stripe's 30-day
 * retention) the events from `created` on are walked newest to oldest and the oldest `limit` kept:
 * one request per 100 events, and only until the tail has an anchor again. That time-based
 * restart may hand back events of the anchor's own second again; consumers see each change at
 * least once, never none.
 */
export interface EventPage {
  /** Oldest first. */
  events: Stripe.Event[];
  /** Where the next read starts; the given position when nothing new arrived. */
  next: EventPosition | null;
  hasMore: boolean;
}

/** Stripe's page size limit for lists. */
export const MAX_PAGE = 100;

export function pageSize(limit: number): number {
  return Math.min(MAX_PAGE, Math.max(1, Math.floor(Number.isFinite(limit) ? limit : MAX_PAGE)));
}

export async function readEventsAfter(
  call: StripeCall,
  from: EventPosition | null,
  types: readonly string[],
  limit: number,
): Promise<EventPage> {
  const size = pageSize(limit);
  // `type` takes Stripe's wildcard (`invoice.*`); `types` takes a list of exact names.
  const filter: Stripe.EventListParams =
    types.length === 1 ? { type: types[0] } : types.length > 1 ? { types: [...types] } : {};
  if (from?.event) {
    const anchor = from.event;
    try {
      const page = await call((s) => s.events.list({ ...filter, ending_before: anchor, limit: size }));
      const events = [...page.data].reverse();
      return { events, next: positionAfter(events) ?? from, hasMore: page.has_more };
    } catch (error) {
      if (!isMissingAnchor(error)) throw error;
    }
  }
  return walkFrom(call, filter, from, size);
}

async function walkFrom(
  call: StripeCall,
  filter: Stripe.EventListParams,
  from: EventPosition | null,
  size: number,
): Promise<EventPage> {
  const base: Stripe.EventListParams = { ...filter, limit: MAX_PAGE, ...(from && { created: { gte: from.created } }) };
  let oldest: Stripe.Event[] = [];
  let seen = 0;
  let startingAfter: string | undefined;
  for (;;) {
    const after = startingAfter;
    const page = await call((s) => s.events.list({ ...base, ...(after && { starting_after: after }) }));
    seen += page.data.length;
    oldest = [...oldest, ...page.data].slice(-size);
    const last = page.data.at(-1);
    if (!page.has_more || !last) break;
    startingAfter = last.id;
  }
  const events = oldest.reverse();
  return { events, next: positionAfter(events) ?? from, hasMore: seen > size };
}

function positionAfter(events: Stripe.Event[]): EventPosition | null {
  const last = events.at(-1);
  return last ? { event: last.id, created: last.created } : null;
}

function isMissingAnchor(error: unknown): boolean {
  return (
    error instanceof ConnectorError &&
    error.classified.code === 'resource_missing' &&
    error.classified.field === 'ending_before'
  );
}
