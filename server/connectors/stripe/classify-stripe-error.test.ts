import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../connector';
import { classifyStripeError } from './classify-stripe-error';

/** An SDK error as stripe-node builds it from a response: class chosen from status and type. */
function sdkError(statusCode: number, error: Record<string, string>, headers: Record<string, string> = {}) {
  return Stripe.errors.StripeError.generate({ ...error, statusCode, headers, requestId: 'req_123' });
}

describe('classifyStripeError', () => {
  it('takes 429 and its relatives for transient, with the wait Stripe asked for', () => {
    expect(
      classifyStripeError(
        sdkError(
          429,
          { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many' },
          { 'retry-after': '2' },
        ),
      ),
    ).toEqual({
      class: 'transient',
      code: 'rate_limit',
      message: 'Too many',
      status: 429,
      retryAfterMs: 2000,
    });
    expect(
      classifyStripeError(
        sdkError(429, { type: 'invalid_request_error', code: 'lock_timeout', message: 'Object locked' }),
      ),
    ).toMatchObject({
      class: 'transient',
      code: 'lock_timeout',
    });
  });

  it('takes a key still in use by a running request (409) for transient', () => {
    const inUse = sdkError(409, {
      type: 'idempotency_error',
      code: 'idempotency_key_in_use',
      message: 'Another request is using this key',
    });
    expect(inUse).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(classifyStripeError(inUse)).toMatchObject({
      class: 'transient',
      code: 'idempotency_key_in_use',
      status: 409,
    });
  });

  it('takes 5xx for transient', () => {
    expect(classifyStripeError(sdkError(503, { type: 'api_error', message: 'Try again' }))).toMatchObject({
      class: 'transient',
      code: 'api_error',
      status: 503,
    });
  });

  it('takes refused credentials for auth', () => {
    expect(
      classifyStripeError(
        sdkError(401, { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****1234' }),
      ),
    ).toEqual({
      class: 'auth',
      code: 'authentication_error',
      message: 'Invalid API Key provided: sk_test_****1234',
      status: 401,
    });
    expect(
      classifyStripeError(
        sdkError(401, { type: 'invalid_request_error', code: 'api_key_expired', message: 'Expired' }),
      ),
    ).toMatchObject({
      class: 'auth',
      code: 'api_key_expired',
    });
    expect(
      classifyStripeError(
        sdkError(403, { type: 'invalid_request_error', message: 'The provided key does not have access' }),
      ),
    ).toMatchObject({
      class: 'auth',
      status: 403,
    });
  });

  it('keeps Stripe’s code, message and param for business refusals', () => {
    expect(
      classifyStripeError(
        sdkError(400, {
          type: 'invalid_request_error',
          code: 'customer_tax_location_invalid',
          message: 'Bad location',
          param: 'customer',
        }),
      ),
    ).toEqual({
      class: 'business',
      code: 'customer_tax_location_invalid',
      message: 'Bad location',
      status: 400,
      field: 'customer',
    });
    expect(
      classifyStripeError(
        sdkError(400, { type: 'invalid_request_error', message: 'You cannot combine currencies', param: 'currency' }),
      ),
    ).toEqual({
      class: 'business',
      code: 'invalid_request_error',
      message: 'You cannot combine currencies',
      status: 400,
      field: 'currency',
    });
    expect(
      classifyStripeError(
        sdkError(400, {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: "No such customer: 'cus_x'",
          param: 'customer',
        }),
      ),
    ).toMatchObject({ class: 'business', code: 'resource_missing', field: 'customer' });
    expect(
      classifyStripeError(
        sdkError(400, { type: 'idempotency_error', message: 'Keys can only be used with the same parameters' }),
      ),
    ).toMatchObject({
      class: 'business',
      code: 'idempotency_error',
    });
    expect(
      classifyStripeError(sdkError(402, { type: 'card_error', code: 'card_declined', message: 'Declined' })),
    ).toMatchObject({
      class: 'business',
      code: 'card_declined',
    });
  });

  it('tells a missing object (business) from a URL that is not the API (config)', () => {
    expect(
      classifyStripeError(
        sdkError(404, {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: 'No such invoice',
          param: 'id',
        }),
      ),
    ).toMatchObject({
      class: 'business',
      code: 'resource_missing',
      status: 404,
    });
    expect(
      classifyStripeError(
        sdkError(404, { type: 'invalid_request_error', message: 'Unrecognized request URL (GET: /v2/nothing).' }),
      ),
    ).toMatchObject({
      class: 'config',
      code: 'API_NOT_FOUND',
    });
  });

  it('reads Stripe’s error body when it comes without the SDK', () => {
    expect(classifyStripeError({ error: { type: 'api_error', message: 'Something went wrong' } })).toMatchObject({
      class: 'transient',
      code: 'api_error',
    });
    expect(
      classifyStripeError({
        statusCode: 400,
        error: {
          type: 'invalid_request_error',
          code: 'parameter_unknown',
          message: 'Received unknown parameter: x',
          param: 'x',
        },
      }),
    ).toEqual({
      class: 'business',
      code: 'parameter_unknown',
      message: 'Received unknown parameter: x',
      status: 400,
      field: 'x',
    });
    expect(
      classifyStripeError({ status: 429, error: { type: 'invalid_request_error', message: 'Slow down' } }),
    ).toMatchObject({ class: 'transient' });
  });

  it('classifies connection failures', () => {
    const timeout = new Stripe.errors.StripeConnectionError({
      message: 'Request aborted due to timeout being reached (30000ms)',
      detail: Object.assign(new TypeError('ETIMEDOUT'), { code: 'ETIMEDOUT' }),
    });
    expect(classifyStripeError(timeout)).toMatchObject({ class: 'transient', code: 'TIMEOUT' });
    const dns = new Stripe.errors.StripeConnectionError({
      message: 'An error occurred with our connection to Stripe.',
      detail: Object.assign(new Error('getaddrinfo ENOTFOUND api.stripe.test'), { code: 'ENOTFOUND' }),
    });
    expect(classifyStripeError(dns)).toMatchObject({ class: 'config', code: 'HOST_NOT_FOUND' });
    expect(classifyStripeError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toMatchObject({
      class: 'transient',
      code: 'CONNECTION_RESET',
    });
    expect(classifyStripeError(new DOMException('The operation timed out.', 'TimeoutError'))).toMatchObject({
      class: 'transient',
      code: 'TIMEOUT',
    });
  });

  it('passes a classified error through and treats the unknown as transient', () => {
    const classified = { class: 'business' as const, code: 'FIELDS_INVALID', message: 'amount: not an integer' };
    expect(classifyStripeError(new ConnectorError(classified))).toBe(classified);
    expect(classifyStripeError(new Error('boom'))).toEqual({
      class: 'transient',
      code: 'UNEXPECTED_ERROR',
      message: 'boom',
    });
  });
});
