/**
 * Stripe emulator: the subset of Stripe's v1 API that Syncwright's billing connector uses, served
 * on 127.0.0.1 in the object shapes of the API version pinned by the installed `stripe` SDK, so
 * the real SDK talks to it as to Stripe:
 *   new Stripe(secretKey, { host: '127.0.0.1', port, protocol: 'http' })
 *
 * Emulated: customers, invoice items, invoices (+ lines, finalize, pay, void, mark_uncollectible),
 * events, webhook endpoints and signed, retried webhook deliveries; Bearer or basic auth with the
 * sandbox's random keys; form-encoded bracket parameters; idempotency keys; the test-mode rate
 * limiter (25 reads + 25 writes per second by default); `Stripe-Version` echoed (malformed → 400).
 * Business rules a seed can plant are in billing-rules.ts.
 *
 * State lives in PostgreSQL in its own schema (default `sandbox_stripe`), so objects, keys,
 * idempotency results and pending webhook deliveries survive a restart.
 *
 * Control API (not Stripe's; no auth; loopback only) — see control-api.ts:
 *   GET /__sandbox/health, GET|PUT /__sandbox/faults, GET|PUT /__sandbox/rate-limit,
 *   GET|PUT /__sandbox/clock, GET|PUT /__sandbox/lost-replies, POST /__sandbox/keys/roll
 * Faults (sandbox/core/faults.ts) render as Stripe would: '429' → 429 rate_limit, '5xx' → 500
 * api_error, 'reject' → 400 invalid_request_error on writes, 'timeout' → no answer at all.
 * Injected faults strike before the endpoint runs, so no idempotent result is saved for them. A
 * lost reply (lost-replies.ts) strikes after: the request is carried out, then the connection
 * drops. The sandbox clock (clock.ts) stamps objects and ages idempotency keys.
 */
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { FaultInjector } from '@/sandbox/core/faults';
import { ApiRouter } from './api-router';
import { handleApiRequest } from './api-pipeline';
import { SandboxClock } from './clock';
import { handleControl } from './control-api';
import { loadOrCreateCredentials, rollSecretKey, type StripeCredentials } from './credentials';
import { customerRoutes } from './customers-api';
import { eventRoutes } from './events-api';
import { IdempotencyStore } from './idempotency';
import { invoiceItemRoutes } from './invoice-items-api';
import { invoiceRoutes } from './invoices-api';
import { LostReplies } from './lost-replies';
import { RateLimiter } from './rate-limiter';
import { unsupportedRoutes } from './unsupported-api';
import { customerSearchRoutes } from './customer-search';
import { DEFAULT_STRIPE_SCHEMA, ensureStripeSchema, quoteSchema } from './stripe-schema';
import { WebhookDispatcher, type WebhookRetryPolicy } from './webhook-dispatcher';
import { webhookEndpointRoutes } from './webhook-endpoints-api';

export interface StripeEmulatorOptions {
  pool: pg.Pool;
  /** 0 or absent: a free port. */
  port?: number;
  schema?: string;
  faults?: FaultInjector;
  clock?: SandboxClock;
  /** Operations per second for reads and for writes; null switches the limiter off. */
  rateLimitPerSecond?: number | null;
  webhookRetry?: WebhookRetryPolicy;
}

export interface StripeEmulator {
  baseUrl: string;
  credentials: StripeCredentials;
  faults: FaultInjector;
  clock: SandboxClock;
  lostReplies: LostReplies;
  /** API requests received so far, by `METHOD /path` (ids in the path included): what a caller cost. */
  requestCounts: Map<string, number>;
  setRateLimit(perSecond: number | null): void;
  close(): Promise<void>;
}

const TEST_MODE_RATE_LIMIT = 25;
const MAX_BODY_BYTES = 1024 * 1024;
const PRUNE_EVERY_MS = 10 * 60 * 1000;

export async function startStripeEmulator(options: StripeEmulatorOptions): Promise<StripeEmulator> {
  const { pool } = options;
  const schema = options.schema ?? DEFAULT_STRIPE_SCHEMA;
  const s = quoteSchema(schema);
  await ensureStripeSchema(pool, schema);
  const credentials = await loadOrCreateCredentials(pool, schema);
  const clock = options.clock ?? new SandboxClock();
  const idempotency = new IdempotencyStore(pool, s, clock);
  await idempotency.releaseAbandoned();
  await idempotency.prune();

  const faults = options.faults ?? new FaultInjector();
  const lostReplies = new LostReplies();
  const limiter = new RateLimiter(
    options.rateLimitPerSecond === undefined ? TEST_MODE_RATE_LIMIT : options.rateLimitPerSecond,
  );
  const dispatcher = new WebhookDispatcher(pool, s, options.webhookRetry);
  const router = new ApiRouter([
    ...customerSearchRoutes,
    ...unsupportedRoutes,
    ...customerRoutes,
    ...invoiceItemRoutes,
    ...invoiceRoutes,
    ...eventRoutes,
    ...webhookEndpointRoutes,
  ]);
  const hanging = new Set<ServerResponse>();
  const active = new Set<Promise<void>>();
  const requestCounts = new Map<string, number>();
  const deps = { pool, s, credentials, faults, lostReplies, clock, limiter, idempotency, router, dispatcher, hanging };

  const server = http.createServer((req, res) => {
    const work = (async () => {
      const body = await readBody(req).catch(() => null);
      if (body === null) {
        res.writeHead(413, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'Request body too large.' } }));
        return;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.startsWith('/__sandbox/'))
        return handleControl(req, res, url.pathname, body, {
          faults,
          lostReplies,
          clock,
          limiter,
          rollSecretKey: () => rollSecretKey(pool, schema, credentials),
        });
      const counted = `${req.method} ${url.pathname}`;
      requestCounts.set(counted, (requestCounts.get(counted) ?? 0) + 1);
      await handleApiRequest(req, res, url, body, deps);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
    active.add(work);
    void work.finally(() => active.delete(work));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  dispatcher.start();
  const pruning = setInterval(() => void idempotency.prune().catch(() => undefined), PRUNE_EVERY_MS);
  pruning.unref();

  let closing: Promise<void> | null = null;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    credentials,
    faults,
    clock,
    lostReplies,
    requestCounts,
    setRateLimit: (perSecond) => limiter.set(perSecond),
    close() {
      closing ??= (async () => {
        clearInterval(pruning);
        await dispatcher.stop();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        await closed;
        await Promise.allSettled([...active]);
      })();
      return closing;
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
