import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { FaultInjector } from '@/sandbox/core/faults';
import { loadOrCreateAccount, type NetSuiteCredentials } from './account';
import { ConditionValueError } from './conditions';
import { handleControlRequest } from './control-api';
import {
  concurrencyLimitExceeded,
  invalidSearchQuery,
  NetSuiteApiError,
  type ProblemBody,
  unexpectedError,
} from './netsuite-error';
import { type JsonValue, isJsonObject, parseExactJson, stringifyExactJson } from '@/sandbox/core/exact-json';
import { ASYNC_PREFIX, AsyncJobs, MAX_BATCH_RECORDS } from './async-jobs';
import { OAuthVerifier } from './oauth-verifier';
import { collectionPage, DEFAULT_MAX_RESULTS, parsePageRequest } from './paging';
import { restFilterColumns } from './record-columns';
import { parseRecordBody } from './record-input';
import { parseRecordQuery } from './record-query-filter';
import { recordHref, type RecordKey, RecordStore } from './record-store';
import { recordTypeDefinition, type RecordTypeDefinition } from './record-types';
import { checkSchemaName, DEFAULT_NETSUITE_SCHEMA, ensureNetSuiteSchema } from './netsuite-schema';
import { planSuiteql, runSuiteql } from './suiteql';

/**
 * NetSuite emulator: the REST record service (`/services/rest/record/v1/{type}[/{id|eid:X}]`)
 * and SuiteQL (`POST /services/rest/query/v1/suiteql`) of a sandbox account, behind verified
 * OAuth 1.0a token-based authentication (HMAC-SHA256, realm = account id), with NetSuite's
 * account-wide concurrency limit and switchable faults. State lives in PostgreSQL (schema
 * `sandbox_netsuite` unless told otherwise) and survives restarts, credentials included.
 *
 * Control API (not NetSuite's; no auth; loopback only):
 * - `GET /__sandbox/health` — liveness and database check
 * - `GET /__sandbox/faults`, `PUT /__sandbox/faults` — read / partially update the fault settings
 *   (`latencyMs`, `rate429`, `rate5xx`, `rateTimeout`, `rateReject`); bad input → 400 `{ error }`
 *
 * Batch operations: PATCH on a record type's collection with `Prefer: respond-async` and
 * `Content-Type: application/vnd.oracle.resource+json; type=collection`, body `{ items: [{ id, …fields }] }`
 * (at most 100), updates each record as its own PATCH would, asynchronously (see `async-jobs.ts`).
 *
 * Faults, drawn per API request after authentication: '429' and the concurrency limit answer
 * 429 CONCURRENCY_LIMIT_EXCEEDED; '5xx' answers 500 UNEXPECTED_ERROR; 'timeout' accepts the
 * request and never answers; 'reject' answers writes with 400 USER_ERROR (reads are unaffected).
 * Latency is spent while the request holds its concurrency slot, as a slow NetSuite request does.
 */

export interface NetSuiteEmulatorOptions {
  pool: pg.Pool;
  /** 0 or absent: any free port. */
  port?: number;
  schema?: string;
  faults?: FaultInjector;
  /** Requests the account may have in flight at once (default 5, a sandbox account's limit). */
  concurrencyLimit?: number;
  /** Rows a collection or query can be paged through (default 100,000, as without SuiteAnalytics Connect). */
  maxResults?: number;
  /** Receives unexpected errors (answered as 500); default: standard error. */
  onError?: (error: unknown) => void;
}

export interface NetSuiteEmulator {
  /** `http://127.0.0.1:PORT`, standing in for `https://ACCOUNT.suitetalk.api.netsuite.com`. */
  baseUrl: string;
  accountId: string;
  credentials: NetSuiteCredentials;
  faults: FaultInjector;
  close(): Promise<void>;
}

const RECORD_PREFIX = '/services/rest/record/v1/';
const SUITEQL_PATH = '/services/rest/query/v1/suiteql';
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const CONTENT_TYPES = {
  singular: 'application/vnd.oracle.resource+json; type=singular; charset=utf-8',
  collection: 'application/vnd.oracle.resource+json; type=collection; charset=utf-8',
  error: 'application/vnd.oracle.resource+json; type=error; charset=utf-8',
};

type Route =
  | { kind: 'collection'; definition: RecordTypeDefinition }
  | { kind: 'record'; definition: RecordTypeDefinition; key: RecordKey }
  | { kind: 'suiteql' };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new NetSuiteApiError(413, 'INVALID_CONTENT', 'The request body is too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string | null, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const all: Record<string, string | number> = { ...headers };
  if (body !== null) all['Content-Length'] = Buffer.byteLength(body);
  res.writeHead(status, all);
  res.end(body ?? undefined);
}

