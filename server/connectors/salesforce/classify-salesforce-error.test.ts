import { describe, expect, it } from 'vitest';
import { ConnectorError } from '@/server/connectors/connector';
import {
  CONCURRENT_LIMIT_RETRY_AFTER_MS,
  classifySalesforceError,
  DAILY_LIMIT_RETRY_AFTER_MS,
  parseRetryAfter,
  RequestTimeoutError,
} from './classify-salesforce-error';

/** An error as jsforce throws it for one entry of Salesforce's error array. */
function apiError(errorCode: string, message: string, data: unknown = { message, errorCode }): Error {
  const error = new Error(message);
  error.name = errorCode;
  return Object.assign(error, { errorCode, data });
}

const answer = (status: number, headers: Record<string, string> = {}) => ({ answer: { status, headers } });

describe('classifySalesforceError', () => {
  it('reads code, message and first field from a record refusal', () => {
    const error = apiError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [Name, StageName]', {
      message: 'Required fields are missing: [Name, StageName]',
      errorCode: 'REQUIRED_FIELD_MISSING',
      fields: ['Name', 'StageName'],
    });
    expect(classifySalesforceError(error, answer(400))).toEqual({
      class: 'business',
      code: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Name, StageName]',
      status: 400,
      field: 'Name',
    });
    // Without the answer (as the pipeline may hold the error): the same verdict, no status.
    expect(classifySalesforceError(error)).toMatchObject({
      class: 'business',
      code: 'REQUIRED_FIELD_MISSING',
      field: 'Name',
    });
  });

  it('treats the documented record refusals as business', () => {
    for (const code of [
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      'DUPLICATE_VALUE',
      'MALFORMED_ID',
      'STRING_TOO_LONG',
      'INVALID_CROSS_REFERENCE_KEY',
      'ENTITY_IS_DELETED',
    ]) {
      expect(classifySalesforceError(apiError(code, 'refused'), answer(400)).class, code).toBe('business');
    }
    const duplicate = apiError(
      'DUPLICATE_VALUE',
      'duplicate value found: ERP_Project_Id__c duplicates value on record with id: 0065w0000000001AAA',
    );
    expect(classifySalesforceError(duplicate)).toMatchObject({ class: 'business', field: 'ERP_Project_Id__c' });
    // An unknown field is the value's problem in a write, and our setup's in our own SOQL.
    const invalidField = apiError('INVALID_FIELD', "No such column 'Foo__c' on sobject of type Account");
    expect(classifySalesforceError(invalidField, { kind: 'write' }).class).toBe('business');
    expect(classifySalesforceError(invalidField, { kind: 'query' }).class).toBe('config');
  });

  it('names the first of several errors', () => {
    const error = apiError('MULTIPLE_API_ERRORS', 'Multiple errors returned.', [
      { message: 'Amount cannot be negative.', errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', fields: ['Amount'] },
      { message: 'bad value', errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Billing_Model__c'] },
    ]);
    expect(classifySalesforceError(error, answer(400))).toEqual({
      class: 'business',
      code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Amount cannot be negative.',
      status: 400,
      field: 'Amount',
    });
  });

  it('turns a key matching several records into DUPLICATE_EXTERNAL_ID', () => {
    const urls = [
      '/services/data/v62.0/sobjects/Account/0015w0000000001AAA',
      '/services/data/v62.0/sobjects/Account/0015w0000000002AAA',
    ];
    const verdict = classifySalesforceError(apiError('MULTIPLE_CHOICES', 'Multiple records found', urls), {
      externalIdField: 'Syncwright_Id__c',
    });
    expect(verdict).toMatchObject({
      class: 'business',
      code: 'DUPLICATE_EXTERNAL_ID',
      status: 300,
      field: 'Syncwright_Id__c',
    });
    expect(verdict.message).toContain(urls[1]);
  });

  it('makes overload, server faults and locks transient, honouring Retry-After', () => {
    expect(
      classifySalesforceError(apiError('SERVER_UNAVAILABLE', 'Server is busy'), answer(503, { 'retry-after': '7' })),
    ).toEqual({
      class: 'transient',
      code: 'SERVER_UNAVAILABLE',
      message: 'Server is busy',
      status: 503,
      retryAfterMs: 7000,
    });
    expect(
      classifySalesforceError(apiError('UNKNOWN_EXCEPTION', 'An unexpected error occurred.'), answer(500)),
    ).toMatchObject({ class: 'transient', status: 500 });
    expect(classifySalesforceError(apiError('UNKNOWN_EXCEPTION', 'An unexpected error occurred.')).class).toBe(
      'transient',
    );
    expect(
      classifySalesforceError(
        apiError('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record'),
        answer(400),
      ).class,
    ).toBe('transient');
    // A proxy's HTML error page: jsforce has no Salesforce code to report.
    expect(classifySalesforceError(apiError('ERROR_HTTP_502', '<html>Bad Gateway</html>'))).toMatchObject({
      class: 'transient',
      status: 502,
    });
  });

  it('waits long on the spent daily allowance and briefly on the concurrency cap', () => {
    expect(
      classifySalesforceError(apiError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), answer(403)),
    ).toEqual({
      class: 'transient',
      code: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
      status: 403,
      retryAfterMs: DAILY_LIMIT_RETRY_AFTER_MS,
    });
    const concurrent = apiError(
      'REQUEST_LIMIT_EXCEEDED',
      'ConcurrentRequests (Concurrent API Requests) Limit exceeded.',
    );
    expect(classifySalesforceError(concurrent, answer(403))).toMatchObject({
      class: 'transient',
      retryAfterMs: CONCURRENT_LIMIT_RETRY_AFTER_MS,
    });
    expect(DAILY_LIMIT_RETRY_AFTER_MS).toBeGreaterThan(CONCURRENT_LIMIT_RETRY_AFTER_MS);
  });

  it('reports refused sessions as auth and setup mistakes as config', () => {
    expect(
      classifySalesforceError(apiError('INVALID_SESSION_ID', 'Session expired or invalid'), answer(401)),
    ).toMatchObject({ class: 'auth', status: 401 });
    expect(
      classifySalesforceError(
        apiError('API_DISABLED_FOR_ORG', 'API is not enabled for this Organization or Partner'),
        answer(403),
      ).class,
    ).toBe('auth');
    expect(
      classifySalesforceError(apiError('INVALID_TYPE', "sObject type 'Lead' is not supported."), answer(400)).class,
    ).toBe('config');
    expect(classifySalesforceError(apiError('MALFORMED_QUERY', 'unexpected token'), answer(400)).class).toBe('config');
    expect(
      classifySalesforceError(apiError('NOT_FOUND', 'The requested resource does not exist'), answer(404)),
    ).toMatchObject({ class: 'config', status: 404 });
    expect(classifySalesforceError(apiError('ERROR_HTTP_404', 'Not Found'))).toMatchObject({
      class: 'config',
      status: 404,
    });
  });

  it('makes timeouts and dropped connections transient, and an unknown host config', () => {
    expect(classifySalesforceError(new RequestTimeoutError(250))).toEqual({
      class: 'transient',
      code: 'TIMEOUT',
      message: 'Salesforce did not answer within 250 ms.',
    });
    const aborted = Object.assign(new Error('The user aborted a request.'), { name: 'AbortError' });
    expect(classifySalesforceError(aborted, { timeoutMs: 900 })).toEqual({
      class: 'transient',
      code: 'TIMEOUT',
      message: 'Salesforce did not answer within 900 ms.',
    });
    const reset = Object.assign(new Error('request to http://127.0.0.1/ failed, reason: socket hang up'), {
      name: 'FetchError',
      code: 'ECONNRESET',
    });
    expect(classifySalesforceError(reset)).toMatchObject({
      class: 'transient',
      code: 'NETWORK',
      message: expect.stringContaining('ECONNRESET'),
    });
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND acme.my.salesforce.invalid'), {
      name: 'FetchError',
      code: 'ENOTFOUND',
    });
    expect(classifySalesforceError(dns)).toMatchObject({ class: 'config', code: 'BAD_BASE_URL' });
    const undiciReset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    expect(classifySalesforceError(undiciReset)).toMatchObject({ class: 'transient', code: 'NETWORK' });
  });

  it('passes a ConnectorError’s verdict through', () => {
    const verdict = {
      class: 'auth' as const,
      code: 'invalid_client',
      message: 'invalid client credentials',
      status: 400,
    };
    expect(classifySalesforceError(new ConnectorError(verdict))).toBe(verdict);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('1')).toBe(1000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:30 GMT', Date.parse('2026-11-26T10:00:00Z'))).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
