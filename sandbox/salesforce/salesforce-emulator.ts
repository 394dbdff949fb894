import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { ZodError } from 'zod';
import { FaultInjector } from '@/sandbox/core/faults';
import { SalesforceApiError, unexpectedErrorMessage } from './salesforce-error';
import { ApiBudget } from './api-budget';
import { LISTED_VERSIONS, SALESFORCE_API_VERSION } from './api-version';
import { DEFAULT_SESSION_TIMEOUT_SECONDS, TokenStore, loadOrCreateIdentity } from './auth-store';
import { type OutputValue, stringifyExactJson } from '@/sandbox/core/exact-json';
import { handleRestApi } from './rest-api';
import type { ApiRequest, ApiResponse } from './rest-context';
import { DEFAULT_SCHEMA, ensureSalesforceSchema } from './salesforce-schema';

/**
 * Salesforce emulator: the REST API subset Syncwright's CRM connector uses, served over HTTP on
 * 127.0.0.1 so the real jsforce client talks to it exactly as to an org (only the instance URL
 * differs). State lives in PostgreSQL (schema `sandbox_salesforce` by default) and survives
 * restarts: records, client credentials, access tokens, the daily API count, query cursors.
 *
 * Emulated (API v62.0 only):
 *   POST /services/oauth2/token            client-credentials flow (form-encoded, or HTTP Basic)
 *   GET  /services/data/                   version list (no auth)
 *   GET  /services/data/v62.0/query?q=     SOQL subset; next pages at /query/{locator}; queryAll
 *   GET|POST|PATCH|DELETE /services/data/v62.0/sobjects/...
 *                                          describeGlobal, describe, record CRUD, upsert / get /
 *                                          delete by external id (300 when several match)
 *   POST|PATCH|DELETE /services/data/v62.0/composite/sobjects[/{type}[/{extIdField}]]
 *                                          sObject Collections incl. allOrNone and retrieve
 *   GET  /services/data/v62.0/limits       DailyApiRequests
 * Every REST call needs `Authorization: Bearer <token>` (else 401 INVALID_SESSION_ID), counts
 * against the daily budget (403 REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded." once
 * spent) and carries `Sforce-Limit-Info: api-usage=N/LIMIT`.
 *
 * Fault injection applies to REST calls only (not to the token endpoint or the control API),
 * after authentication and counting, and after the configured latency:
 *   '5xx'     → 500 [{errorCode: UNKNOWN_EXCEPTION, message: "An unexpected error occurred. …"}]
 *   '429'     → 503 [{errorCode: SERVER_UNAVAILABLE, message: "Server is busy"}] with Retry-After.
 *               Salesforce never answers 429: its documented 403 REQUEST_LIMIT_EXCEEDED is the
 *               daily allowance (emulated for real above, and not transient), while transient
 *               overload is the documented 503 "server is unavailable … overloaded".
 *   'timeout' → the request is carried out (a write lands, as it can on a real timeout) and no
 *               answer is ever sent; the socket stays open until the client gives up or close().
 *   'reject'  → writes fail FIELD_CUSTOM_VALIDATION_EXCEPTION (in collections, every record);
 *               reads are unaffected.
 *
 * Control API (loopback only, no auth, not part of the emulated API):
 *   GET  /__sandbox/health        {status, service, apiVersion}
 *   GET  /__sandbox/faults        current FaultSettings
 *   PUT  /__sandbox/faults        partial FaultSettings (JSON); invalid → 400 {error}
 *   POST /__sandbox/reset-limits  starts today's API count again → {used: 0, limit}
 *
 * Not emulated: other API versions (404), SOAP/Bulk/Streaming/Tooling APIs, the composite /
 * batch / tree resources, relationship subqueries, aggregates other than COUNT(), GROUP BY,
 * semi-joins, fiscal date literals, record types, sharing, triggers beyond the calculated
 * fields and validation rules in sobject-definitions.ts, cascade deletes, the recycle bin.
 */

export interface SalesforceEmulatorOptions {
  pool: pg.Pool;
  /** 0 or absent: a free port. */
  port?: number;
  schema?: string;
  faults?: FaultInjector;
  /** DailyApiRequests allowance; default 100,000. */
  dailyApiLimit?: number;
  /** Idle time after which an access token stops working; default two hours. */
  sessionTimeoutSeconds?: number;
  /** Receives unexpected errors (those answered as UNKNOWN_EXCEPTION); pino's logger fits. */
  logger?: { error: (details: object, message: string) => void };
}

