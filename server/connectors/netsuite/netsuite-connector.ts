import {
  type ClassifiedError,
  type Connector,
  ConnectorError,
  type PulledRecord,
  type PullFilter,
  type PullOptions,
  type PullResult,
  type UpsertInput,
  type UpsertResult,
} from '@/server/connectors/connector';
import { RequestLimiter, type RequestLimits } from '@/server/connectors/request-limiter';
import { SourceClock } from '@/server/connectors/source-clock';
import { checkTimeZone, wallClockAt, wallClockToIso } from './account-time';
import { classifyNetSuiteError, invalidResponseError } from './classify-netsuite-error';
import { parseJsonKeepingNumbers, stringifyRecordBody, UnserializableValueError } from './exact-json';
import { isRecordTypeName, PULLABLE_OBJECT_TYPES, pullableType } from './object-types';
import { createRequestSigner, type NetSuiteCredentials } from './oauth-signer';
import {
  CHANGED_AT_COLUMN,
  cursorAtSecond,
  decodePullCursor,
  encodePullCursor,
  incrementalQuery,
  rowsByIdQuery,
  type PullCursor,
} from './pull-query';
import { batchUpdate, MAX_BATCH_RECORDS } from './batch-update';
import { NetSuiteRestClient } from './netsuite-rest-client';
import { MAX_SUITEQL_PAGE_SIZE, runSuiteqlPage, type SuiteqlPage, type SuiteqlPageOptions } from './suiteql-page';

/**
 * The NetSuite connector: incremental reads through SuiteQL, reads and external-id upserts
 * through the REST record service, OAuth 1.0a token-based authentication on every call, and the
 * account's concurrency limit kept on our side so NetSuite never has to refuse us.
 */

export type { NetSuiteCredentials } from './oauth-signer';
export type { SuiteqlPage, SuiteqlPageOptions } from './suiteql-page';

export interface NetSuiteConnectorOptions {
  /** `https://<account>.suitetalk.api.netsuite.com` (or the sandbox emulator's URL). */
  baseUrl: string;
  /** The account id, e.g. `1234567` or `1234567_SB1`; the OAuth realm. */
  accountId: string;
  credentials: NetSuiteCredentials;
  /** Default: 5 in flight (a sandbox / shared-tier account's concurrency limit), no rate cap. */
  limits?: RequestLimits;
  /** Per request, body included. Default 30 s. */
  timeoutMs?: number;
  /** The time zone SuiteQL prints datetimes in (the integration user's preference). Default UTC. */
  timeZone?: string;
}

export interface NetSuiteConnector extends Connector {
  suiteql(query: string, options?: SuiteqlPageOptions): Promise<SuiteqlPage>;
}

export const NETSUITE_DEFAULT_LIMITS: RequestLimits = { maxConcurrent: 5, perSecond: null };
export const NETSUITE_DEFAULT_TIMEOUT_MS = 30_000;

const RECORD_PATH = '/services/rest/record/v1';

function configError(code: string, message: string): ConnectorError {
  return new ConnectorError({ class: 'config', code, message });
}

function invalidResponse(message: string): ConnectorError {
  return new ConnectorError(invalidResponseError(message));
}

