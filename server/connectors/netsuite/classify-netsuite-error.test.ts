import { describe, expect, it } from 'vitest';
import { classifyNetSuiteError, classifyResponse, parseRetryAfter } from './classify-netsuite-error';

function problem(status: number, detail: Record<string, string>): string {
  return JSON.stringify({
    type: 'https://www.rfc-editor.org/rfc/rfc9110.html',
    title: 'Error',
    status,
    'o:errorDetails': [detail],
  });
}

describe('classifyResponse', () => {
  it('keeps the target code, message and field of a rejected record as business', () => {
    const body = problem(400, {
      detail: 'A record with the external ID X already exists.',
      'o:errorCode': 'DUP_RCRD',
      'o:errorPath': 'externalId',
    });
    expect(classifyResponse(400, body, null)).toEqual({
      class: 'business',
      code: 'DUP_RCRD',
      message: 'A record with the external ID X already exists.',
      status: 400,
      field: 'externalId',
    });
    for (const code of ['USER_ERROR', 'INVALID_KEY_OR_REF', 'INVALID_CONTENT', 'INVALID_ID']) {
      expect(classifyResponse(400, problem(400, { detail: 'no', 'o:errorCode': code }), null).class, code).toBe(
        'business',
      );
    }
  });

  it('treats 429, 5xx and NetSuite governance codes as transient, with Retry-After when given', () => {
    const limited = classifyResponse(
      429,
      problem(429, { detail: 'Concurrent request limit exceeded.', 'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED' }),
      '7',
    );
    expect(limited).toMatchObject({ class: 'transient', code: 'CONCURRENCY_LIMIT_EXCEEDED', retryAfterMs: 7_000 });
    expect(classifyResponse(503, '<html>Service Unavailable</html>', null)).toMatchObject({
      class: 'transient',
      code: 'HTTP_503',
      message: '<html>Service Unavailable</html>',
    });
    expect(
      classifyResponse(400, problem(400, { detail: 'limit', 'o:errorCode': 'SSS_REQUEST_LIMIT_EXCEEDED' }), null).class,
    ).toBe('transient');
    expect(
      classifyResponse(400, problem(400, { detail: 'changed', 'o:errorCode': 'RCRD_HAS_BEEN_CHANGED' }), null).class,
    ).toBe('transient');
  });

  it('treats 401 and 403 as auth', () => {
    expect(
      classifyResponse(401, problem(401, { detail: 'Invalid login attempt.', 'o:errorCode': 'INVALID_LOGIN' }), null),
    ).toMatchObject({
      class: 'auth',
      code: 'INVALID_LOGIN',
      status: 401,
    });
    expect(
      classifyResponse(
        403,
        problem(403, { detail: 'Permission Violation', 'o:errorCode': 'INSUFFICIENT_PERMISSION' }),
        null,
      ).class,
    ).toBe('auth');
  });

  it('separates a missing record from a wrong type or root on 404', () => {
    expect(classifyResponse(404, problem(404, { detail: 'gone', 'o:errorCode': 'NONEXISTENT_ID' }), null).class).toBe(
      'business',
    );
    expect(
      classifyResponse(
        404,
        problem(404, { detail: "Record type 'x' does not exist.", 'o:errorCode': 'INVALID_RCRD_TYPE' }),
        null,
      ).class,
    ).toBe('config');
    expect(classifyResponse(404, 'Not Found', null)).toMatchObject({
      class: 'config',
      code: 'HTTP_404',
      message: 'Not Found',
    });
  });

  it('treats a refused query string or header as our own configuration', () => {
    const badQuery = problem(400, {
      detail: 'Invalid search type: customrecord_x.',
      'o:errorCode': 'INVALID_PARAMETER',
      'o:errorQueryParam': 'q',
    });
    expect(classifyResponse(400, badQuery, null)).toMatchObject({ class: 'config', code: 'INVALID_PARAMETER' });
    const badHeader = problem(400, { detail: 'Prefer', 'o:errorCode': 'INVALID_HEADER', 'o:errorHeader': 'Prefer' });
    expect(classifyResponse(400, badHeader, null).class).toBe('config');
    expect(classifyResponse(302, '', null)).toMatchObject({ class: 'config', code: 'HTTP_302' });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter('120')).toBe(120_000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('classifyNetSuiteError', () => {
  it('sorts transport failures', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    expect(classifyNetSuiteError(refused)).toMatchObject({ class: 'transient', code: 'NETWORK' });
    const certificate = new TypeError('fetch failed', {
      cause: Object.assign(new Error('bad cert'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }),
    });
    expect(classifyNetSuiteError(certificate)).toMatchObject({ class: 'config', code: 'BAD_BASE_URL' });
    expect(classifyNetSuiteError(new Error('boom'))).toMatchObject({
      class: 'transient',
      code: 'UNEXPECTED',
      message: 'boom',
    });
  });
});
