import type { IncomingHttpHeaders } from 'node:http';
import type pg from 'pg';
import { SalesforceApiError } from './salesforce-error';
import {
  JsonSyntaxError,
  type JsonValue,
  type OutputValue,
  isJsonObject,
  parseExactJson,
} from '@/sandbox/core/exact-json';
import type { WriteContext } from './record-writer';

/** What a REST resource handler sees and answers. */

export interface ApiRequest {
  method: string;
  /** Path segments after /services/data/vNN.N, URL-decoded. */
  segments: string[];
  searchParams: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface ApiResponse {
  status: number;
  body?: OutputValue;
  headers?: Record<string, string>;
}

export interface ApiContext {
  pool: pg.Pool;
  schema: string;
  userId: string;
  /** The request drew an injected validation rejection (applies to writes only). */
  reject: boolean;
}

/** The request body as JSON, with Salesforce's complaints when it is missing or malformed. */
export function jsonBody(request: ApiRequest): JsonValue {
  if (request.rawBody.trim() === '') {
    throw SalesforceApiError.of(
      400,
      'JSON_PARSER_ERROR',
      'The HTTP entity body is required, but this request has no entity body.',
    );
  }
  try {
    return parseExactJson(request.rawBody);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      // Worded as Salesforce words it: the character found, then line and column.
      const body = request.rawBody;
      const at = error.position;
      const found = at < body.length ? `'${body.charAt(at)}' (code ${body.charCodeAt(at)})` : 'end-of-input';
      throw SalesforceApiError.of(
        400,
        'JSON_PARSER_ERROR',
        `Unexpected character (${found}): ${error.reason} at [line:${error.line}, column:${error.column}]`,
      );
    }
    throw error;
  }
}

export function jsonObjectBody(request: ApiRequest): { [key: string]: JsonValue } {
  const body = jsonBody(request);
  if (!isJsonObject(body)) {
    throw SalesforceApiError.of(
      400,
      'JSON_PARSER_ERROR',
      'Cannot deserialize instance of the request body from START_ARRAY value or request may be missing a required field',
    );
  }
  return body;
}

/** Runs `work` in one transaction on a dedicated client, handing it a write context. */
export async function inTransaction<T>(context: ApiContext, work: (write: WriteContext) => Promise<T>): Promise<T> {
  const client = await context.pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work({
      client,
      schema: context.schema,
      userId: context.userId,
      reject: context.reject,
      now: new Date(),
    });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export function methodNotAllowed(method: string, allowed: string[]): SalesforceApiError {
  return SalesforceApiError.of(
    405,
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`,
  );
}