export interface SalesforceEmulator {
  baseUrl: string;
  apiVersion: string;
  credentials: { clientId: string; clientSecret: string; tokenUrl: string };
  faults: FaultInjector;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;
const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export async function startSalesforceEmulator(options: SalesforceEmulatorOptions): Promise<SalesforceEmulator> {
  const { pool } = options;
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const faults = options.faults ?? new FaultInjector();
  await ensureSalesforceSchema(pool, schema);
  const identity = await loadOrCreateIdentity(pool, schema);
  const budget = new ApiBudget(pool, schema, options.dailyApiLimit ?? 100_000);
  const tokens = new TokenStore(
    pool,
    schema,
    identity,
    options.sessionTimeoutSeconds ?? DEFAULT_SESSION_TIMEOUT_SECONDS,
  );
  let baseUrl = '';

  const reportUnexpected = (error: unknown) => {
    options.logger?.error({ err: error }, 'salesforce sandbox request failed');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof SalesforceApiError) return send(res, errorResponse(error));
      reportUnexpected(error);
      send(res, { status: 500, body: [{ message: unexpectedErrorMessage(), errorCode: 'UNKNOWN_EXCEPTION' }] });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const rawBody = await readBody(req);

    if (path.startsWith('/__sandbox/')) return send(res, await control(req, method, path, rawBody));
    if (path === '/services/oauth2/token') return send(res, await token(req, method, rawBody));
    if (path === '/services/data' || path === '/services/data/') {
      return send(res, {
        status: 200,
        body: LISTED_VERSIONS.map((v) => ({ label: v.label, url: `/services/data/v${v.version}`, version: v.version })),
      });
    }
    const versioned = /^\/services\/data\/v(\d+\.\d+)(\/.*)?$/.exec(path);
    if (!versioned || versioned[1] !== SALESFORCE_API_VERSION) {
      return send(res, errorResponse(SalesforceApiError.of(404, 'NOT_FOUND', 'The requested resource does not exist')));
    }

    const authorization = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!authorization?.[1] || !(await tokens.verify(authorization[1]))) {
      return send(res, errorResponse(SalesforceApiError.of(401, 'INVALID_SESSION_ID', 'Session expired or invalid')));
    }
    const usage = await budget.consume();
    const limitHeader = { 'Sforce-Limit-Info': `api-usage=${usage.used}/${budget.limit}` };
    if (!usage.allowed) {
      return send(
        res,
        errorResponse(
          SalesforceApiError.of(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
          limitHeader,
        ),
      );
    }

    const fault = faults.decide();
    await faults.delay();
    if (fault === '5xx') {
      return send(res, {
        status: 500,
        body: [{ message: unexpectedErrorMessage(), errorCode: 'UNKNOWN_EXCEPTION' }],
        headers: limitHeader,
      });
    }
    if (fault === '429') {
      return send(res, {
        status: 503,
        body: [{ message: 'Server is busy', errorCode: 'SERVER_UNAVAILABLE' }],
        headers: { ...limitHeader, 'Retry-After': '1' },
      });
    }

    const request: ApiRequest = {
      method,
      segments: (versioned[2] ?? '').split('/').filter(Boolean).map(decodeSegment),
      searchParams: url.searchParams,
      headers: req.headers,
      rawBody,
    };
    const context = { pool, schema, userId: identity.userId, reject: fault === 'reject' && WRITE_METHODS.has(method) };
    let response: ApiResponse;
    try {
      response = await handleRestApi(context, request, budget);
    } catch (error) {
      if (error instanceof SalesforceApiError) {
        response = errorResponse(error);
      } else {
        reportUnexpected(error);
        response = { status: 500, body: [{ message: unexpectedErrorMessage(), errorCode: 'UNKNOWN_EXCEPTION' }] };
      }
    }
    if (fault === 'timeout') return; // carried out, never answered
    send(res, { ...response, headers: { ...response.headers, ...limitHeader } });
  }

  async function token(req: IncomingMessage, method: string, rawBody: string): Promise<ApiResponse> {
    if (method !== 'POST') {
      return { status: 400, body: { error: 'invalid_request', error_description: 'must use HTTP POST' } };
    }
    const form = new URLSearchParams(rawBody);
    if (form.get('grant_type') !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } };
    }
    let clientId = form.get('client_id') ?? '';
    let clientSecret = form.get('client_secret') ?? '';
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      clientId = decodeURIComponent(decoded.slice(0, colon));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1));
    }
    if (!tokens.checkClient(clientId, clientSecret)) {
      return { status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } };
    }
    return { status: 200, body: await tokens.issue(baseUrl) };
  }

  async function control(req: IncomingMessage, method: string, path: string, rawBody: string): Promise<ApiResponse> {
    if (!isLoopback(req.socket.remoteAddress))
      return { status: 403, body: { error: 'the control API answers loopback clients only' } };
    if (path === '/__sandbox/health' && method === 'GET') {
      await pool.query('SELECT 1');
      return { status: 200, body: { status: 'ok', service: 'salesforce', apiVersion: SALESFORCE_API_VERSION } };
    }
    if (path === '/__sandbox/faults' && method === 'GET') return { status: 200, body: faults.get() };
    if (path === '/__sandbox/faults' && method === 'PUT') {
      let update: unknown;
      try {
        update = JSON.parse(rawBody);
      } catch {
        return { status: 400, body: { error: 'the body must be a JSON object of fault settings' } };
      }
      try {
        return { status: 200, body: faults.set(update) };
      } catch (error) {
        if (error instanceof ZodError) {
          const detail = error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
          return { status: 400, body: { error: `invalid fault settings: ${detail}` } };
        }
        if (error instanceof RangeError) return { status: 400, body: { error: error.message } };
        throw error;
      }
    }
    if (path === '/__sandbox/reset-limits' && method === 'POST') {
      await budget.reset();
      return { status: 200, body: { used: 0, limit: budget.limit } };
    }
    return { status: 404, body: { error: `no control endpoint ${method} ${path}` } };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${address.port}`;

  return {
    baseUrl,
    apiVersion: SALESFORCE_API_VERSION,
    credentials: {
      clientId: identity.clientId,
      clientSecret: identity.clientSecret,
      tokenUrl: `${baseUrl}/services/oauth2/token`,
    },
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Held ('timeout') and keep-alive connections would otherwise keep close() waiting.
        server.closeAllConnections();
      }),
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function errorResponse(error: SalesforceApiError, headers: Record<string, string> = {}): ApiResponse {
  return {
    status: error.status,
    body: error.errors as unknown as OutputValue,
    headers: { ...error.headers, ...headers },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw SalesforceApiError.of(413, 'REQUEST_TOO_LARGE', 'The request body is too large.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, response: ApiResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  if (response.body === undefined || response.status === 204) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const payload = stringifyExactJson(response.body);
  res.writeHead(response.status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': String(Buffer.byteLength(payload)),
    ...headers,
  });
  res.end(payload);
}
