/**
 * NetSuite REST error bodies: an RFC 9457-style problem with NetSuite's `o:errorDetails` array.
 * Every failure the emulator answers goes through `NetSuiteApiError` so the shape never drifts.
 */

export type NetSuiteErrorCode =
  | 'INVALID_LOGIN'
  | 'INVALID_CONTENT'
  | 'INVALID_HEADER'
  | 'INVALID_ID'
  | 'INVALID_KEY_OR_REF'
  | 'INVALID_PARAMETER'
  | 'INVALID_RCRD_TYPE'
  | 'INVALID_REQUEST'
  | 'NONEXISTENT_ID'
  | 'DUP_RCRD'
  | 'USER_ERROR'
  | 'METHOD_NOT_ALLOWED'
  | 'CONCURRENCY_LIMIT_EXCEEDED'
  | 'UNEXPECTED_ERROR';

/** Where in the request the error sits; NetSuite names at most one of these per detail. */
export interface ErrorLocation {
  'o:errorPath'?: string;
  'o:errorQueryParam'?: string;
  'o:errorHeader'?: string;
  'o:errorUrl'?: string;
}

export interface ErrorDetail extends ErrorLocation {
  detail: string;
  'o:errorCode': NetSuiteErrorCode;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  'o:errorDetails': ErrorDetail[];
}

const RFC9110 = 'https://www.rfc-editor.org/rfc/rfc9110.html';

const STATUS_TEXT: Record<number, { title: string; type: string }> = {
  400: { title: 'Bad Request', type: `${RFC9110}#section-15.5.1` },
  401: { title: 'Unauthorized', type: `${RFC9110}#section-15.5.2` },
  403: { title: 'Forbidden', type: `${RFC9110}#section-15.5.4` },
  404: { title: 'Not Found', type: `${RFC9110}#section-15.5.5` },
  405: { title: 'Method Not Allowed', type: `${RFC9110}#section-15.5.6` },
  413: { title: 'Content Too Large', type: `${RFC9110}#section-15.5.14` },
  429: { title: 'Too Many Requests', type: 'https://www.rfc-editor.org/rfc/rfc6585.html#section-4' },
  500: { title: 'Internal Server Error', type: `${RFC9110}#section-15.6.1` },
};

export const INVALID_LOGIN_DETAIL =
  'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.';

export const CONCURRENCY_DETAIL = 'Concurrent request limit exceeded. Request blocked.';

export class NetSuiteApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: NetSuiteErrorCode,
    readonly detail: string,
    readonly location: ErrorLocation = {},
    /** Extra response headers (WWW-Authenticate on 401). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }

  body(): ProblemBody {
    return problemBody(this.status, [{ detail: this.detail, ...this.location, 'o:errorCode': this.code }]);
  }
}

export function problemBody(status: number, details: ErrorDetail[]): ProblemBody {
  const text = STATUS_TEXT[status] ?? { title: 'Error', type: RFC9110 };
  return { type: text.type, title: text.title, status, 'o:errorDetails': details };
}

/** OAuth problem names (RFC 5849 problem reporting) carried in WWW-Authenticate on a 401. */
export type OAuthProblem =
  | 'parameter_absent'
  | 'signature_method_rejected'
  | 'version_rejected'
  | 'consumer_key_unknown'
  | 'token_rejected'
  | 'timestamp_refused'
  | 'nonce_used'
  | 'signature_invalid';

export function invalidLogin(realm: string, problem: OAuthProblem): NetSuiteApiError {
  return new NetSuiteApiError(
    401,
    'INVALID_LOGIN',
    INVALID_LOGIN_DETAIL,
    {},
    {
      'WWW-Authenticate': `OAuth realm="${realm}", error="${problem}", error_description="Invalid login attempt."`,
    },
  );
}

export function concurrencyLimitExceeded(): NetSuiteApiError {
  return new NetSuiteApiError(429, 'CONCURRENCY_LIMIT_EXCEEDED', CONCURRENCY_DETAIL);
}

export function unexpectedError(): NetSuiteApiError {
  const errorId = Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
  return new NetSuiteApiError(500, 'UNEXPECTED_ERROR', `An unexpected error occurred. Error ID: ${errorId}`);
}

/** 400 for a SuiteQL query the emulator cannot run, worded as NetSuite words search errors. */
export function invalidSearchQuery(reason: string): NetSuiteApiError {
  return new NetSuiteApiError(
    400,
    'INVALID_PARAMETER',
    `Invalid search query. Detailed unprocessed description follows. ${reason}`,
    { 'o:errorQueryParam': 'q' },
  );
}
