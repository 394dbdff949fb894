/**
 * The sandbox's own control endpoints under `/__sandbox/` — not part of Stripe's API, no auth,
 * loopback callers only:
 *   GET  /__sandbox/health       → { status: 'ok', service: 'stripe', apiVersion, rateLimitPerSecond }
 *   GET  /__sandbox/faults       → the fault settings
 *   PUT  /__sandbox/faults       ← partial settings (JSON); 400 with the reason when invalid
 *   GET  /__sandbox/rate-limit   → { perSecond }
 *   PUT  /__sandbox/rate-limit   ← { perSecond: number | null } (null switches the limiter off)
 *   GET  /__sandbox/clock        → { now, offsetSeconds }
 *   PUT  /__sandbox/clock        ← { offsetSeconds } from the machine's time, or { now: ISO 8601 }
 *   GET  /__sandbox/lost-replies → { lostReplies: [{ method, path, count }] }
 *   PUT  /__sandbox/lost-replies ← { method?: 'POST', path, count }: the next `count` requests to
 *                                  the path are carried out and their replies lost (0 clears)
 *   POST /__sandbox/keys/roll    → { secretKey }: a new secret key, as the dashboard's "Roll key";
 *                                  the old one is refused from then on (401 api_key_expired)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z, ZodError } from 'zod';
import type { FaultInjector } from '@/sandbox/core/faults';
import { STRIPE_API_VERSION } from './api-version';
import type { SandboxClock } from './clock';
import type { LostReplies } from './lost-replies';
import type { RateLimiter } from './rate-limiter';

const rateLimitSchema = z.object({ perSecond: z.number().int().positive().max(100_000).nullable() }).strict();

export interface ControlDeps {
  faults: FaultInjector;
  lostReplies: LostReplies;
  clock: SandboxClock;
  limiter: RateLimiter;
  rollSecretKey(): Promise<{ secretKey: string }>;
}

export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  body: string,
  deps: ControlDeps,
) {
  if (!isLoopback(req.socket.remoteAddress))
    return send(res, 403, { error: { message: 'The sandbox control API answers loopback callers only.' } });
  const route = `${req.method} ${path}`;
  try {
    switch (route) {
      case 'GET /__sandbox/health':
        return send(res, 200, {
          status: 'ok',
          service: 'stripe',
          apiVersion: STRIPE_API_VERSION,
          rateLimitPerSecond: deps.limiter.limit,
        });
      case 'GET /__sandbox/faults':
        return send(res, 200, deps.faults.get());
      case 'PUT /__sandbox/faults':
        return send(res, 200, deps.faults.set(parseJson(body)));
      case 'GET /__sandbox/rate-limit':
        return send(res, 200, { perSecond: deps.limiter.limit });
      case 'PUT /__sandbox/rate-limit': {
        const { perSecond } = rateLimitSchema.parse(parseJson(body));
        deps.limiter.set(perSecond);
        return send(res, 200, { perSecond: deps.limiter.limit });
      }
      case 'GET /__sandbox/clock':
        return send(res, 200, deps.clock.get());
      case 'PUT /__sandbox/clock':
        return send(res, 200, deps.clock.set(parseJson(body)));
      case 'GET /__sandbox/lost-replies':
        return send(res, 200, { lostReplies: deps.lostReplies.list() });
      case 'PUT /__sandbox/lost-replies':
        return send(res, 200, { lostReplies: deps.lostReplies.set(parseJson(body)) });
      case 'POST /__sandbox/keys/roll':
        return send(res, 200, await deps.rollSecretKey());
      default:
        return send(res, 404, { error: { message: `No sandbox control endpoint ${route}.` } });
    }
  } catch (error) {
    return send(res, 400, { error: { message: describe(error) } });
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body === '' ? '{}' : body);
  } catch {
    throw new Error('The request body must be JSON.');
  }
}

function describe(error: unknown): string {
  if (error instanceof ZodError) {
    return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