function sendProblem(res: ServerResponse, error: NetSuiteApiError): void {
  const body: ProblemBody = error.body();
  send(res, error.status, JSON.stringify(body), { 'Content-Type': CONTENT_TYPES.error, ...error.headers });
}

function methodNotAllowed(method: string): NetSuiteApiError {
  return new NetSuiteApiError(405, 'METHOD_NOT_ALLOWED', `The HTTP method ${method} is not allowed for this resource.`);
}

function decodeSegment(segment: string, path: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new NetSuiteApiError(400, 'INVALID_REQUEST', `The URL path ${path} is not correctly encoded.`, {
      'o:errorUrl': path,
    });
  }
}

function parseRoute(path: string): Route {
  if (path === SUITEQL_PATH || path === `${SUITEQL_PATH}/`) return { kind: 'suiteql' };
  if (!path.startsWith(RECORD_PREFIX)) {
    throw new NetSuiteApiError(404, 'INVALID_REQUEST', `The requested resource ${path} does not exist.`, {
      'o:errorUrl': path,
    });
  }
  const segments = path.slice(RECORD_PREFIX.length).replace(/\/$/, '').split('/');
  const [rawType, rawKey, ...rest] = segments;
  const definition = recordTypeDefinition(decodeSegment(rawType ?? '', path));
  if (!definition) {
    throw new NetSuiteApiError(404, 'INVALID_RCRD_TYPE', `Record type '${rawType ?? ''}' does not exist.`, {
      'o:errorUrl': path,
    });
  }
  if (rawKey === undefined) return { kind: 'collection', definition };
  if (rest.length > 0) {
    throw new NetSuiteApiError(404, 'INVALID_REQUEST', `The requested resource ${path} does not exist.`, {
      'o:errorUrl': path,
    });
  }
  const key = decodeSegment(rawKey, path);
  if (key.startsWith('eid:') && key.length > 4)
    return { kind: 'record', definition, key: { externalId: key.slice(4) } };
  if (!/^\d+$/.test(key)) {
    throw new NetSuiteApiError(
      400,
      'INVALID_ID',
      `The record instance ID '${key}' is not valid. Provide a valid record instance ID.`,
      {
        'o:errorUrl': path,
      },
    );
  }
  return { kind: 'record', definition, key: { id: key.replace(/^0+(?=\d)/, '') } };
}

function parseJsonBody(body: string): JsonValue {
  try {
    return parseExactJson(body);
  } catch (error) {
    throw new NetSuiteApiError(
      400,
      'INVALID_CONTENT',
      `Invalid content in the request body: ${error instanceof Error ? error.message : 'not JSON'}.`,
    );
  }
}

