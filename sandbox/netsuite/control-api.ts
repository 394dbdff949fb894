import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import { ZodError } from 'zod';
import { type FaultInjector, faultSettingsSchema } from '@/sandbox/core/faults';

/**
 * The emulator's own control API under `/__sandbox/` (no auth, loopback clients only; not part
 * of the emulated NetSuite API):
 * - `GET /__sandbox/health` → `{ status: 'ok', service: 'netsuite', accountId, inFlight, requests }`,
 *   `requests` counting the authenticated API requests so far by method and resource kind
 *   (e.g. `"PATCH record"`, `"PATCH batch"`, `"POST suiteql"`, `"GET async"`)
 *   (503 with `status: 'unavailable'` when the database does not answer)
 * - `GET /__sandbox/faults` → the current fault settings
 * - `PUT /__sandbox/faults` with a partial JSON object of fault settings → the merged settings,
 *   or 400 `{ error }` naming what is invalid
 */

export interface ControlContext {
  pool: pg.Pool;
  faults: FaultInjector;
  accountId: string;
  inFlight: () => number;
  requests: () => Record<string, number>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function describe(error: unknown): string {
  if (error instanceof ZodError) {
    return error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`).join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}

export async function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  body: string,
  context: ControlContext,
): Promise<void> {
  if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
    sendJson(res, 403, { error: 'the control API answers loopback clients only' });
    return;
  }
  if (path === '/__sandbox/health' && req.method === 'GET') {
    try {
      await context.pool.query('SELECT 1');
      sendJson(res, 200, {
        status: 'ok',
        service: 'netsuite',
        accountId: context.accountId,
        inFlight: context.inFlight(),
        requests: context.requests(),
      });
    } catch (error) {
      sendJson(res, 503, { status: 'unavailable', service: 'netsuite', error: describe(error) });
    }
    return;
  }
  if (path === '/__sandbox/faults' && req.method === 'GET') {
    sendJson(res, 200, context.faults.get());
    return;
  }
  if (path === '/__sandbox/faults' && req.method === 'PUT') {
    let update: unknown;
    try {
      update = JSON.parse(body);
    } catch {
      sendJson(res, 400, { error: 'the body must be a JSON object of fault settings' });
      return;
    }
    if (typeof update !== 'object' || update === null || Array.isArray(update)) {
      sendJson(res, 400, { error: 'the body must be a JSON object of fault settings' });
      return;
    }
    const unknown = Object.keys(update).filter((key) => !(key in faultSettingsSchema.shape));
    if (unknown.length > 0) {
      const known = Object.keys(faultSettingsSchema.shape).join(', ');
      sendJson(res, 400, { error: `unknown fault setting(s): ${unknown.join(', ')}; known settings are ${known}` });
      return;
    }
    try {
      // Merged here: FaultInjector.set's partial schema fills omitted keys with their defaults.
      sendJson(res, 200, context.faults.set({ ...context.faults.get(), ...update }));
    } catch (error) {
      sendJson(res, 400, { error: describe(error) });
    }
    return;
  }
  if (path === '/__sandbox/faults' || path === '/__sandbox/health') {
    sendJson(res, 405, { error: `${req.method} is not allowed on ${path}` });
    return;
  }
  sendJson(res, 404, { error: `no control endpoint at ${path}` });
}
