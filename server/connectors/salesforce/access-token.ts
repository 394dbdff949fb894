import { type ClassifiedError, ConnectorError } from '@/server/connectors/connector';
import type { RequestLimiter } from '@/server/connectors/request-limiter';
import { classifyTransportError, parseRetryAfter } from './classify-salesforce-error';

/**
 * Access tokens from the OAuth 2.0 client-credentials flow: a form POST of the connected app's
 * id and secret to the token URL. A token is kept until Salesforce refuses it (tokens of this flow
 * carry no expiry: the session ends after the org's idle timeout), and concurrent callers share
 * one token request.
 */

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** e.g. `https://login.salesforce.com/services/oauth2/token` or the My Domain equivalent. */
  tokenUrl: string;
}

interface TokenAnswer {
  access_token?: unknown;
  error?: unknown;
  error_description?: unknown;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The verdict on a token endpoint answer that carries no token. */
function tokenRefusal(status: number, bodyText: string, retryAfter: string | null): ClassifiedError {
  let body: TokenAnswer = {};
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (typeof parsed === 'object' && parsed !== null) body = parsed as TokenAnswer;
  } catch {
    // not JSON: judged by the status alone
  }
  const code = text(body.error) ?? `HTTP_${status}`;
  const message = text(body.error_description) ?? (bodyText.trim().slice(0, 300) || `HTTP ${status}`);
  if (status === 429 || status === 408 || status >= 500) {
    const retryAfterMs = parseRetryAfter(retryAfter);
    return { class: 'transient', code, message, status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  // invalid_client, invalid_client_id, invalid_grant ("no client credentials user enabled"),
  // unsupported_grant_type: the connected app or its credentials are what needs fixing.
  if (text(body.error)) return { class: 'auth', code, message, status };
  // No OAuth error object: the token URL does not point at a token endpoint.
  return { class: 'config', code: 'BAD_TOKEN_URL', message: `The token URL answered ${status}: ${message}`, status };
}

export class AccessTokenSource {
  private token: string | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly credentials: ClientCredentials,
    private readonly limiter: RequestLimiter,
    private readonly timeoutMs: number,
    /** Told of every answer's headers (the org's clock is read from their Date). */
    private readonly onAnswer: (headers: Headers) => void = () => undefined,
  ) {}

  /** The cached token, or a new one. */
  current(): Promise<string> {
    return this.token !== null ? Promise.resolve(this.token) : this.request();
  }

  /** A token other than `refused`: the one another caller already obtained, or a new one. */
  renew(refused: string): Promise<string> {
    if (this.token !== null && this.token !== refused) return Promise.resolve(this.token);
    this.token = null;
    return this.request();
  }

  private request(): Promise<string> {
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async fetchToken(): Promise<string> {
    const { clientId, clientSecret, tokenUrl } = this.credentials;
    const token = await this.limiter.run(async () => {
      try {
        const response = await fetch(tokenUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: clientId,
            client_secret: clientSecret,
          }),
          signal: AbortSignal.timeout(this.timeoutMs),
          redirect: 'manual',
        });
        this.onAnswer(response.headers);
        const bodyText = await response.text();
        if (response.status !== 200) {
          throw new ConnectorError(tokenRefusal(response.status, bodyText, response.headers.get('retry-after')));
        }
        let body: TokenAnswer;
        try {
          body = JSON.parse(bodyText) as TokenAnswer;
        } catch {
          body = {};
        }
        const accessToken = text(body.access_token);
        if (!accessToken) {
          throw new ConnectorError({
            class: 'config',
            code: 'INVALID_RESPONSE',
            message: 'The token URL answered 200 without an access_token: it is not a Salesforce token endpoint.',
            status: 200,
          });
        }
        return accessToken;
      } catch (error) {
        throw error instanceof ConnectorError
          ? error
          : new ConnectorError(classifyTransportError(error, this.timeoutMs));
      }
    });
    this.token = token;
    return token;
  }
}