export async function startNetSuiteEmulator(options: NetSuiteEmulatorOptions): Promise<NetSuiteEmulator> {
  const { pool } = options;
  const schema = checkSchemaName(options.schema ?? DEFAULT_NETSUITE_SCHEMA);
  const faults = options.faults ?? new FaultInjector();
  const concurrencyLimit = options.concurrencyLimit ?? 5;
  const maxResults = options.maxResults ?? DEFAULT_MAX_RESULTS;
  const onError = options.onError ?? ((error: unknown) => console.error('netsuite emulator:', error));

  await ensureNetSuiteSchema(pool, schema);
  const account = await loadOrCreateAccount(pool, schema);
  const verifier = new OAuthVerifier(pool, schema, account);
  let baseUrl = '';
  const store = new RecordStore(pool, schema, () => baseUrl);
  let inFlight = 0;
  const requests = new Map<string, number>();
  const jobs = new AsyncJobs(() => baseUrl, onError);

  /** A batch update: each item a record's internal id and the fields to set, carried out as a job. */
  const startBatchUpdate = (
    res: ServerResponse,
    req: IncomingMessage,
    definition: RecordTypeDefinition,
    body: string,
  ) => {
    const prefer = String(req.headers.prefer ?? '');
    if (!prefer.split(/[,;]/).some((p) => p.trim().toLowerCase() === 'respond-async')) {
      throw new NetSuiteApiError(
        400,
        'INVALID_HEADER',
        "Invalid or missing 'Prefer' header. Batch operations require the header 'Prefer: respond-async'.",
        { 'o:errorHeader': 'Prefer' },
      );
    }
    const json = parseJsonBody(body);
    const items = isJsonObject(json) ? json.items : undefined;
    if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH_RECORDS) {
      throw new NetSuiteApiError(
        400,
        'INVALID_CONTENT',
        `A batch request body must be a JSON object with 1 to ${MAX_BATCH_RECORDS} records in "items".`,
      );
    }
    const key = req.headers['x-netsuite-idempotency-key'];
    const location = jobs.start(items, typeof key === 'string' ? key : undefined, async (item) => {
      const { id, ...fields } = isJsonObject(item) ? item : {};
      if (typeof id !== 'string' || !/^\d+$/.test(id))
        throw new NetSuiteApiError(400, 'INVALID_ID', 'Each record of a batch update needs its internal id in "id".');
      await store.update(definition, { id }, parseRecordBody(definition, fields));
    });
    send(res, 202, null, { Location: `${baseUrl}${location}`, 'Preference-Applied': 'respond-async' });
  };

  const handleRecordCollection = async (
    res: ServerResponse,
    req: IncomingMessage,
    method: string,
    definition: RecordTypeDefinition,
    query: URLSearchParams,
    body: string,
  ) => {
    if (method === 'PATCH' && isBatch(req)) {
      startBatchUpdate(res, req, definition, body);
      return;
    }
    if (method === 'POST') {
      const id = await store.create(definition, parseRecordBody(definition, parseJsonBody(body)));
      send(res, 204, null, { Location: recordHref(baseUrl, definition.type, id) });
      return;
    }
    if (method !== 'GET') throw methodNotAllowed(method);
    const page = parsePageRequest(query, maxResults);
    const q = query.get('q');
    let listed: { ids: string[]; total: number };
    try {
      const filter = q ? parseRecordQuery(q, restFilterColumns(definition)) : undefined;
      listed = await store.list(definition, page.limit, page.offset, filter);
    } catch (error) {
      if (error instanceof ConditionValueError) {
        throw new NetSuiteApiError(
          400,
          'INVALID_PARAMETER',
          `Invalid search query. Provide a valid search query. ${error.message}.`,
          {
            'o:errorQueryParam': 'q',
          },
        );
      }
      throw error;
    }
    const items = listed.ids.map((id) => ({
      links: [{ rel: 'self', href: recordHref(baseUrl, definition.type, id) }],
      id,
    }));
    const href = (limit: number, offset: number) =>
      `${baseUrl}${RECORD_PREFIX}${definition.type}?limit=${limit}&offset=${offset}${q ? `&q=${encodeURIComponent(q)}` : ''}`;
    send(res, 200, JSON.stringify(collectionPage(items, page, listed.total, href, maxResults)), {
      'Content-Type': CONTENT_TYPES.collection,
    });
  };

  const handleRecord = async (
    res: ServerResponse,
    method: string,
    definition: RecordTypeDefinition,
    key: RecordKey,
    query: URLSearchParams,
    body: string,
  ) => {
    switch (method) {
      case 'GET': {
        const fields = query.get('fields');
        let only: Set<string> | undefined;
        if (fields) {
          only = new Set(
            fields
              .split(',')
              .map((f) => f.trim().toLowerCase())
              .filter(Boolean),
          );
          const known = new Set(
            [
              'externalid',
              definition.createdField,
              definition.modifiedField,
              ...definition.fields.map((f) => f.name),
            ].map((n) => n.toLowerCase()),
          );
          const unknown = [...only].filter((f) => !known.has(f));
          if (unknown.length > 0) {
            throw new NetSuiteApiError(
              400,
              'INVALID_PARAMETER',
              `Invalid field(s) in the 'fields' query parameter: ${unknown.join(', ')}.`,
              {
                'o:errorQueryParam': 'fields',
              },
            );
          }
        }
        const record = await store.get(definition, key, only);
        send(res, 200, stringifyExactJson(record), { 'Content-Type': CONTENT_TYPES.singular });
        return;
      }
      case 'PATCH':
        await store.update(definition, key, parseRecordBody(definition, parseJsonBody(body)));
        send(res, 204, null);
        return;
      case 'PUT': {
        if (!('externalId' in key)) {
          throw new NetSuiteApiError(
            405,
            'METHOD_NOT_ALLOWED',
            'PUT (upsert) requires an external ID in the URL: /{type}/eid:{externalId}.',
          );
        }
        const result = await store.upsert(definition, key.externalId, parseRecordBody(definition, parseJsonBody(body)));
        send(res, 204, null, result.created ? { Location: recordHref(baseUrl, definition.type, result.id) } : {});
        return;
      }
      case 'DELETE':
        await store.delete(definition, key);
        send(res, 204, null);
        return;
      default:
        throw methodNotAllowed(method);
    }
  };

  const handleSuiteql = async (res: ServerResponse, req: IncomingMessage, query: URLSearchParams, body: string) => {
    if (req.method !== 'POST') throw methodNotAllowed(req.method ?? '');
    const prefer = String(req.headers.prefer ?? '');
    if (!prefer.split(/[,;]/).some((p) => p.trim().toLowerCase() === 'transient')) {
      throw new NetSuiteApiError(
        400,
        'INVALID_HEADER',
        "Invalid or missing 'Prefer' header. SuiteQL queries require the header 'Prefer: transient'.",
        { 'o:errorHeader': 'Prefer' },
      );
    }
    const page = parsePageRequest(query, maxResults);
    const json = parseJsonBody(body);
    const q = isJsonObject(json) ? json.q : undefined;
    if (typeof q !== 'string')
      throw invalidSearchQuery('The request body must be a JSON object with the query in "q".');
    const plan = planSuiteql(q);
    const rows = await runSuiteql(pool, schema, plan, page.limit, page.offset);
    const href = (limit: number, offset: number) => `${baseUrl}${SUITEQL_PATH}?limit=${limit}&offset=${offset}`;
    send(res, 200, JSON.stringify(collectionPage(rows.items, page, rows.total, href, maxResults)), {
      'Content-Type': CONTENT_TYPES.collection,
    });
  };

  const held = new Set<ServerResponse>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const path = queryAt < 0 ? target : target.slice(0, queryAt);
    const query = new URLSearchParams(queryAt < 0 ? '' : target.slice(queryAt + 1));
    const method = (req.method ?? 'GET').toUpperCase();
    try {
      const body = await readBody(req);
      if (path.startsWith('/__sandbox/')) {
        await handleControlRequest(req, res, path, body, {
          pool,
          faults,
          accountId: account.accountId,
          inFlight: () => inFlight,
          requests: () => Object.fromEntries(requests),
        });
        return;
      }
      await verifier.verify({ method, host: req.headers.host ?? '', target, authorization: req.headers.authorization });
      const kind = path.startsWith(ASYNC_PREFIX)
        ? 'async'
        : path.startsWith(SUITEQL_PATH)
          ? 'suiteql'
          : isBatch(req)
            ? 'batch'
            : 'record';
      requests.set(`${method} ${kind}`, (requests.get(`${method} ${kind}`) ?? 0) + 1);
      if (inFlight >= concurrencyLimit) throw concurrencyLimitExceeded();
      inFlight++;
      let released = false;
      const release = () => {
        if (!released) {
          released = true;
          inFlight--;
        }
      };
      try {
        await faults.delay();
        const fault = faults.decide();
        if (fault === 'timeout') {
          // Accepted and never answered; the slot is given back so a hung call does not block the account.
          release();
          held.add(res);
          res.on('close', () => held.delete(res));
          return;
        }
        if (fault === '429') throw concurrencyLimitExceeded();
        if (fault === '5xx') throw unexpectedError();
        if (path.startsWith(ASYNC_PREFIX)) {
          if (method !== 'GET') throw methodNotAllowed(method);
          const answer = jobs.read(path);
          if (answer.status === 'problem') throw answer.error;
          send(res, answer.status, answer.body === null ? null : JSON.stringify(answer.body), {
            'Content-Type': CONTENT_TYPES.singular,
          });
          return;
        }
        const route = parseRoute(path);
        if (fault === 'reject' && method !== 'GET' && route.kind !== 'suiteql') {
          throw new NetSuiteApiError(
            400,
            'USER_ERROR',
            'Error while accessing a resource. This record was rejected by a validation rule on the account.',
          );
        }
        if (route.kind === 'suiteql') await handleSuiteql(res, req, query, body);
        else if (route.kind === 'collection')
          await handleRecordCollection(res, req, method, route.definition, query, body);
        else await handleRecord(res, method, route.definition, route.key, query, body);
      } finally {
        release();
      }
    } catch (error) {
      if (error instanceof NetSuiteApiError) {
        sendProblem(res, error);
      } else {
        onError(error);
        sendProblem(res, unexpectedError());
      }
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    accountId: account.accountId,
    credentials: account.credentials,
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of held) res.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A batch operation: a request on a record type's collection sent as a collection of records. */
function isBatch(req: IncomingMessage): boolean {
  return /type=collection/i.test(String(req.headers['content-type'] ?? ''));
}
