/**
 * /v1/events: every recorded change, newest first, with `pending_webhooks` counted live from
 * the deliveries still outstanding. `type` accepts Stripe's `*` wildcard (`invoice.*`).
 */
import { pathParam, type ApiContext, type ApiRoute } from './api-context';
import { eventWithPendingWebhooks } from './event-log';
import { addRangeFilter, Conditions, LIST_PARAMS, listObject, listPage, readListRequest } from './list-page';
import type { WireEvent } from './object-shapes';
import { parameterError, resourceMissing } from './stripe-error';

export const eventRoutes: ApiRoute[] = [
  { method: 'GET', pattern: '/v1/events', handler: listEvents },
  { method: 'GET', pattern: '/v1/events/:id', handler: retrieveEvent },
];

async function retrieveEvent(ctx: ApiContext) {
  ctx.params.allow(['expand']).expand();
  const id = pathParam(ctx, 'id');
  const { s, db } = ctx.store;
  const { rows } = await db.query<{ doc: WireEvent }>(
    `SELECT ${eventWithPendingWebhooks(s)} AS doc FROM ${s}.events WHERE id = $1`,
    [id],
  );
  const event = rows[0]?.doc;
  if (!event) throw resourceMissing('event', id, 'id', true);
  return event;
}

async function listEvents(ctx: ApiContext) {
  const p = ctx.params.allow([...LIST_PARAMS, 'created', 'delivery_success', 'type', 'types']);
  const request = readListRequest(p);
  p.expand();
  const where = new Conditions();
  const type = p.string('type');
  const types = p.stringArray('types');
  if (type && types) {
    throw parameterError('You may only specify one of these parameters: type, types.', 'types', 'parameters_exclusive');
  }
  const patterns = type ? [type] : (types ?? []);
  if (patterns.length > 0) {
    const likes = patterns.map((t) => `type LIKE ${where.bind(t.replace(/[%_\\]/g, '\\$&').replace(/\*/g, '%'))}`);
    where.add(`(${likes.join(' OR ')})`);
  }
  const deliverySuccess = p.bool('delivery_success');
  if (deliverySuccess !== undefined) {
    const failed = `EXISTS (SELECT 1 FROM ${ctx.store.s}.webhook_deliveries d WHERE d.event_id = events.id AND d.status <> 'delivered')`;
    where.add(deliverySuccess ? `NOT ${failed}` : failed);
  }
  addRangeFilter(p, 'created', 'created', where);
  const { docs, hasMore } = await listPage<WireEvent>(
    ctx.store.db,
    `${ctx.store.s}.events`,
    'event',
    where,
    request,
    eventWithPendingWebhooks(ctx.store.s),
  );
  return listObject('/v1/events', docs, hasMore);
}
