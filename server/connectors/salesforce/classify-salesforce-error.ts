import { type ClassifiedError, ConnectorError } from '@/server/connectors/connector';

/**
 * Turns what a Salesforce call may throw into the pipeline's verdict. Salesforce answers a failed
 * REST call with an error array `[{message, errorCode, fields}]`; jsforce surfaces it as an Error
 * whose `name` and `errorCode` are the code and whose `data` is the entry (or, for several, the
 * whole array as MULTIPLE_API_ERRORS). A 300 to an upsert by external id (the key matches several
 * records) becomes MULTIPLE_CHOICES with the matching record URLs in `data`.
 */

/** What the failed call was doing: the same code can mean our setup is wrong or the record is. */
export type CallKind = 'query' | 'read' | 'write';

/** The status and headers of an answer, as the transport saw them. */
export interface ObservedAnswer {
  status: number;
  headers: Record<string, string>;
}

export interface ClassifyContext {
  kind?: CallKind;
  /** The status and headers of the answer, when the call got one. */
  answer?: ObservedAnswer;
  timeoutMs?: number;
  /** The external-id field an upsert addressed, reported with DUPLICATE_EXTERNAL_ID. */
  externalIdField?: string;
}

/**
 * REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded." is the org's API allowance, counted over
 * a rolling 24 hours: calls only become possible again as the oldest ones age out, so retrying
 * within minutes just fails again. An hour lets the window move on while keeping the routine's
 * lag bounded; the pipeline's own backoff may wait longer.
 */
export const DAILY_LIMIT_RETRY_AFTER_MS = 60 * 60 * 1000;
/**
 * REQUEST_LIMIT_EXCEEDED "ConcurrentRequests … Limit exceeded" (and ConcurrentPerOrgLongTxn) is
 * the org's cap on requests running longer than 20 seconds: it clears as those finish.
 */
export const CONCURRENT_LIMIT_RETRY_AFTER_MS = 30 * 1000;

/** Codes that say "not now": overload, an unexpected server fault, a row locked by another save. */
const TRANSIENT_CODES = new Set([
  'SERVER_UNAVAILABLE',
  'UNKNOWN_EXCEPTION',
  'UNABLE_TO_LOCK_ROW',
  'QUERY_TIMEOUT',
  'INVALID_QUERY_LOCATOR',
]);

/** Codes that say the session or the integration user is refused. */
const AUTH_CODES = new Set([
  'INVALID_SESSION_ID',
  'INVALID_AUTH_HEADER',
  'API_DISABLED_FOR_ORG',
  'API_CURRENTLY_DISABLED',
  'INVALID_LOGIN',
]);

/** Codes that say our request is wrong whatever the record: an object the org lacks, SOQL or a
 *  method the API refuses, a path that does not exist. */
const CONFIG_CODES = new Set([
  'INVALID_TYPE',
  'MALFORMED_QUERY',
  'INVALID_QUERY_FILTER_OPERATOR',
  'METHOD_NOT_ALLOWED',
  'NOT_FOUND',
]);

/** Transport failures worth retrying: the connection dropped, was refused or stalled. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Our own request timeout fired (see salesforce-connector.ts). */
export class RequestTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Salesforce did not answer within ${timeoutMs} ms.`);
    this.name = 'TimeoutError';
  }
}

/** The REST API answered with a redirect: the instance URL is not the org's own. */
export class RedirectedError extends Error {
  constructor(
    readonly status: number,
    readonly location: string | undefined,
  ) {
    super(
      `Salesforce redirected the request (${status}) to ${location ?? 'an unnamed location'}: set the instance URL to the org's My Domain URL.`,
    );
    this.name = 'RedirectedError';
  }
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

interface ApiErrorEntry {
  message?: unknown;
  errorCode?: unknown;
  fields?: unknown;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function asEntry(value: unknown): ApiErrorEntry | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as ApiErrorEntry) : undefined;
}

function firstField(entry: ApiErrorEntry | undefined, message: string): string | undefined {
  const fields = entry?.fields;
  if (Array.isArray(fields)) {
    const first: unknown = fields[0];
    if (typeof first === 'string' && first !== '') return first;
  }
  // DUPLICATE_VALUE names its field only in the message.
  return /duplicate value found: (\w+) duplicates/i.exec(message)?.[1];
}

/** An Error as jsforce throws it for an API error answer, or undefined. */
function apiErrorParts(
  error: unknown,
): { code: string; message: string; entry?: ApiErrorEntry; data: unknown } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { errorCode, data } = error as Error & { errorCode?: unknown; data?: unknown };
  if (typeof errorCode !== 'string' || errorCode === '') return undefined;
  if (errorCode === 'MULTIPLE_API_ERRORS' && Array.isArray(data)) {
    // Several errors for one call: the first one names the failure.
    const entry = asEntry(data[0]);
    return { code: text(entry?.errorCode) ?? errorCode, message: text(entry?.message) ?? error.message, entry, data };
  }
  const entry = asEntry(data);
  return { code: errorCode, message: error.message || (text(entry?.message) ?? errorCode), entry, data };
}

