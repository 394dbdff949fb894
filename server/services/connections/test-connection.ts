import { SYSTEM_LABELS } from '@/lib/system-labels';
import type { Connector } from '@/server/connectors/connector';
import { createNetSuiteConnector } from '@/server/connectors/netsuite/netsuite-connector';
import { createSalesforceConnector } from '@/server/connectors/salesforce/salesforce-connector';
import { createStripeConnector } from '@/server/connectors/stripe/stripe-connector';
import { db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import type { AuditContext } from '@/server/services/audit/audit-context';
import { recordConnectionHealth } from './connection-health';
import { decryptStoredCredentials } from './connections';

export interface ConnectionTestResult {
  ok: boolean;
  message: string;
  durationMs: number;
}

const TEST_TIMEOUT_MS = 10_000;

/**
 * "Test connection": one real authenticated call to the service with the stored credentials,
 * through a connector of its own (not the shared one, so the test neither waits behind a run's
 * requests nor keeps credentials that were just replaced).
 */
export async function testConnection(id: string, context: AuditContext): Promise<ConnectionTestResult> {
  const connection = await db().connection.findUnique({ where: { id } });
  if (!connection) throw new AppError('NOT_FOUND', 'That connection no longer exists.');
  const label = SYSTEM_LABELS[connection.system];
  const credentials = decryptStoredCredentials(connection);
  const started = performance.now();
  let connector: Connector | null = null;
  let result: ConnectionTestResult;
  let rateLimit: { used: number; limit: number } | null = null;
  try {
    switch (connection.system) {
      case 'stripe': {
        const stripe = createStripeConnector({
          baseUrl: connection.baseUrl,
          secretKey: credentials.secretKey ?? '',
          timeoutMs: TEST_TIMEOUT_MS,
        });
        connector = stripe;
        await stripe.listEventsSince(null, { types: ['invoice.*'], limit: 1 });
        break;
      }
      case 'netsuite': {
        const netsuite = createNetSuiteConnector({
          baseUrl: connection.baseUrl,
          accountId: credentials.accountId ?? '',
          credentials: {
            consumerKey: credentials.consumerKey ?? '',
            consumerSecret: credentials.consumerSecret ?? '',
            tokenId: credentials.tokenId ?? '',
            tokenSecret: credentials.tokenSecret ?? '',
          },
          timeoutMs: TEST_TIMEOUT_MS,
        });
        connector = netsuite;
        await netsuite.suiteql('SELECT id FROM subsidiary', { limit: 1, offset: 0 });
        break;
      }
      case 'salesforce': {
        const salesforce = createSalesforceConnector({
          instanceUrl: connection.baseUrl,
          credentials: {
            clientId: credentials.clientId ?? '',
            clientSecret: credentials.clientSecret ?? '',
            tokenUrl: credentials.tokenUrl ?? '',
          },
          timeoutMs: TEST_TIMEOUT_MS,
        });
        connector = salesforce;
        // Any id will do: "not found" is an authenticated answer too.
        await salesforce.get('Account', '001000000000000AAA');
        rateLimit = salesforce.apiUsage();
        break;
      }
    }
    const durationMs = Math.round(performance.now() - started);
    const headroom = rateLimit
      ? `; API allowance ${rateLimit.limit - rateLimit.used} of ${rateLimit.limit} left today`
      : '';
    result = { ok: true, durationMs, message: `Connected: ${label} answered in ${durationMs} ms${headroom}.` };
  } catch (err) {
    const durationMs = Math.round(performance.now() - started);
    result = {
      ok: false,
      durationMs,
      message: describeFailure(label, connection.system === 'stripe' ? 'key' : 'credentials', connector, err),
    };
  }
  const at = new Date();
  await recordConnectionHealth(id, result.ok ? { ok: true, at, rateLimit } : { ok: false, at, error: result.message });
  await db().$transaction((tx) =>
    appendAuditEvent(tx, {
      ...context,
      action: 'connection.tested',
      target: { type: 'Connection', id },
      after: { ok: result.ok, message: result.message, durationMs: result.durationMs },
    }),
  );
  return result;
}

function describeFailure(label: string, what: string, connector: Connector | null, err: unknown): string {
  if (!connector) return `${label} could not be called: ${err instanceof Error ? err.message : String(err)}`;
  const c = connector.classifyError(err);
  const code = [c.status, c.code].filter(Boolean).join(' ');
  switch (c.class) {
    case 'auth':
      return `${label} refused the ${what} (${code}): ${c.message} Replace them with “Rotate credentials”.`;
    case 'transient':
      return `${label} did not answer properly (${code}): ${c.message} Try again in a moment.`;
    default:
      return `${label} answered with an error (${code}): ${c.message} Check the base URL and credentials.`;
  }
}
