/**
 * Stripe's v1 error object, `{error: {type, code, message, param, doc_url, request_log_url}}`,
 * and the constructors the emulator needs. The SDK picks its error class from the HTTP status
 * and `type` (400/404 + idempotency_error → StripeIdempotencyError, 429 → StripeRateLimitError…).
 */

export type StripeErrorType = 'invalid_request_error' | 'idempotency_error' | 'api_error' | 'card_error';

export interface StripeErrorDetail {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
}

export interface StripeErrorOptions {
  /** Whether an idempotent request that ended in this error keeps it as its saved result.
   *  Stripe saves results only once the endpoint started executing: parameter validation
   *  failures are not saved, business-rule failures are. */
  saveable?: boolean;
  /** Commit the request's database changes despite the error (a failed finalization records
   *  `last_finalization_error` on the invoice). */
  commit?: boolean;
  headers?: Record<string, string>;
}

export class StripeApiError extends Error {
  readonly saveable: boolean;
  readonly commit: boolean;
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly detail: StripeErrorDetail,
    options: StripeErrorOptions = {},
  ) {
    super(detail.message);
    this.saveable = options.saveable ?? true;
    this.commit = options.commit ?? false;
    this.headers = options.headers ?? {};
  }

  toBody(requestId: string): { error: Record<string, string> } {
    const { type, message, code, param } = this.detail;
    const error: Record<string, string> = {};
    if (code) {
      error.code = code;
      error.doc_url = `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;
    }
    error.message = message;
    if (param) error.param = param;
    error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
    error.type = type;
    return { error };
  }
}

export function invalidRequest(
  message: string,
  extra: { param?: string; code?: string; status?: number } & StripeErrorOptions = {},
): StripeApiError {
  const { param, code, status, ...options } = extra;
  return new StripeApiError(status ?? 400, { type: 'invalid_request_error', message, code, param }, options);
}

/** A malformed or unknown parameter: raised before the endpoint runs, so never saved. */
export function parameterError(message: string, param: string, code?: string): StripeApiError {
  return invalidRequest(message, { param, code, saveable: false });
}

export function parameterMissing(param: string): StripeApiError {
  return parameterError(`Missing required param: ${param}.`, param, 'parameter_missing');
}

export function parameterUnknown(param: string): StripeApiError {
  return parameterError(`Received unknown parameter: ${param}`, param, 'parameter_unknown');
}

/** An object that does not exist: 404 when it is the URL's subject, 400 when named by a parameter. */
export function resourceMissing(kind: string, id: string, param: string, inPath: boolean): StripeApiError {
  return invalidRequest(`No such ${kind}: '${id}'`, {
    param,
    code: 'resource_missing',
    status: inPath ? 404 : 400,
  });
}

export function idempotencyError(message: string, status = 400, code?: string): StripeApiError {
  return new StripeApiError(status, { type: 'idempotency_error', message, code }, { saveable: false });
}

export function apiError(message: string): StripeApiError {
  return new StripeApiError(500, { type: 'api_error', message }, { saveable: false });
}