function causeCode(error: Error): string | undefined {
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  const cause = (error as { cause?: unknown }).cause;
  if (typeof cause === 'object' && cause !== null) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** The verdict on a failure that never got an answer from the API: timeouts, network, URLs. */
export function classifyTransportError(error: unknown, timeoutMs?: number): ClassifiedError {
  if (error instanceof ConnectorError) return error.classified;
  if (!(error instanceof Error)) return { class: 'transient', code: 'UNKNOWN', message: String(error) };
  if (error instanceof RedirectedError)
    return { class: 'config', code: 'BAD_BASE_URL', message: error.message, status: error.status };
  // Ours (RequestTimeoutError, AbortSignal.timeout) or jsforce's own timeout, which aborts the fetch.
  if (error.name === 'TimeoutError' || error.name === 'AbortError' || error.message === 'Request Timeout') {
    const message =
      error instanceof RequestTimeoutError || timeoutMs === undefined
        ? error.message
        : `Salesforce did not answer within ${timeoutMs} ms.`;
    return { class: 'transient', code: 'TIMEOUT', message };
  }
  const code = causeCode(error);
  const cause = (error as { cause?: unknown }).cause;
  const message = cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  if (code && TRANSIENT_NETWORK_CODES.has(code))
    return { class: 'transient', code: 'NETWORK', message: `${code}: ${message}` };
  // No such host, an unparsable URL or a certificate that does not match: the URL is wrong.
  if (code === 'ENOTFOUND' || code === 'ERR_INVALID_URL' || code?.startsWith('ERR_TLS') || code?.includes('CERT')) {
    return { class: 'config', code: 'BAD_BASE_URL', message: `${code}: ${message}` };
  }
  // node-fetch (jsforce) reports other transport failures as a FetchError, fetch as a TypeError.
  if (code || error.name === 'FetchError' || error instanceof TypeError) {
    return { class: 'transient', code: 'NETWORK', message: code ? `${code}: ${message}` : message };
  }
  return { class: 'transient', code: 'UNEXPECTED', message };
}

/** The verdict on anything a Salesforce call may throw. */
export function classifySalesforceError(error: unknown, context: ClassifyContext = {}): ClassifiedError {
  if (error instanceof ConnectorError) return error.classified;
  const parts = apiErrorParts(error);
  if (!parts) return classifyTransportError(error, context.timeoutMs);

  const { code, message, entry } = parts;
  const status = context.answer?.status ?? (/^ERROR_HTTP_(\d{3})$/.exec(code) ? Number(code.slice(-3)) : undefined);
  const headers = context.answer?.headers ?? {};
  const field = firstField(entry, message);
  const verdict = (
    errorClass: ClassifiedError['class'],
    overrides: Partial<ClassifiedError> = {},
  ): ClassifiedError => ({
    class: errorClass,
    code,
    message,
    ...(status !== undefined ? { status } : {}),
    ...(field ? { field } : {}),
    ...overrides,
  });
  const retryAfterMs = parseRetryAfter(headers['retry-after']);
  const transient = (fallbackRetryMs?: number) => {
    const wait = retryAfterMs ?? fallbackRetryMs;
    return verdict('transient', wait !== undefined ? { retryAfterMs: wait } : {});
  };

  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    return transient(/concurrent/i.test(message) ? CONCURRENT_LIMIT_RETRY_AFTER_MS : DAILY_LIMIT_RETRY_AFTER_MS);
  }
  if (code === 'MULTIPLE_CHOICES') {
    const urls = Array.isArray(parts.data) ? parts.data.filter((u): u is string => typeof u === 'string') : [];
    return verdict('business', {
      code: 'DUPLICATE_EXTERNAL_ID',
      message: `Several records carry this external id${urls.length ? `: ${urls.join(', ')}` : ''}.`,
      status: status ?? 300,
      ...(context.externalIdField ? { field: context.externalIdField } : {}),
    });
  }
  if (TRANSIENT_CODES.has(code) || status === 429 || status === 408 || (status !== undefined && status >= 500)) {
    return transient();
  }
  if (AUTH_CODES.has(code) || status === 401) return verdict('auth');
  // An unknown field in our SOQL is the org lacking a field we need; in a write it is the value's.
  if (code === 'INVALID_FIELD') return verdict(context.kind === 'query' ? 'config' : 'business');
  if (CONFIG_CODES.has(code)) return verdict('config');
  if (/^ERROR_HTTP_\d{3}$/.test(code)) {
    // An answer that is not Salesforce's error array: something else is listening at that URL.
    return verdict('config');
  }
  // REQUIRED_FIELD_MISSING, FIELD_CUSTOM_VALIDATION_EXCEPTION, DUPLICATE_VALUE, MALFORMED_ID,
  // STRING_TOO_LONG, INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, ENTITY_IS_DELETED, …: the record.
  return verdict('business');
}
