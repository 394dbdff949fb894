/**
 * /v1/webhook_endpoints. The signing secret (`whsec_…`) is shown once, in the create response,
 * as Stripe does; deliveries are made by the webhook dispatcher.
 */
import { STRIPE_API_VERSION, isWellFormedApiVersion } from './api-version';
import { pathParam, type ApiContext, type ApiRoute } from './api-context';
import { Conditions, LIST_PARAMS, listObject, listPage, readListRequest } from './list-page';
import type { WireWebhookEndpoint } from './object-shapes';
import { applyMetadata, type ParamReader } from './param-reader';
import { parameterError, parameterMissing, resourceMissing } from './stripe-error';
import { randomBase62, randomId } from './stripe-ids';

const MAX_ENDPOINTS = 16;

export const webhookEndpointRoutes: ApiRoute[] = [
  { method: 'POST', pattern: '/v1/webhook_endpoints', handler: createEndpoint },
  { method: 'GET', pattern: '/v1/webhook_endpoints', handler: listEndpoints },
  { method: 'GET', pattern: '/v1/webhook_endpoints/:id', handler: retrieveEndpoint },
  { method: 'POST', pattern: '/v1/webhook_endpoints/:id', handler: updateEndpoint },
  { method: 'DELETE', pattern: '/v1/webhook_endpoints/:id', handler: deleteEndpoint },
];

async function createEndpoint(ctx: ApiContext) {
  const p = ctx.params.allow(['api_version', 'connect', 'description', 'enabled_events', 'expand', 'metadata', 'url']);
  p.expand();
  const url = readUrl(p);
  if (!url) throw parameterMissing('url');
  const events = readEnabledEvents(p);
  if (!events) throw parameterMissing('enabled_events');
  const apiVersion = p.string('api_version');
  if (apiVersion && !isWellFormedApiVersion(apiVersion)) {
    throw parameterError(`Invalid api_version: ${apiVersion}`, 'api_version');
  }
  p.bool('connect');
  const { s, db } = ctx.store;
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.webhook_endpoints`);
  if ((rows[0]?.n ?? 0) >= MAX_ENDPOINTS) {
    throw parameterError(`You have reached the maximum of ${MAX_ENDPOINTS} test webhook endpoints.`, 'url');
  }
  const secret = `whsec_${randomBase62(32)}`;
  const endpoint: WireWebhookEndpoint = {
    id: randomId('we'),
    object: 'webhook_endpoint',
    api_version: apiVersion ?? STRIPE_API_VERSION,
    application: null,
    created: ctx.now,
    description: p.string('description', { unsettable: true }) ?? null,
    enabled_events: events,
    livemode: false,
    metadata: applyMetadata({}, p.metadata()),
    status: 'enabled',
    url,
  };
  await db.query(`INSERT INTO ${s}.webhook_endpoints (id, created, secret, doc) VALUES ($1, $2, $3, $4)`, [
    endpoint.id,
    endpoint.created,
    secret,
    JSON.stringify(endpoint),
  ]);
  return { ...endpoint, secret };
}

async function retrieveEndpoint(ctx: ApiContext) {
  ctx.params.allow(['expand']).expand();
  return load(ctx, false);
}

async function updateEndpoint(ctx: ApiContext) {
  const p = ctx.params.allow(['description', 'disabled', 'enabled_events', 'expand', 'metadata', 'url']);
  p.expand();
  const endpoint = await load(ctx, true);
  const url = readUrl(p);
  if (url) endpoint.url = url;
  const events = readEnabledEvents(p);
  if (events) endpoint.enabled_events = events;
  const description = p.string('description', { unsettable: true });
  if (description !== undefined) endpoint.description = description;
  const disabled = p.bool('disabled');
  if (disabled !== undefined) endpoint.status = disabled ? 'disabled' : 'enabled';
  endpoint.metadata = applyMetadata(endpoint.metadata, p.metadata());
  await ctx.store.db.query(`UPDATE ${ctx.store.s}.webhook_endpoints SET doc = $2 WHERE id = $1`, [
    endpoint.id,
    JSON.stringify(endpoint),
  ]);
  return endpoint;
}

async function deleteEndpoint(ctx: ApiContext) {
  ctx.params.allow([]);
  const endpoint = await load(ctx, true);
  const { s, db } = ctx.store;
  await db.query(`DELETE FROM ${s}.webhook_endpoints WHERE id = $1`, [endpoint.id]);
  await db.query(
    `UPDATE ${s}.webhook_deliveries SET status = 'canceled' WHERE endpoint_id = $1 AND status = 'pending'`,
    [endpoint.id],
  );
  return { id: endpoint.id, object: 'webhook_endpoint' as const, deleted: true as const };
}

async function listEndpoints(ctx: ApiContext) {
  const p = ctx.params.allow(LIST_PARAMS);
  const request = readListRequest(p);
  p.expand();
  const { docs, hasMore } = await listPage<WireWebhookEndpoint>(
    ctx.store.db,
    `${ctx.store.s}.webhook_endpoints`,
    'webhook_endpoint',
    new Conditions(),
    request,
  );
  return listObject('/v1/webhook_endpoints', docs, hasMore);
}

async function load(ctx: ApiContext, lock: boolean): Promise<WireWebhookEndpoint> {
  const id = pathParam(ctx, 'id');
  const { rows } = await ctx.store.db.query<{ doc: WireWebhookEndpoint }>(
    `SELECT doc FROM ${ctx.store.s}.webhook_endpoints WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  const endpoint = rows[0]?.doc;
  if (!endpoint) throw resourceMissing('webhook endpoint', id, 'id', true);
  return endpoint;
}

function readUrl(p: ParamReader): string | undefined {
  const url = p.string('url', { maxLength: 5000 });
  if (url === undefined || url === null) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw parameterError(`Invalid URL: ${url}`, 'url', 'url_invalid');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw parameterError(`Invalid URL: ${url}. URLs must use the http or https scheme.`, 'url', 'url_invalid');
  }
  return url;
}

function readEnabledEvents(p: ParamReader): string[] | undefined {
  const events = p.stringArray('enabled_events');
  if (!events) return undefined;
  if (events.length === 0) throw parameterMissing('enabled_events');
  for (const [i, type] of events.entries()) {
    if (type !== '*' && !/^[a-z_]+(\.[a-z_]+)+$/.test(type)) {
      throw parameterError(`Invalid enabled_events[${i}]: ${type} is not a valid event type.`, `enabled_events[${i}]`);
    }
  }
  return events;
}
