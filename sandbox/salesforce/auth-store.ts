import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { salesforceId } from './salesforce-id';
import { schemaIdentifier } from './salesforce-schema';
import { ORGANIZATION_KEY_PREFIX, USER_KEY_PREFIX } from './sobject-definitions';

/**
 * The org's identity and its connected app's client credentials, generated at random on first
 * start and kept in the schema; and the access tokens issued for them (stored as hashes).
 */

export interface OrgIdentity {
  organizationId: string;
  userId: string;
  clientId: string;
  clientSecret: string;
}

/** Salesforce's default session timeout: two hours without activity. */
export const DEFAULT_SESSION_TIMEOUT_SECONDS = 2 * 60 * 60;
/** Activity is written back at most this often per token. */
const TOUCH_INTERVAL_MS = 60_000;

export async function loadOrCreateIdentity(pool: pg.Pool, schema: string): Promise<OrgIdentity> {
  const s = schemaIdentifier(schema);
  const generated: Record<string, string> = {
    organization_id: salesforceId(ORGANIZATION_KEY_PREFIX, randomInt(1, 2 ** 40)),
    user_id: salesforceId(USER_KEY_PREFIX, randomInt(1, 2 ** 40)),
    client_id: `3MVG9${randomBytes(60).toString('base64url')}`,
    client_secret: randomBytes(32).toString('hex').toUpperCase(),
  };
  for (const [key, value] of Object.entries(generated)) {
    await pool.query(`INSERT INTO ${s}.setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [
      key,
      value,
    ]);
  }
  const result = await pool.query(`SELECT key, value FROM ${s}.setting`);
  const stored = new Map(result.rows.map((row: { key: string; value: string }) => [row.key, row.value]));
  const read = (key: string) => {
    const value = stored.get(key);
    if (!value) throw new Error(`salesforce sandbox setting ${key} is missing`);
    return value;
  };
  return {
    organizationId: read('organization_id'),
    userId: read('user_id'),
    clientId: read('client_id'),
    clientSecret: read('client_secret'),
  };
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class TokenStore {
  private readonly lastTouched = new Map<string, number>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    private readonly identity: OrgIdentity,
    private readonly sessionTimeoutSeconds: number,
  ) {}

  checkClient(clientId: string, clientSecret: string): boolean {
    return sameText(clientId, this.identity.clientId) && sameText(clientSecret, this.identity.clientSecret);
  }

  /** Issues a token the way Salesforce shapes it: the org id, '!', and an opaque part. */
  async issue(instanceUrl: string): Promise<Record<string, string>> {
    const token = `${this.identity.organizationId.slice(0, 15)}!${randomBytes(48).toString('base64url')}`;
    const issuedAt = String(Date.now());
    await this.pool.query(
      `INSERT INTO ${schemaIdentifier(this.schema)}.access_token (token_hash, issued_at, last_used_at) VALUES ($1, now(), now())`,
      [hashToken(token)],
    );
    const id = `${instanceUrl}/id/${this.identity.organizationId}/${this.identity.userId}`;
    // Salesforce signs the identity URL and issue time with the client secret.
    const signature = createHmac('sha256', this.identity.clientSecret)
      .update(id + issuedAt)
      .digest('base64');
    return {
      access_token: token,
      signature,
      scope: 'api',
      instance_url: instanceUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
  }

  /** True when the token was issued here and has not been idle past the session timeout. */
  async verify(token: string): Promise<boolean> {
    const hash = hashToken(token);
    const touched = this.lastTouched.get(hash);
    const now = Date.now();
    if (touched !== undefined && now - touched < Math.min(TOUCH_INTERVAL_MS, this.sessionTimeoutSeconds * 1000)) {
      return true;
    }
    const result = await this.pool.query(
      `UPDATE ${schemaIdentifier(this.schema)}.access_token SET last_used_at = now()
       WHERE token_hash = $1 AND last_used_at > now() - make_interval(secs => $2)
       RETURNING 1`,
      [hash, this.sessionTimeoutSeconds],
    );
    if (result.rowCount === 1) {
      this.lastTouched.set(hash, now);
      return true;
    }
    this.lastTouched.delete(hash);
    return false;
  }
}
