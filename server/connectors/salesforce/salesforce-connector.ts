import { Connection, type QueryOptions, type QueryResult, type Record as SObjectRecord } from 'jsforce';
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
import { AccessTokenSource, type ClientCredentials } from './access-token';
import {
  type CallKind,
  classifySalesforceError,
  type ObservedAnswer,
  RequestTimeoutError,
} from './classify-salesforce-error';
import {
  cursorAtSecond,
  decodePullCursor,
  encodePullCursor,
  incrementalSoql,
  isSalesforceId,
  isSalesforceObjectType,
  rowsByIdSoql,
  SALESFORCE_OBJECT_TYPES,
  type SalesforceObjectType,
  salesforceDateTimeToIso,
  toSecondIso,
} from './pull-query';
import { outgoingFields, withoutAttributes } from './record-values';
import { singleAttemptTransport } from './single-attempt-transport';

/**
 * The Salesforce connector: incremental SOQL reads on SystemModstamp, retrieve by id, upserts by
 * the Syncwright_Id__c external-id field and updates by id, all through jsforce over the REST API.
 * It signs in with the OAuth client-credentials flow, keeps the token, and signs in again once
 * when Salesforce calls the session invalid. Every call is one HTTP exchange (jsforce's own
 * retries are switched off, see single-attempt-transport.ts) inside the request limiter and the
 * request timeout; failures are thrown as ConnectorError with their verdict.
 */

export type { ClientCredentials } from './access-token';

export interface SalesforceConnectorOptions {
  /** The org's instance or My Domain URL, e.g. `https://acme.my.salesforce.com`. */
  instanceUrl: string;
  /** REST API version; default 62.0. */
  apiVersion?: string;
  credentials: ClientCredentials;
  /** Default: 10 in flight, no rate cap. Salesforce allows 25 concurrent long-running (20 s+)
   *  requests per org, shared with every other integration; the daily allowance is reported by
   *  apiUsage(). */
  limits?: RequestLimits;
  /** Per request, body included. Default 30 s. */
  timeoutMs?: number;
}

export interface SalesforceConnector extends Connector {
  /** The org's API usage as of the last answer (Sforce-Limit-Info), or null before any. */
  apiUsage(): { used: number; limit: number } | null;
}

export const SALESFORCE_DEFAULT_API_VERSION = '62.0';
export const SALESFORCE_DEFAULT_LIMITS: RequestLimits = { maxConcurrent: 10, perSecond: null };
export const SALESFORCE_DEFAULT_TIMEOUT_MS = 30_000;
/** Our key on every object we write: an external-id field each object carries. */
export const EXTERNAL_ID_FIELD = 'Syncwright_Id__c';
/** Salesforce's largest query batch (Sforce-Query-Options batchSize 200–2000). */
const MAX_BATCH_SIZE = 2000;
const MIN_BATCH_SIZE = 200;
/** Ids per query when records are read again by id: keeps the query's URL well inside its limit. */
const IDS_PER_QUERY = 200;
const BY_ID_QUERY_OPTIONS: QueryOptions = {
  headers: {},
  autoFetch: false,
  maxFetch: MAX_BATCH_SIZE,
  scanAll: false,
  responseTarget: 'QueryResult',
};

type Row = SObjectRecord & { Id?: string };

function configError(code: string, message: string): ConnectorError {
  return new ConnectorError({ class: 'config', code, message });
}

function parseHttpUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError('BAD_BASE_URL', `The Salesforce ${what} '${value}' is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError('BAD_BASE_URL', `The Salesforce ${what} must be http(s): '${value}'.`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw configError('BAD_BASE_URL', `The Salesforce ${what} must not carry a query, fragment or user info.`);
  }
  return url;
}

function instanceRoot(value: string): string {
  const url = parseHttpUrl(value, 'instance URL');
  if (url.pathname.replace(/\/+$/, '') !== '') {
    throw configError('BAD_BASE_URL', `The Salesforce instance URL is the org's address without a path: '${value}'.`);
  }
  if (/\.lightning\.force\.com$/i.test(url.hostname)) {
    throw configError(
      'BAD_BASE_URL',
      `'${value}' is a Lightning UI address; the API lives at the My Domain URL (….my.salesforce.com).`,
    );
  }
  return url.origin;
}

