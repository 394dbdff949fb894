import { createNetSuiteConnector } from '@/server/connectors/netsuite/netsuite-connector';
import type { RequestLimits } from '@/server/connectors/request-limiter';
import { db } from '@/server/db/client';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import { createStripeConnector } from '@/server/connectors/stripe/stripe-connector';
import { decryptStoredCredentials, saveConnection } from './connections';

/** Endpoints and credentials of a sandbox (its sandbox.json), or of real services alike. */
export interface SandboxEndpoints {
  salesforce: { baseUrl: string; apiVersion: string; clientId: string; clientSecret: string; tokenUrl: string };
  netsuite: {
    baseUrl: string;
    accountId: string;
    consumerKey: string;
    consumerSecret: string;
    tokenId: string;
    tokenSecret: string;
  };
  stripe: { baseUrl: string; secretKey: string };
}

const ENTITIES = ['US', 'UK', 'DE'];
const STRIPE_CONNECTION = 'Stripe (sandbox)';
const COUNTRY_ENTITY: Record<string, string> = { US: 'US', GB: 'UK', UK: 'UK', DE: 'DE' };
// Stripe's product tax code for professional services; each entity's default until an admin maps others.
const DEFAULT_TAX_CODE = 'txcd_20030000';

/**
 * Connects Syncwright to a sandbox: one connection per system serving all three entities, and the
 * value mappings discovered from the ERP (its subsidiaries and currencies). Idempotent: running it
 * again refreshes credentials and base URLs and keeps every other mapping an admin changed.
 */
export async function connectSandbox(
  endpoints: SandboxEndpoints,
  options: { stripeLimits?: RequestLimits | null; webhookUrl?: string } = {},
): Promise<{ salesforce: string; netsuite: string; stripe: string }> {
  const { salesforce: sf, netsuite: ns, stripe: st } = endpoints;
  // Discover the ERP's subsidiaries (legal entities) and currencies before anything is saved.
  const erp = createNetSuiteConnector({
    baseUrl: ns.baseUrl,
    accountId: ns.accountId,
    credentials: {
      consumerKey: ns.consumerKey,
      consumerSecret: ns.consumerSecret,
      tokenId: ns.tokenId,
      tokenSecret: ns.tokenSecret,
    },
  });
  const [subsidiaries, currencies] = await Promise.all([
    erp.suiteql('SELECT id, country FROM subsidiary'),
    erp.suiteql('SELECT id, symbol FROM currency'),
  ]);

  // Billing tells Syncwright about invoice changes through a webhook endpoint; its signing
  // secret is shown once, at creation, so an endpoint already registered for this URL is kept.
  const webhook = options.webhookUrl ? await webhookSecret(st, options.webhookUrl) : null;

  return db().$transaction(async (tx) => {
    const ids = {
      salesforce: (
        await saveConnection(tx, {
          name: 'Salesforce (sandbox)',
          system: 'salesforce',
          baseUrl: sf.baseUrl,
          credentials: {
            clientId: sf.clientId,
            clientSecret: sf.clientSecret,
            tokenUrl: sf.tokenUrl,
            apiVersion: sf.apiVersion,
          },
          legalEntityIds: ENTITIES,
        })
      ).id,
      netsuite: (
        await saveConnection(tx, {
          name: 'NetSuite (sandbox)',
          system: 'netsuite',
          baseUrl: ns.baseUrl,
          credentials: {
            accountId: ns.accountId,
            consumerKey: ns.consumerKey,
            consumerSecret: ns.consumerSecret,
            tokenId: ns.tokenId,
            tokenSecret: ns.tokenSecret,
          },
          legalEntityIds: ENTITIES,
        })
      ).id,
      stripe: (
        await saveConnection(tx, {
          name: STRIPE_CONNECTION,
          system: 'stripe',
          baseUrl: st.baseUrl,
          credentials: {
            secretKey: st.secretKey,
            ...(webhook ? { webhookUrl: webhook.url, webhookSecret: webhook.secret } : {}),
          },
          legalEntityIds: ENTITIES,
          requestLimits: options.stripeLimits,
        })
      ).id,
    };
    const mappings: {
      connectionId: string;
      legalEntityId: string;
      kind: string;
      sourceValue: string;
      targetValue: string;
    }[] = [];
    for (const entity of ENTITIES) {
      for (const row of subsidiaries.items) {
        const mapped = row.country ? COUNTRY_ENTITY[row.country] : undefined;
        if (mapped === entity && row.id) {
          mappings.push({
            connectionId: ids.netsuite,
            legalEntityId: entity,
            kind: 'legal_entity',
            sourceValue: row.id,
            targetValue: entity,
          });
        }
      }
      for (const row of currencies.items) {
        if (row.id && row.symbol) {
          mappings.push({
            connectionId: ids.netsuite,
            legalEntityId: entity,
            kind: 'currency',
            sourceValue: row.id,
            targetValue: row.symbol,
          });
        }
      }
      mappings.push({
        connectionId: ids.stripe,
        legalEntityId: entity,
        kind: 'tax_code',
        sourceValue: 'default',
        targetValue: DEFAULT_TAX_CODE,
      });
    }
    const created = await tx.fieldMapping.createMany({ data: mappings, skipDuplicates: true });
    // The seeded mappings are each scope's first version, as the console's history shows it.
    const scopes = new Map(mappings.map((m) => [`${m.connectionId}|${m.legalEntityId}`, m]));
    await tx.fieldMappingVersion.createMany({
      data: [...scopes.values()].map(({ connectionId, legalEntityId }) => ({
        connectionId,
        legalEntityId,
        version: 1,
        note: 'The mappings the sandbox was connected with',
      })),
      skipDuplicates: true,
    });
    await appendAuditEvent(tx, {
      actor: { id: null, email: 'system:setup' },
      action: 'connection.sandbox_connected',
      target: { type: 'Connection', id: null },
      after: { connections: ids, mappingsAdded: created.count },
    });
    return ids;
  });
}

const WEBHOOK_EVENTS = [
  'invoice.finalized',
  'invoice.paid',
  'invoice.voided',
  'invoice.marked_uncollectible',
  'invoice.finalization_failed',
] as const;

async function webhookSecret(
  stripe: SandboxEndpoints['stripe'],
  url: string,
): Promise<{ url: string; secret: string }> {
  const existing = await db().connection.findUnique({ where: { name: STRIPE_CONNECTION } });
  // Credentials that no longer open (stored in the old format, or under a dropped key) are
  // replaced below, with a new webhook endpoint.
  const saved = existing ? tryDecrypt(existing) : null;
  if (saved?.webhookUrl === url && saved.webhookSecret && saved.secretKey === stripe.secretKey) {
    return { url, secret: saved.webhookSecret };
  }
  const endpoint = await createStripeConnector({
    baseUrl: stripe.baseUrl,
    secretKey: stripe.secretKey,
  }).createWebhookEndpoint(url, WEBHOOK_EVENTS);
  return { url, secret: endpoint.secret };
}

function tryDecrypt(connection: Parameters<typeof decryptStoredCredentials>[0]): Record<string, string> | null {
  try {
    return decryptStoredCredentials(connection);
  } catch {
    return null;
  }
}
