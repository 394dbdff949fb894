/**
 * One emulated API request, in the order Stripe's edge handles it: authentication, API version,
 * routing, rate limit, (injected faults), parameters, idempotency, then the endpoint inside one
 * database transaction whose events are delivered after it commits.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import type { FaultInjector } from '@/sandbox/core/faults';
import type { ApiContext } from './api-context';
import type { ApiRouter, RouteMatch } from './api-router';
import { isWellFormedApiVersion, STRIPE_API_VERSION } from './api-version';
import type { SandboxClock } from './clock';
import { maskKey, type StripeCredentials } from './credentials';
import { recordEvent } from './event-log';
import { parseFormParams, type FormObject } from './form-params';
import { hashParams, keyScope, validateKey, type IdempotencyStore, type IdempotentRequest } from './idempotency';
import type { LostReplies } from './lost-replies';
import { ParamReader } from './param-reader';
import type { RateLimiter } from './rate-limiter';
import { apiError, invalidRequest, StripeApiError } from './stripe-error';
import { requestId as newRequestId } from './stripe-ids';
import { stripeJson } from './stripe-json';
import { StripeStore } from './stripe-store';
import type { WebhookDispatcher } from './webhook-dispatcher';

export interface PipelineDeps {
  pool: pg.Pool;
  /** Quoted schema name. */
  s: string;
  credentials: StripeCredentials;
  faults: FaultInjector;
  lostReplies: LostReplies;
  clock: SandboxClock;
  limiter: RateLimiter;
  idempotency: IdempotencyStore;
  router: ApiRouter;
  dispatcher: WebhookDispatcher;
  /** Requests a 'timeout' fault left unanswered, closed when the emulator stops. */
  hanging: Set<ServerResponse>;
}

const RATE_LIMIT_MESSAGE =
  'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.';

