import { type ClassifiedError, ConnectorError } from '@/server/connectors/connector';

/**
 * Turns NetSuite's answers and transport failures into the pipeline's verdicts. NetSuite's REST
 * error body is `{ type, title, status, "o:errorDetails": [{ detail, "o:errorCode", "o:errorPath" |
 * "o:errorQueryParam" | "o:errorHeader" | "o:errorUrl" }] }`; the first detail names the failure.
 */

interface ErrorDetail {
  detail?: unknown;
  'o:errorCode'?: unknown;
  'o:errorPath'?: unknown;
  'o:errorQueryParam'?: unknown;
  'o:errorHeader'?: unknown;
}

/** Codes that say "not now" whatever the status they come with: the account's concurrency and
 *  request governance (REST answers 429; RESTlet-style answers 400) and optimistic-lock clashes. */
const TRANSIENT_CODES = new Set([
  'CONCURRENCY_LIMIT_EXCEEDED',
  'REQUEST_LIMIT_EXCEEDED',
  'SSS_REQUEST_LIMIT_EXCEEDED',
  'WS_CONCUR_SESSION_DISALLOWED',
  'RCRD_HAS_BEEN_CHANGED',
  'UNEXPECTED_ERROR',
]);

/** Codes that say our request or setup is wrong, not the record: an unknown record type, a path
 *  the API does not have, a header or method it refuses. */
const CONFIG_CODES = new Set(['INVALID_RCRD_TYPE', 'INVALID_REQUEST', 'INVALID_HEADER', 'METHOD_NOT_ALLOWED']);

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
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function firstDetail(body: unknown): ErrorDetail | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const details = (body as { 'o:errorDetails'?: unknown })['o:errorDetails'];
  if (!Array.isArray(details)) return undefined;
  const first: unknown = details[0];
  return typeof first === 'object' && first !== null ? (first as ErrorDetail) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The verdict on a non-2xx answer. */
export function classifyResponse(status: number, bodyText: string, retryAfter: string | null): ClassifiedError {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  const detail = firstDetail(body);
  const code = text(detail?.['o:errorCode']) ?? `HTTP_${status}`;
  const title = typeof body === 'object' && body !== null ? text((body as { title?: unknown }).title) : undefined;
  const message = text(detail?.detail) ?? title ?? (bodyText.trim().slice(0, 500) || `HTTP ${status}`);
  const field = text(detail?.['o:errorPath']);
  const verdict = (errorClass: ClassifiedError['class']): ClassifiedError => ({
    class: errorClass,
    code,
    message,
    status,
    ...(field ? { field } : {}),
  });

  if (status === 429 || status === 408 || status >= 500 || TRANSIENT_CODES.has(code)) {
    const retryAfterMs = parseRetryAfter(retryAfter);
    return { ...verdict('transient'), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  // 403 is the role behind the token lacking a permission: fixed where the credentials are.
  if (status === 401 || status === 403 || code === 'INVALID_LOGIN') return verdict('auth');
  // A 404 on a record is that record missing; any other 404 is a wrong type or a wrong base URL.
  if (status === 404) return verdict(code === 'NONEXISTENT_ID' ? 'business' : 'config');
  if (CONFIG_CODES.has(code)) return verdict('config');
  // Refusals of the query string or headers we built (e.g. a SuiteQL table this account lacks)
  // are ours to fix; refusals of the record body are the record's.
  if (detail && (text(detail['o:errorQueryParam']) || text(detail['o:errorHeader']))) return verdict('config');
  if (status >= 400 && status < 500) return verdict('business');
  // Redirects and other surprises mean we are not talking to the REST API we think we are.
  return verdict('config');
}

/** An answer that is not what the REST API sends: we are not talking to the service we think. */
export function invalidResponseError(message: string): ClassifiedError {
  return { class: 'config', code: 'INVALID_RESPONSE', message: `NetSuite answered in an unexpected shape: ${message}` };
}

function causeCode(error: Error): string | undefined {
  const cause = (error as { cause?: unknown }).cause;
  if (typeof cause === 'object' && cause !== null) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  const own = (error as { code?: unknown }).code;
  return typeof own === 'string' ? own : undefined;
}

/** The verdict on anything a NetSuite call may throw. */
export function classifyNetSuiteError(error: unknown): ClassifiedError {
  if (error instanceof ConnectorError) return error.classified;
  if (!(error instanceof Error)) return { class: 'transient', code: 'UNKNOWN', message: String(error) };
  if (error.name === 'TimeoutError') {
    return { class: 'transient', code: 'TIMEOUT', message: 'NetSuite did not answer within the request timeout.' };
  }
  if (error.name === 'AbortError') return { class: 'transient', code: 'ABORTED', message: error.message };
  const code = causeCode(error);
  const cause = (error as { cause?: unknown }).cause;
  const message = cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  if (code && TRANSIENT_NETWORK_CODES.has(code))
    return { class: 'transient', code: 'NETWORK', message: `${code}: ${message}` };
  // No such host, an unparsable URL or a certificate that does not match: the base URL is wrong.
  if (code === 'ENOTFOUND' || code === 'ERR_INVALID_URL' || code?.startsWith('ERR_TLS') || code?.includes('CERT')) {
    return { class: 'config', code: 'BAD_BASE_URL', message: `${code}: ${message}` };
  }
  // fetch reports every other transport failure as a TypeError with the cause attached.
  if (code || error instanceof TypeError)
    return { class: 'transient', code: 'NETWORK', message: code ? `${code}: ${message}` : message };
  return { class: 'transient', code: 'UNEXPECTED', message };
}
