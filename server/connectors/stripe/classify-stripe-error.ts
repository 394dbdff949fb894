import Stripe from 'stripe';
import { ConnectorError, type ClassifiedError } from '../connector';
import { CONNECTION_CLOSED, unparsedAnswerStatus } from './single-attempt-http-client';

/**
 * Sorts a failure into the pipeline's classes, keeping Stripe's own code, message and param.
 * Accepts the SDK's error classes, Stripe's error body `{error: {type, code, message, param}}`
 * (with the HTTP status beside it when known), and bare network errors.
 *
 *   transient  429 / rate_limit / lock_timeout, 409 (idempotency_key_in_use: the first request
 *              with that key is still running), 5xx and api_error, timeouts, resets, refusals
 *   auth       401 (invalid or expired key), 403 (a restricted key without the permission),
 *              a webhook whose signature does not verify
 *   config     404 that is not a missing object (the base URL does not lead to the Stripe API),
 *              a host that does not exist
 *   business   every other refusal: invalid_request_error (currency mismatch,
 *              customer_tax_location_invalid, resource_missing of a referenced object…),
 *              idempotency_error (the key was used with other parameters or on another endpoint),
 *              card_error
 */
interface StripeFailure {
  status?: number;
  type?: string;
  code?: string;
  message?: string;
  param?: string;
  headers?: Record<string, unknown>;
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  CONNECTION_CLOSED,
]);

export function classifyStripeError(error: unknown): ClassifiedError {
  if (error instanceof ConnectorError) return error.classified;
  if (error instanceof Stripe.errors.StripeConnectionError) return connectionFailure(error);
  if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
    return { class: 'auth', code: 'webhook_signature_invalid', message: error.message };
  }
  if (error instanceof Stripe.errors.StripeError) {
    const unparsedStatus = unparsedAnswerStatus(rawException(error));
    if (unparsedStatus !== undefined) return unparsedAnswer(unparsedStatus, error.message);
    return classifyFailure({
      status: error.statusCode,
      type: error.rawType,
      code: error.code,
      message: error.message,
      param: error.param,
      headers: error.headers,
    });
  }
  const body = errorBody(error);
  if (body) return classifyFailure(body);
  const network = networkFailure(error);
  if (network) return network;
  return {
    class: 'transient',
    code: 'UNEXPECTED_ERROR',
    message: error instanceof Error ? error.message : String(error),
  };
}

export function toConnectorError(error: unknown): ConnectorError {
  return error instanceof ConnectorError ? error : new ConnectorError(classifyStripeError(error));
}

function classifyFailure(f: StripeFailure): ClassifiedError {
  const base = {
    message: f.message || 'Stripe refused the request without a message.',
    ...(f.status !== undefined && { status: f.status }),
    ...(f.param && { field: f.param }),
  };
  if (f.status === 401) return { class: 'auth', code: f.code ?? 'authentication_error', ...base };
  if (f.status === 403) return { class: 'auth', code: f.code ?? 'permission_error', ...base };
  if (f.status === 429 || f.code === 'rate_limit' || f.code === 'lock_timeout') {
    const retryAfterMs = retryAfter(f.headers);
    return {
      class: 'transient',
      code: f.code ?? 'rate_limit',
      ...base,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    };
  }
  if (f.status === 409 || f.code === 'idempotency_key_in_use' || header(f.headers, 'stripe-should-retry') === 'true') {
    const retryAfterMs = retryAfter(f.headers);
    return {
      class: 'transient',
      code: f.code ?? f.type ?? 'conflict',
      ...base,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    };
  }
  if (f.status === undefined ? f.type === 'api_error' : f.status >= 500) {
    return { class: 'transient', code: f.code ?? f.type ?? 'api_error', ...base };
  }
  if (f.status === 404 && f.code !== 'resource_missing') {
    return { class: 'config', code: f.code ?? 'API_NOT_FOUND', ...base };
  }
  return { class: 'business', code: f.code ?? f.type ?? 'invalid_request_error', ...base };
}

function connectionFailure(error: Stripe.errors.StripeConnectionError): ClassifiedError {
  const detail = error.detail;
  const code = typeof detail === 'object' && detail !== null && 'code' in detail ? String(detail.code) : undefined;
  const cause = detail instanceof Error && detail.message ? ` (${detail.message})` : '';
  if (code === Stripe.HttpClient.TIMEOUT_ERROR_CODE || /timeout/i.test(error.message)) {
    return { class: 'transient', code: 'TIMEOUT', message: error.message };
  }
  if (code === 'ENOTFOUND') return { class: 'config', code: 'HOST_NOT_FOUND', message: `${error.message}${cause}` };
  if (code === CONNECTION_CLOSED)
    return { class: 'transient', code: 'CONNECTION_RESET', message: `${error.message}${cause}` };
  return { class: 'transient', code: 'NETWORK', message: `${error.message}${cause}` };
}

/** A non-JSON answer: a 404 page means the base URL does not lead to the API; anything else is
 *  taken for a passing proxy or gateway failure. */
function unparsedAnswer(status: number, message: string): ClassifiedError {
  const text = `${message} (HTTP ${status}, not a Stripe API answer)`;
  if (status === 404) return { class: 'config', code: 'API_NOT_FOUND', message: text, status };
  if (status === 401 || status === 403) return { class: 'auth', code: 'authentication_error', message: text, status };
  return { class: 'transient', code: 'api_error', message: text, status };
}

function networkFailure(error: unknown): ClassifiedError | null {
  if (!(error instanceof Error)) return null;
  if (error.name === 'AbortError' || error.name === 'TimeoutError')
    return { class: 'transient', code: 'TIMEOUT', message: error.message };
  const code = 'code' in error ? String(error.code) : undefined;
  if (code === 'ETIMEDOUT') return { class: 'transient', code: 'TIMEOUT', message: error.message };
  if (code === 'ENOTFOUND') return { class: 'config', code: 'HOST_NOT_FOUND', message: error.message };
  if (code && NETWORK_CODES.has(code))
    return { class: 'transient', code: code === 'ECONNRESET' ? 'CONNECTION_RESET' : 'NETWORK', message: error.message };
  return null;
}

function errorBody(value: unknown): StripeFailure | null {
  if (typeof value !== 'object' || value === null || !('error' in value)) return null;
  const inner = value.error;
  if (typeof inner !== 'object' || inner === null) return null;
  const e = inner as Record<string, unknown>;
  const outer = value as Record<string, unknown>;
  const status = [outer.statusCode, outer.status, e.statusCode].find((s): s is number => typeof s === 'number');
  return {
    status,
    type: text(e.type),
    code: text(e.code),
    message: text(e.message),
    param: text(e.param),
    headers:
      typeof outer.headers === 'object' && outer.headers !== null
        ? (outer.headers as Record<string, unknown>)
        : undefined,
  };
}

function rawException(error: Stripe.errors.StripeError): unknown {
  const raw = error.raw;
  return typeof raw === 'object' && raw !== null && 'exception' in raw ? raw.exception : undefined;
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? text(value[0]) : text(value);
}

/** `Retry-After` in seconds or as an HTTP date, when Stripe (or a proxy) sends one. */
function retryAfter(headers: Record<string, unknown> | undefined): number | undefined {
  const value = header(headers, 'retry-after');
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