export async function handleApiRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: string,
  deps: PipelineDeps,
) {
  const requestId = newRequestId();
  const method = req.method ?? 'GET';
  const headers: Record<string, string> = { 'Request-Id': requestId, 'Stripe-Version': STRIPE_API_VERSION };
  let claimed: IdempotentRequest | null = null;
  // Once the request is carried out, its reply may be lost on the way back: the connection drops.
  let loseReply = false;
  const answer = (status: number, answerBody: unknown, answerHeaders: Record<string, string>) => {
    if (loseReply) res.destroy();
    else send(res, status, answerBody, answerHeaders);
  };
  try {
    const apiKey = authenticate(req.headers.authorization, deps.credentials);
    headers['Stripe-Version'] = requestedVersion(req.headers['stripe-version']);
    const idempotencyKey = single(req.headers['idempotency-key']);
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    const match = deps.router.match(method, url.pathname);
    if (!match) {
      throw invalidRequest(
        `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        { status: 404, saveable: false },
      );
    }
    const write = method !== 'GET';
    if (!deps.limiter.allow(write ? 'write' : 'read')) throw rateLimited();

    const fault = deps.faults.decide();
    if (fault === 'timeout') {
      // Accepted and never answered: the socket stays open until the client gives up.
      deps.hanging.add(res);
      res.on('close', () => deps.hanging.delete(res));
      return;
    }
    if (fault !== 'none') await deps.faults.delay();
    if (fault === '429') throw rateLimited();
    if (fault === '5xx') {
      throw apiError(
        "Sorry, something went wrong. We've already been notified of the problem, but if you need any help, you can reach us at support.stripe.com/contact.",
      );
    }
    if (fault === 'reject' && write) {
      throw invalidRequest('This request was rejected by the Stripe sandbox (injected validation rejection).', {
        saveable: false,
      });
    }

    loseReply = deps.lostReplies.take(method, url.pathname);
    const rawParams = readParams(req, method, url, body);
    if (method === 'POST' && idempotencyKey) {
      validateKey(idempotencyKey);
      const request: IdempotentRequest = {
        scope: keyScope(apiKey),
        key: idempotencyKey,
        method,
        path: url.pathname,
        paramsHash: hashParams(rawParams),
        requestId,
      };
      const outcome = await deps.idempotency.claim(request);
      if (outcome.kind === 'replay') {
        return answer(outcome.status, outcome.body, {
          ...headers,
          'Idempotent-Replayed': 'true',
          'Original-Request': outcome.originalRequestId,
        });
      }
      claimed = request;
    }
    // Latency stands for the time the endpoint works, so a key stays in flight meanwhile.
    if (fault === 'none') await deps.faults.delay();

    const result = await runEndpoint(
      match,
      rawParams,
      { requestId, idempotencyKey: idempotencyKey ?? null },
      claimed,
      deps,
    );
    answer(200, result, headers);
  } catch (caught) {
    const error = caught instanceof StripeApiError ? caught : unexpected(caught);
    const errorBody = error.toBody(requestId);
    if (claimed) {
      if (error.saveable)
        await deps.idempotency.complete(deps.pool, claimed, error.status, errorBody).catch(() => undefined);
      else await deps.idempotency.release(claimed).catch(() => undefined);
    }
    answer(error.status, errorBody, { ...headers, ...error.headers });
  }
}

async function runEndpoint(
  match: RouteMatch,
  rawParams: FormObject,
  request: { requestId: string; idempotencyKey: string | null },
  claimed: IdempotentRequest | null,
  deps: PipelineDeps,
): Promise<object> {
  const client = await deps.pool.connect();
  let emitted = 0;
  let committed = false;
  try {
    await client.query('BEGIN');
    const now = deps.clock.nowSeconds();
    const ctx: ApiContext = {
      store: new StripeStore(client, deps.s),
      params: new ParamReader(rawParams),
      rawParams,
      pathParams: match.params,
      now,
      requestId: request.requestId,
      idempotencyKey: request.idempotencyKey,
      emit: async (type, object, previousAttributes) => {
        await recordEvent(client, deps.s, { type, object, previousAttributes, created: now, ...request });
        emitted++;
      },
    };
    try {
      const result = await match.route.handler(ctx);
      if (claimed) await deps.idempotency.complete(client, claimed, 200, result);
      await client.query('COMMIT');
      committed = true;
      return result;
    } catch (error) {
      if (error instanceof StripeApiError && error.commit) {
        await client.query('COMMIT');
        committed = true;
      } else {
        await client.query('ROLLBACK');
      }
      throw error;
    }
  } finally {
    client.release();
    if (committed && emitted > 0) deps.dispatcher.kick();
  }
}

function readParams(req: IncomingMessage, method: string, url: URL, body: string): FormObject {
  if (method !== 'POST') return parseFormParams(url.search.slice(1));
  const contentType = single(req.headers['content-type'])?.split(';')[0]?.trim().toLowerCase();
  if (body !== '' && contentType && contentType !== 'application/x-www-form-urlencoded') {
    throw invalidRequest(
      `Invalid request: unsupported Content-Type ${contentType}. If error persists and you need assistance, please contact support@stripe.com.`,
      { saveable: false },
    );
  }
  // Stripe reads POST parameters from the body and the query string alike.
  const query = parseFormParams(url.search.slice(1));
  return { ...query, ...parseFormParams(body) };
}

function authenticate(header: string | undefined, credentials: StripeCredentials): string {
  const key = apiKeyFrom(header);
  if (!key) {
    throw authError(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  if (sameKey(key, credentials.secretKey)) return key;
  if (credentials.expiredSecretKeys?.some((expired) => sameKey(key, expired))) {
    throw authError(`Expired API Key provided: ${maskKey(key)}`, 'api_key_expired');
  }
  if (sameKey(key, credentials.publishableKey)) {
    throw authError(
      'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
      'secret_key_required',
    );
  }
  throw authError(`Invalid API Key provided: ${maskKey(key)}`);
}

/** `Authorization: Bearer <key>`, or HTTP basic with the key as user name, as Stripe accepts. */
function apiKeyFrom(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const user = decoded.split(':', 1)[0];
    return user || null;
  }
  return null;
}

function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function authError(message: string, code?: string): StripeApiError {
  return new StripeApiError(
    401,
    { type: 'invalid_request_error', message, code },
    { saveable: false, headers: { 'WWW-Authenticate': 'Basic realm="Stripe"' } },
  );
}

function requestedVersion(header: string | string[] | undefined): string {
  const version = single(header)?.trim();
  if (!version) return STRIPE_API_VERSION;
  if (!isWellFormedApiVersion(version)) {
    throw invalidRequest(
      `Invalid Stripe API version: ${version}. Versions are dates such as ${STRIPE_API_VERSION}; see https://stripe.com/docs/upgrades.`,
      { saveable: false },
    );
  }
  return version;
}

function rateLimited(): StripeApiError {
  return new StripeApiError(
    429,
    { type: 'invalid_request_error', code: 'rate_limit', message: RATE_LIMIT_MESSAGE },
    { saveable: false, headers: { 'Stripe-Rate-Limited-Reason': 'global-rate' } },
  );
}

function unexpected(error: unknown): StripeApiError {
  const detail = error instanceof Error ? error.message : String(error);
  return apiError(`An unexpected error occurred in the Stripe sandbox: ${detail}`);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const text = stripeJson(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, no-store',
  });
  res.end(text);
}
