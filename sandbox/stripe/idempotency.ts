/**
 * Stripe v1 idempotency, as documented: the first POST with an `Idempotency-Key` saves its
 * status and body once the endpoint starts executing (errors included); the same key with the
 * same parameters replays it for 24 hours; another endpoint or other parameters → 400
 * idempotency_error; a request while the first is still running → 409 `idempotency_key_in_use`.
 * Keys are scoped to the API key and stored in the database, so they survive a restart. Their age
 * is measured on the sandbox clock, so a test can let the 24 hours pass.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { FormObject } from './form-params';
import type { SandboxClock } from './clock';
import { idempotencyError, invalidRequest } from './stripe-error';
import type { Queryable } from './stripe-schema';

const RETENTION = '24 hours';
const MAX_KEY_LENGTH = 255;

export interface IdempotentRequest {
  scope: string;
  key: string;
  method: string;
  path: string;
  paramsHash: string;
  requestId: string;
}

export type ClaimOutcome =
  { kind: 'claimed' } | { kind: 'replay'; status: number; body: unknown; originalRequestId: string };

/** Keys belong to the API key that used them; the key itself is not stored. */
export function keyScope(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}

/** Parameters compared by value: key order and encoding details do not matter. */
export function hashParams(params: FormObject): string {
  return createHash('sha256').update(canonical(params)).digest('hex');
}

function canonical(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function validateKey(key: string): void {
  if (key.length > MAX_KEY_LENGTH) {
    throw invalidRequest(`Idempotency keys can be at most ${MAX_KEY_LENGTH} characters long.`, {
      param: 'Idempotency-Key',
      saveable: false,
    });
  }
}

export class IdempotencyStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly s: string,
    private readonly clock: SandboxClock,
  ) {}

  /** Requests in flight when a previous process stopped will never finish: free their keys. */
  async releaseAbandoned(): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.s}.idempotency_keys WHERE state = 'in_flight'`);
  }

  /** Forgets results older than the retention period. */
  async prune(): Promise<void> {
    await this.pool.query(
      `DELETE FROM ${this.s}.idempotency_keys WHERE state = 'done' AND created_at < $1::timestamptz - interval '${RETENTION}'`,
      [this.clock.now()],
    );
  }

  async claim(request: IdempotentRequest): Promise<ClaimOutcome> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.clock.now();
      const inserted = await this.pool.query(
        `INSERT INTO ${this.s}.idempotency_keys (scope, key, method, path, params_hash, state, request_id, created_at)
         VALUES ($1, $2, $3, $4, $5, 'in_flight', $6, $7)
         ON CONFLICT (scope, key) DO NOTHING`,
        [request.scope, request.key, request.method, request.path, request.paramsHash, request.requestId, now],
      );
      if (inserted.rowCount === 1) return { kind: 'claimed' };

      const { rows } = await this.pool.query<{
        method: string;
        path: string;
        params_hash: string;
        state: string;
        status_code: number | null;
        body: unknown;
        request_id: string;
        expired: boolean;
      }>(
        `SELECT method, path, params_hash, state, status_code, body, request_id,
                created_at < $3::timestamptz - interval '${RETENTION}' AS expired
           FROM ${this.s}.idempotency_keys WHERE scope = $1 AND key = $2`,
        [request.scope, request.key, now],
      );
      const saved = rows[0];
      if (!saved) continue; // released meanwhile: try to claim again
      if (saved.expired) {
        // A key reused after it was pruned starts a new request.
        await this.pool.query(
          `DELETE FROM ${this.s}.idempotency_keys WHERE scope = $1 AND key = $2 AND state = 'done'
              AND created_at < $3::timestamptz - interval '${RETENTION}'`,
          [request.scope, request.key, now],
        );
        continue;
      }
      if (saved.path !== request.path || saved.method !== request.method) {
        throw idempotencyError(
          `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${saved.method} ${saved.path}' vs '${request.method} ${request.path}'). Try using a key other than '${request.key}' if you meant to execute a different request.`,
        );
      }
      if (saved.params_hash !== request.paramsHash) {
        throw idempotencyError(
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${request.key}' if you meant to execute a different request.`,
        );
      }
      if (saved.state !== 'done' || saved.status_code === null) {
        throw idempotencyError(
          `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${request.key}. Please try again later.`,
          409,
          'idempotency_key_in_use',
        );
      }
      return { kind: 'replay', status: saved.status_code, body: saved.body, originalRequestId: saved.request_id };
    }
    throw idempotencyError(
      `The idempotency key '${request.key}' could not be claimed. Please try again.`,
      409,
      'idempotency_key_in_use',
    );
  }

  /** Saves the result; `db` is the request's transaction when the result is a success. */
  async complete(db: Queryable, request: IdempotentRequest, status: number, body: unknown): Promise<void> {
    await db.query(
      `UPDATE ${this.s}.idempotency_keys SET state = 'done', status_code = $3, body = $4
        WHERE scope = $1 AND key = $2`,
      [request.scope, request.key, status, JSON.stringify(body)],
    );
  }

  /** Frees the key of a request that never started executing, so it can be retried. */
  async release(request: IdempotentRequest): Promise<void> {
    await this.pool.query(
      `DELETE FROM ${this.s}.idempotency_keys WHERE scope = $1 AND key = $2 AND state = 'in_flight'`,
      [request.scope, request.key],
    );
  }
}
