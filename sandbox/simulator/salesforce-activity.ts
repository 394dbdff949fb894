import { Connection, OAuth2 } from 'jsforce';
import type { Random } from '@/sandbox/firm/prng';

export interface SalesforceTarget {
  baseUrl: string;
  apiVersion: string;
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
}

/**
 * A jsforce connection that signs in with the OAuth 2.0 client-credentials flow of the
 * sandbox's connected app, and signs in again when its token is refused.
 */
export class SalesforceSession {
  private connection: Connection | null = null;

  constructor(private readonly target: SalesforceTarget) {}

  async get(): Promise<Connection> {
    if (this.connection) return this.connection;
    const oauth2 = new OAuth2({
      clientId: this.target.clientId,
      clientSecret: this.target.clientSecret,
      // Both service URLs must be given, or jsforce falls back to login.salesforce.com.
      authzServiceUrl: this.target.tokenUrl.replace(/\/token$/, '/authorize'),
      tokenServiceUrl: this.target.tokenUrl,
    });
    const token = (await oauth2.requestToken({ grant_type: 'client_credentials' })) as {
      access_token: string;
      instance_url?: string;
    };
    this.connection = new Connection({
      instanceUrl: token.instance_url ?? this.target.baseUrl,
      accessToken: token.access_token,
      version: this.target.apiVersion,
    });
    return this.connection;
  }

  /** Forgets the connection after an authentication failure, so the next call signs in again. */
  invalidate(error: unknown): void {
    const code = (error as { errorCode?: string; name?: string } | null)?.errorCode ?? (error as Error | null)?.name;
    if (code === 'INVALID_SESSION_ID') this.connection = null;
  }
}

/** A salesperson closes one open deal as won. */
export async function closeDeal(session: SalesforceSession, random: Random, today: string): Promise<string> {
  const connection = await session.get();
  const open = await connection.query<{ Id: string; Name: string }>(
    'SELECT Id, Name FROM Opportunity WHERE IsClosed = false ORDER BY CloseDate ASC LIMIT 50',
  );
  if (open.records.length === 0) return 'no open opportunity left';
  const deal = random.pick(open.records);
  const result = await connection
    .sobject('Opportunity')
    .update({ Id: deal.Id, StageName: 'Closed Won', CloseDate: today });
  if (!result.success) throw new Error(`update of ${deal.Id} failed: ${JSON.stringify(result.errors)}`);
  return `closed ${deal.Id} (${deal.Name}) as won`;
}