function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw configError('BAD_BASE_URL', `The NetSuite base URL '${baseUrl}' is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError('BAD_BASE_URL', `The NetSuite base URL must be http(s): '${baseUrl}'.`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw configError('BAD_BASE_URL', 'The NetSuite base URL must not carry a query, fragment or user info.');
  }
  return url;
}

/** `/services/rest/record/v1/{type}/{id}` → id. */
function idFromLocation(location: string | null): string | null {
  if (!location) return null;
  const match = /\/(\d+)\/?$/.exec(location.split('?')[0] ?? '');
  return match?.[1] ?? null;
}

function isNonexistentRecord(error: unknown): boolean {
  return (
    error instanceof ConnectorError && error.classified.status === 404 && error.classified.code === 'NONEXISTENT_ID'
  );
}

export function createNetSuiteConnector(options: NetSuiteConnectorOptions): NetSuiteConnector {
  const baseUrl = parseBaseUrl(options.baseUrl);
  const timeZone = options.timeZone ?? 'UTC';
  try {
    checkTimeZone(timeZone);
  } catch {
    throw configError('BAD_TIME_ZONE', `Unknown time zone '${timeZone}'.`);
  }
  const limits = options.limits ?? NETSUITE_DEFAULT_LIMITS;
  if (!Number.isInteger(limits.maxConcurrent) || limits.maxConcurrent < 1) {
    throw configError('BAD_LIMITS', 'limits.maxConcurrent must be a positive integer.');
  }
  const timeoutMs = options.timeoutMs ?? NETSUITE_DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw configError('BAD_TIMEOUT', 'timeoutMs must be positive.');

  const clock = new SourceClock();
  const client = new NetSuiteRestClient({
    baseUrl,
    sign: createRequestSigner(options.accountId, options.credentials),
    limiter: new RequestLimiter(limits),
    timeoutMs,
    onAnswer: (headers) => clock.read(headers.get('date')),
  });

  const typePath = (objectType: string) => {
    if (!isRecordTypeName(objectType))
      throw configError('UNKNOWN_OBJECT_TYPE', `'${objectType}' is not a NetSuite record type name.`);
    return `${RECORD_PATH}/${objectType}`;
  };
  const recordPath = (objectType: string, key: { externalId: string } | { id: string }) => {
    const segment = 'externalId' in key ? `eid:${encodeURIComponent(key.externalId)}` : encodeURIComponent(key.id);
    return `${typePath(objectType)}/${segment}`;
  };

  const suiteql = (query: string, page?: SuiteqlPageOptions) => runSuiteqlPage(client, query, page);

  const pullable = (objectType: string) => {
    const type = pullableType(objectType);
    if (!type) {
      throw configError(
        'UNKNOWN_OBJECT_TYPE',
        `NetSuite object type '${objectType}' cannot be pulled; known: ${PULLABLE_OBJECT_TYPES.join(', ')}.`,
      );
    }
    return type;
  };

  const toPulledRecord = (objectType: string, row: Record<string, string>): PulledRecord => {
    const { [CHANGED_AT_COLUMN]: modifiedAt, ...data } = row;
    if (!row.id || !modifiedAt) throw invalidResponse(`a ${objectType} row without id or last-modified time`);
    return { objectType, externalId: row.id, changedAt: wallClockToIso(modifiedAt, timeZone), data };
  };

  const decodeCursor = (cursor: string): PullCursor => {
    const decoded = decodePullCursor(cursor);
    if (!decoded) throw configError('INVALID_CURSOR', `'${cursor}' is not a NetSuite pull cursor.`);
    return decoded;
  };

  /** The newest wall-clock second a read may take rows from: one closed on the account's clock. */
  const settledBefore = async (table: string): Promise<string> => {
    // Any answer tells the account's time; before the first, a one-row query asks for it.
    if (!clock.known) await suiteql(`SELECT t.id FROM ${table} t`, { limit: 1, offset: 0 });
    return wallClockAt(clock.settledBefore().getTime(), timeZone);
  };

  const pull = async (
    objectType: string,
    cursor: string | null,
    limit: number,
    filter?: PullFilter,
    pullOptions?: PullOptions,
  ): Promise<PullResult> => {
    const type = pullable(objectType);
    const after = cursor === null ? null : decodeCursor(cursor);
    const pageSize = Math.min(MAX_SUITEQL_PAGE_SIZE, Math.max(1, Math.floor(limit)));
    const before = pullOptions?.includeUnsettled ? null : await settledBefore(type.suiteqlTable);
    let query: string;
    try {
      query = incrementalQuery(type, after, filter, before);
    } catch (error) {
      throw configError('INVALID_FILTER', error instanceof Error ? error.message : String(error));
    }
    const page = await suiteql(query, { limit: pageSize, offset: 0 });

    const records = page.items.map((row) => toPulledRecord(objectType, row));
    const last = page.items.at(-1);
    const nextCursor =
      last?.id && last[CHANGED_AT_COLUMN]
        ? encodePullCursor({ modifiedAt: last[CHANGED_AT_COLUMN], id: last.id })
        : cursor;
    return { records, nextCursor, hasMore: page.hasMore };
  };

  const readCurrent = async (objectType: string, externalIds: readonly string[]): Promise<PulledRecord[]> => {
    const type = pullable(objectType);
    // Internal ids are digits: anything else names no record of this account.
    const ids = [...new Set(externalIds)].filter((id) => /^\d{1,18}$/.test(id));
    const records: PulledRecord[] = [];
    for (let start = 0; start < ids.length; start += MAX_SUITEQL_PAGE_SIZE) {
      const chunk = ids.slice(start, start + MAX_SUITEQL_PAGE_SIZE);
      const page = await suiteql(rowsByIdQuery(type, chunk), { limit: MAX_SUITEQL_PAGE_SIZE, offset: 0 });
      records.push(...page.items.map((row) => toPulledRecord(objectType, row)));
    }
    return records;
  };

  const getRecord = async (path: string): Promise<Record<string, unknown> | null> => {
    try {
      const response = await client.request('GET', { path });
      const body = parseJsonKeepingNumbers(response.text);
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw invalidResponse('a record that is not an object');
      return body as Record<string, unknown>;
    } catch (error) {
      if (isNonexistentRecord(error)) return null;
      if (error instanceof SyntaxError) throw invalidResponse('a record that is not JSON');
      throw error;
    }
  };

  const get = async (objectType: string, externalId: string) => getRecord(recordPath(objectType, { externalId }));

  const recordBody = (fields: Record<string, unknown>): string => {
    try {
      return stringifyRecordBody(fields);
    } catch (error) {
      if (!(error instanceof UnserializableValueError)) throw error;
      throw new ConnectorError({
        class: 'business',
        code: 'INVALID_FIELD_VALUE',
        message: error.message,
        field: error.path,
      });
    }
  };

  const upsert = async (objectType: string, input: UpsertInput, _idempotencyKey: string): Promise<UpsertResult> => {
    // NetSuite's idempotency keys exist only for asynchronous requests; these synchronous writes
    // are idempotent by their addressing instead (external id, or internal id).
    const body = recordBody(input.fields);
    const { key, targetId } = input;
    if (targetId) {
      const byId = recordPath(objectType, { id: targetId });
      if (key) {
        // An update of a record we already know. PATCH never creates, so a record deleted in
        // NetSuite surfaces as NONEXISTENT_ID instead of coming back to life.
        try {
          await client.request('PATCH', { path: recordPath(objectType, { externalId: key }), body });
          return { externalId: targetId, created: false };
        } catch (error) {
          if (!isNonexistentRecord(error)) throw error;
        }
      }
      // The record does not carry our key (it was made in NetSuite or by another integration):
      // update it by internal id and leave its external id, which may belong to someone else.
      await client.request('PATCH', { path: byId, body });
      return { externalId: targetId, created: false };
    }
    if (!key)
      throw new ConnectorError({
        class: 'business',
        code: 'MISSING_KEY',
        message: 'A new NetSuite record needs its key.',
      });
    const byKey = recordPath(objectType, { externalId: key });

    const response = await client.request('PUT', { path: byKey, body });
    const location = response.headers.get('location');
    const createdId = idFromLocation(location);
    if (createdId) return { externalId: createdId, created: true };
    if (location) throw invalidResponse(`a Location header without a record id: ${location}`);
    const record = await getRecord(byKey);
    const id = record?.id;
    if (typeof id !== 'string' || id === '')
      throw invalidResponse(`the ${objectType} with external id '${key}' cannot be read back`);
    return { externalId: id, created: false };
  };

  const updateMany = async (
    objectType: string,
    updates: readonly { targetId: string; fields: Record<string, unknown> }[],
    idempotencyKey: string,
  ): Promise<(ConnectorError | null)[]> => {
    if (updates.length > MAX_BATCH_RECORDS)
      throw configError('BATCH_TOO_LARGE', `A NetSuite batch takes at most ${MAX_BATCH_RECORDS} records.`);
    const outcomes: (ConnectorError | null)[] = updates.map(() => null);
    // A record whose fields cannot be sent fails alone; the rest go in one request.
    const sent: { index: number; body: string }[] = [];
    for (const [index, update] of updates.entries()) {
      try {
        sent.push({ index, body: recordBody({ id: update.targetId, ...update.fields }) });
      } catch (error) {
        if (!(error instanceof ConnectorError)) throw error;
        outcomes[index] = error;
      }
    }
    if (sent.length === 0) return outcomes;
    const results = await batchUpdate(
      client,
      typePath(objectType),
      sent.map((s) => s.body),
      idempotencyKey,
      timeoutMs,
    );
    for (const [i, { index }] of sent.entries()) outcomes[index] = results[i]!;
    return outcomes;
  };

  return {
    system: 'netsuite',
    updateMany,
    maxBatch: MAX_BATCH_RECORDS,
    pull,
    rewind: (objectType: string, cursor: string, since: Date) => {
      pullable(objectType);
      decodeCursor(cursor);
      return encodePullCursor(cursorAtSecond(wallClockAt(since.getTime(), timeZone)));
    },
    cursorTime: (objectType: string, cursor: string) => {
      pullable(objectType);
      return new Date(wallClockToIso(decodeCursor(cursor).modifiedAt, timeZone));
    },
    get,
    readCurrent,
    upsert,
    suiteql,
    classifyError: (error: unknown): ClassifiedError => classifyNetSuiteError(error),
  };
}