/** Rejects after `ms` unless `start()`'s promise settles first. The timer starts before the call
 *  does, so it fires ahead of jsforce's own abort at the same delay and the verdict is ours. */
function withTimeout<T>(start: () => PromiseLike<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RequestTimeoutError(ms)), ms);
  });
  return Promise.race([Promise.resolve(start()), timeout]).finally(() => clearTimeout(timer));
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof ConnectorError && error.classified.code === code;
}

function usageFrom(headers: Record<string, string>): { used: number; limit: number } | null {
  const match = /api-usage=(\d+)\/(\d+)/.exec(headers['sforce-limit-info'] ?? '');
  return match ? { used: Number(match[1]), limit: Number(match[2]) } : null;
}

export function createSalesforceConnector(options: SalesforceConnectorOptions): SalesforceConnector {
  const instanceUrl = instanceRoot(options.instanceUrl);
  parseHttpUrl(options.credentials.tokenUrl, 'token URL');
  const version = options.apiVersion ?? SALESFORCE_DEFAULT_API_VERSION;
  if (!/^\d{2,3}\.0$/.test(version))
    throw configError('BAD_API_VERSION', `'${version}' is not a REST API version such as 62.0.`);
  const limits = options.limits ?? SALESFORCE_DEFAULT_LIMITS;
  if (!Number.isInteger(limits.maxConcurrent) || limits.maxConcurrent < 1) {
    throw configError('BAD_LIMITS', 'limits.maxConcurrent must be a positive integer.');
  }
  if (limits.perSecond !== null && !(limits.perSecond > 0))
    throw configError('BAD_LIMITS', 'limits.perSecond must be positive or null.');
  const timeoutMs = options.timeoutMs ?? SALESFORCE_DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw configError('BAD_TIMEOUT', 'timeoutMs must be positive.');

  const limiter = new RequestLimiter(limits);
  /** The org's clock, from the Date headers of its answers: pulls read only seconds closed on it. */
  const clock = new SourceClock();
  const tokens = new AccessTokenSource(options.credentials, limiter, timeoutMs, (headers) =>
    clock.read(headers.get('date')),
  );
  let usage: { used: number; limit: number } | null = null;
  /** Some call reached the versioned API: a later NOT_FOUND is about a record, not our URL. */
  let apiRootAnswered = false;

  interface Answered<T> {
    value: T;
    answer: ObservedAnswer | undefined;
  }

  /** One HTTP exchange on a connection of its own, so its answer is known to belong to it. */
  const exchange = <T>(
    token: string,
    kind: CallKind,
    run: (conn: Connection) => PromiseLike<T>,
    externalIdField?: string,
  ) =>
    limiter.run(async (): Promise<Answered<T>> => {
      let answer: ObservedAnswer | undefined;
      const conn = new Connection({ instanceUrl, accessToken: token, version });
      conn._transport = singleAttemptTransport(conn._transport, timeoutMs, (observed) => {
        answer = observed;
        usage = usageFrom(observed.headers) ?? usage;
        clock.read(observed.headers.date);
        if ((observed.status >= 200 && observed.status < 300) || observed.status === 300) apiRootAnswered = true;
      });
      try {
        const value = await withTimeout(() => run(conn), timeoutMs);
        return { value, answer };
      } catch (error) {
        throw new ConnectorError(
          classifySalesforceError(error, { kind, answer, timeoutMs, ...(externalIdField ? { externalIdField } : {}) }),
        );
      }
    });

  /** An exchange with the cached token; if Salesforce calls the session invalid, one more with a
   *  new token. A refusal of the new one stays an auth failure. */
  const call = async <T>(kind: CallKind, run: (conn: Connection) => PromiseLike<T>, externalIdField?: string) => {
    const token = await tokens.current();
    try {
      return await exchange(token, kind, run, externalIdField);
    } catch (error) {
      if (!isCode(error, 'INVALID_SESSION_ID')) throw error;
      return exchange(await tokens.renew(token), kind, run, externalIdField);
    }
  };

  /** Whether the versioned REST root exists at our URL: tells "no such record" from "no such API". */
  const checkApiRoot = async (): Promise<void> => {
    if (apiRootAnswered) return;
    try {
      await call('query', (conn) => conn.request(`/services/data/v${version}`));
    } catch (error) {
      if (!isCode(error, 'NOT_FOUND')) throw error;
      throw configError(
        'NOT_FOUND',
        `There is no Salesforce REST API v${version} at ${instanceUrl}: check the instance URL and API version.`,
      );
    }
  };

  const objectTypeOf = (objectType: string): SalesforceObjectType => {
    if (!isSalesforceObjectType(objectType)) {
      throw configError(
        'UNKNOWN_OBJECT_TYPE',
        `Salesforce object type '${objectType}' is not one of ${SALESFORCE_OBJECT_TYPES.join(', ')}.`,
      );
    }
    return objectType;
  };

  const toPulledRecord = (objectType: SalesforceObjectType, row: Row): PulledRecord => {
    const changedAt = salesforceDateTimeToIso(row.SystemModstamp);
    if (typeof row.Id !== 'string' || !changedAt) {
      throw new ConnectorError({
        class: 'config',
        code: 'INVALID_RESPONSE',
        message: `Salesforce returned a ${objectType} row without Id or SystemModstamp.`,
      });
    }
    const { IsDeleted, ...data } = withoutAttributes(row);
    return { objectType, externalId: row.Id, changedAt, data, ...(IsDeleted === true ? { deleted: true } : {}) };
  };

  /** The end of the newest second a pull may read: a closed second, by the org's clock. */
  const settledBefore = async (): Promise<string> => {
    if (!clock.known) await tokens.current(); // a sign-in answer tells the org's time
    return toSecondIso(clock.settledBefore().toISOString());
  };

  const decodeCursor = (cursor: string) => {
    const position = decodePullCursor(cursor);
    if (!position) throw configError('INVALID_CURSOR', `'${cursor}' is not a Salesforce pull cursor.`);
    return position;
  };

  const pull = async (
    objectType: string,
    cursor: string | null,
    limit: number,
    filter?: PullFilter,
    pullOptions?: PullOptions,
  ): Promise<PullResult> => {
    const type = objectTypeOf(objectType);
    const after = cursor === null ? null : decodeCursor(cursor);
    if (!Number.isFinite(limit))
      throw configError('BAD_LIMIT', `The pull limit must be a number, not ${String(limit)}.`);
    const size = Math.max(1, Math.floor(limit));
    const queryOptions: QueryOptions = {
      headers: { 'Sforce-Query-Options': `batchSize=${Math.min(MAX_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, size))}` },
      autoFetch: false,
      maxFetch: MAX_BATCH_SIZE,
      // queryAll: the recycle bin's records too, each with its IsDeleted flag.
      scanAll: pullOptions?.includeDeleted ?? false,
      responseTarget: 'QueryResult',
    };

    // One more than asked for: its presence says whether more records follow.
    const before = pullOptions?.includeUnsettled ? null : await settledBefore();
    let soql: string;
    try {
      soql = incrementalSoql(type, after, before, size + 1, filter, pullOptions?.includeDeleted);
    } catch (error) {
      throw configError('INVALID_FILTER', error instanceof Error ? error.message : String(error));
    }
    let page: QueryResult<Row> = (await call('query', (conn) => conn.query<Row>(soql, queryOptions))).value;
    const totalSize = page.totalSize;
    const rows: Row[] = [...page.records];
    while (rows.length < size && !page.done && page.nextRecordsUrl) {
      const locator = page.nextRecordsUrl.split('/').pop() ?? '';
      page = (await call('query', (conn) => conn.queryMore<Row>(locator, queryOptions))).value;
      rows.push(...page.records);
    }

    // The query matched only records stamped before `before`. A later batch may show a record as
    // it is now, saved again since the query ran: it is left for the pull that reaches its new
    // stamp, and the cursor stays on the last record whose place in the order is certain.
    const cutoff = before === null ? Infinity : Date.parse(before);
    const records = rows
      .slice(0, size)
      .map((row) => toPulledRecord(type, row))
      .filter((record) => Date.parse(record.changedAt) < cutoff);
    const last = records.at(-1);
    return {
      records,
      nextCursor: last ? encodePullCursor({ modstamp: toSecondIso(last.changedAt), id: last.externalId }) : cursor,
      hasMore: totalSize > size,
    };
  };

  const readCurrent = async (objectType: string, externalIds: readonly string[]): Promise<PulledRecord[]> => {
    const type = objectTypeOf(objectType);
    const ids = [...new Set(externalIds)].filter(isSalesforceId);
    const records: PulledRecord[] = [];
    for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
      const soql = rowsByIdSoql(type, ids.slice(start, start + IDS_PER_QUERY));
      // A query leaves out deleted records (only queryAll sees them): a deleted record is gone.
      let page: QueryResult<Row> = (await call('query', (conn) => conn.query<Row>(soql, BY_ID_QUERY_OPTIONS))).value;
      records.push(...page.records.map((row) => toPulledRecord(type, row)));
      while (!page.done && page.nextRecordsUrl) {
        const locator = page.nextRecordsUrl.split('/').pop() ?? '';
        page = (await call('query', (conn) => conn.queryMore<Row>(locator, BY_ID_QUERY_OPTIONS))).value;
        records.push(...page.records.map((row) => toPulledRecord(type, row)));
      }
    }
    return records;
  };

  const get = async (objectType: string, externalId: string): Promise<Record<string, unknown> | null> => {
    const type = objectTypeOf(objectType);
    if (externalId === '') return null;
    try {
      const { value } = await call('read', (conn) => conn.sobject(type).retrieve(encodeURIComponent(externalId)));
      return withoutAttributes(value as Record<string, unknown>);
    } catch (error) {
      if (!isCode(error, 'NOT_FOUND')) throw error;
      await checkApiRoot();
      return null;
    }
  };

  const upsert = async (objectType: string, input: UpsertInput, _idempotencyKey: string): Promise<UpsertResult> => {
    // Salesforce's REST API takes no idempotency key: both writes below are idempotent by how
    // they address the record (our external id, or the record id), so a repeat changes nothing.
    const type = objectTypeOf(objectType);
    const fields = outgoingFields(input.fields);
    const { key, targetId } = input;

    if (targetId) {
      // A write-back onto a record the CRM owns (or one we already know): update it by id and
      // leave its external id alone.
      try {
        await call('write', (conn) => conn.sobject(type).update({ ...fields, Id: encodeURIComponent(targetId) }));
      } catch (error) {
        if (!isCode(error, 'NOT_FOUND')) throw error;
        await checkApiRoot();
        const { classified } = error as ConnectorError;
        throw new ConnectorError({
          ...classified,
          class: 'business',
          message: `${type} ${targetId} does not exist in Salesforce (${classified.message}).`,
        });
      }
      return { externalId: targetId, created: false };
    }

    if (!key)
      throw new ConnectorError({
        class: 'business',
        code: 'MISSING_KEY',
        message: `A ${type} written without a target id needs its key.`,
      });
    // jsforce puts the external-id value into the URL as it is; the key may hold any character.
    const record = { ...fields, [EXTERNAL_ID_FIELD]: encodeURIComponent(key) };
    const { value, answer } = await call(
      'write',
      (conn) => conn.sobject(type).upsert(record, EXTERNAL_ID_FIELD),
      EXTERNAL_ID_FIELD,
    );
    const result = value as { id?: unknown; created?: unknown };
    if (typeof result.id !== 'string' || result.id === '') {
      throw new ConnectorError({
        class: 'config',
        code: 'INVALID_RESPONSE',
        message: `Salesforce answered the ${type} upsert without the record id.`,
      });
    }
    // 201 Created for a new record, 200 (or 204 before API v46) for an update.
    const created = answer ? answer.status === 201 : result.created === true;
    return { externalId: result.id, created };
  };

  return {
    system: 'salesforce',
    pull,
    rewind: (objectType: string, cursor: string, since: Date) => {
      objectTypeOf(objectType);
      decodeCursor(cursor);
      return encodePullCursor(cursorAtSecond(toSecondIso(since.toISOString())));
    },
    cursorTime: (objectType: string, cursor: string) => {
      objectTypeOf(objectType);
      return new Date(decodeCursor(cursor).modstamp);
    },
    get,
    readCurrent,
    upsert,
    classifyError: (error: unknown): ClassifiedError => classifySalesforceError(error),
    apiUsage: () => (usage ? { ...usage } : null),
  };
}
