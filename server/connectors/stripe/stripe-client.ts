import Stripe from 'stripe';
import { ConnectorError } from '../connector';
import { singleAttemptHttpClient } from './single-attempt-http-client';

/**
 * The official SDK pointed at one Stripe API base URL (https://api.stripe.com, or the sandbox on
 * loopback). The SDK addresses the API by host, port and protocol only, so a base URL with a path
 * cannot be honoured and is refused as a configuration error rather than silently dropped.
 */
export interface StripeAddress {
  host: string;
  port: number;
  protocol: 'http' | 'https';
}

export function parseBaseUrl(baseUrl: string): StripeAddress {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw badBaseUrl(baseUrl, 'it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw badBaseUrl(baseUrl, 'only http and https are supported');
  if (url.pathname !== '/' || url.search || url.hash) {
    throw badBaseUrl(baseUrl, 'the Stripe API is addressed by host and port only; remove the path');
  }
  if (url.username || url.password) throw badBaseUrl(baseUrl, 'credentials belong in the secret key, not the URL');
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  return {
    // IPv6 literals come bracketed from URL; the HTTP client wants the bare address.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : protocol === 'https' ? 443 : 80,
    protocol,
  };
}

export function createStripeClient(options: { baseUrl: string; secretKey: string; timeoutMs: number }): Stripe {
  const address = parseBaseUrl(options.baseUrl);
  if (!options.secretKey.trim()) {
    throw new ConnectorError({
      class: 'config',
      code: 'SECRET_KEY_MISSING',
      message: 'No Stripe secret key is configured.',
    });
  }
  if (!Number.isInteger(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new ConnectorError({
      class: 'config',
      code: 'TIMEOUT_INVALID',
      message: `timeoutMs must be a positive integer, got ${options.timeoutMs}.`,
    });
  }
  return new Stripe(options.secretKey, {
    ...address,
    // The pipeline owns retries; with retries the SDK would also resend on its own schedule.
    maxNetworkRetries: 0,
    timeout: options.timeoutMs,
    httpClient: singleAttemptHttpClient(),
    telemetry: false,
  });
}

function badBaseUrl(baseUrl: string, reason: string): ConnectorError {
  return new ConnectorError({
    class: 'config',
    code: 'BASE_URL_INVALID',
    message: `Stripe base URL "${baseUrl}" is not usable: ${reason}.`,
  });
}
