import { randomInt } from 'node:crypto';

/** One entry of Salesforce's REST error array. */
export interface ApiErrorDetail {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** A failed REST call: Salesforce answers with an HTTP status and an array of errors. */
export class SalesforceApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ApiErrorDetail[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors.map((e) => `${e.errorCode}: ${e.message}`).join('; '));
  }

  static of(status: number, errorCode: string, message: string, fields?: string[]): SalesforceApiError {
    return new SalesforceApiError(status, [{ message, errorCode, ...(fields ? { fields } : {}) }]);
  }
}

/**
 * A record-level failure of a write. Single-record calls answer it as a 400 error array;
 * collection calls put it into that record's result as `{statusCode, message, fields}`.
 */
export class RecordError extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
    readonly fields: string[] = [],
    readonly httpStatus = 400,
  ) {
    super(message);
  }

  toApiError(): SalesforceApiError {
    return SalesforceApiError.of(this.httpStatus, this.statusCode, this.message, this.fields);
  }

  toSaveError(): { statusCode: string; message: string; fields: string[] } {
    return { statusCode: this.statusCode, message: this.message, fields: this.fields };
  }
}

export const notFound = () => SalesforceApiError.of(404, 'NOT_FOUND', 'The requested resource does not exist');

/** The opaque ErrorId Salesforce prints in its unexpected-error message. */
export function unexpectedErrorMessage(): string {
  const id = `${randomInt(100_000_000, 2_000_000_000)}-${randomInt(10_000, 999_999)} (${-randomInt(100_000_000, 2_000_000_000)})`;
  return `An unexpected error occurred. Please include this ErrorId if you contact support: ${id}`;
}
