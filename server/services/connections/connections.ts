import { randomUUID } from 'node:crypto';
import { env } from '@/env';
import { z } from 'zod';
import type { Connector } from '@/server/connectors/connector';
import type { RequestLimits } from '@/server/connectors/request-limiter';
import { Prisma } from '@/server/db/generated/prisma/client';
import { createNetSuiteConnector } from '@/server/connectors/netsuite/netsuite-connector';
import { createSalesforceConnector } from '@/server/connectors/salesforce/salesforce-connector';
import { createStripeConnector } from '@/server/connectors/stripe/stripe-connector';
import { db, type Tx } from '@/server/db/client';
import type { SystemName } from '@/server/domain/canonical/canonical-record';
import { AppError } from '@/server/errors';
import { decryptCredentials, encryptCredentials, parseCredentialKeys, type CredentialKeys } from './credentials-cipher';

let keys: { setting: string; parsed: CredentialKeys } | undefined;
/** The configured keys, parsed on first use and kept until the setting changes. */
export function credentialKeys(): CredentialKeys {
  if (!env.CREDENTIALS_KEYS) {
    throw new AppError('INTERNAL', 'CREDENTIALS_KEYS is not set: connection credentials cannot be read or stored.');
  }
  if (keys?.setting !== env.CREDENTIALS_KEYS)
    keys = { setting: env.CREDENTIALS_KEYS, parsed: parseCredentialKeys(env.CREDENTIALS_KEYS) };
  return keys.parsed;
}

export interface ConnectionInput {
  name: string;
  system: SystemName;
  baseUrl: string;
  credentials: Record<string, string>;
  legalEntityIds: string[];
  requestLimits?: RequestLimits | null;
  enabled?: boolean;
}

const requestLimitsSchema = z.object({
  maxConcurrent: z.number().int().min(1).max(100),
  perSecond: z.number().int().min(1).nullable(),
});

/**
 * Creates or replaces a connection by name; credentials are stored encrypted, bound to the row.
 * Saving again never switches on a connection an admin switched off (only `enabled` given
 * explicitly does), and a legal entity has at most one enabled connection per system: the
 * routines must never have to choose between two.
 */
export async function saveConnection(tx: Tx, input: ConnectionInput): Promise<{ id: string }> {
  const existing = await tx.connection.findUnique({ where: { name: input.name }, select: { id: true, enabled: true } });
  const id = existing?.id ?? randomUUID();
  const enabled = input.enabled ?? existing?.enabled ?? true;
  if (enabled) {
    const clash = await tx.connection.findFirst({
      where: {
        system: input.system,
        enabled: true,
        name: { not: input.name },
        legalEntityIds: { hasSome: input.legalEntityIds },
      },
      orderBy: { name: 'asc' },
    });
    if (clash) {
      const entity = input.legalEntityIds.find((e) => clash.legalEntityIds.includes(e));
      throw new AppError(
        'CONFLICT',
        `Legal entity ${entity} is already served by the ${input.system} connection "${clash.name}"; a legal entity has one enabled connection per system. Switch that one off or take the entity off it first.`,
      );
    }
  }
  const data = {
    system: input.system,
    baseUrl: input.baseUrl,
    credentials: encryptCredentials(credentialKeys(), input.credentials, { connectionId: id, baseUrl: input.baseUrl }),
    legalEntityIds: input.legalEntityIds,
    requestLimits: input.requestLimits ? requestLimitsSchema.parse(input.requestLimits) : Prisma.DbNull,
    enabled,
  };
  const row = await tx.connection.upsert({
    where: { name: input.name },
    create: { id, name: input.name, ...data },
    update: data,
  });
  connectors.delete(row.id);
  return { id: row.id };
}

/** A connection's stored credentials, decrypted (server-side only; never sent to a browser). */
export function decryptStoredCredentials(connection: {
  id: string;
  baseUrl: string;
  credentials: string;
}): Record<string, string> {
  return decryptCredentials(credentialKeys(), connection.credentials, {
    connectionId: connection.id,
    baseUrl: connection.baseUrl,
  });
}

/**
 * The enabled connection of one kind of system that serves a legal entity, or null. Two are
 * refused with a message, never chosen between (saveConnection keeps it from happening; a
 * database edited by hand could).
 */
export async function connectionServing(system: SystemName, legalEntityId: string) {
  const serving = await db().connection.findMany({
    where: { system, enabled: true, legalEntityIds: { has: legalEntityId } },
    orderBy: { name: 'asc' },
  });
  if (serving.length > 1) {
    throw new AppError(
      'CONFLICT',
      `Legal entity ${legalEntityId} is served by ${serving.length} ${system} connections (${serving.map((c) => `"${c.name}"`).join(', ')}); switch all but one off.`,
    );
  }
  return serving[0] ?? null;
}

// One connector per connection per process, so its request limits hold across concurrent runs.
// The promise is kept, not the connector, so runs that start together still share one. It is
// kept with the connection's updatedAt: an edit or a credentials rotation made in another
// process (the console, while this is the worker) replaces it on the next call.
const connectors = new Map<string, { version: number; connector: Promise<Connector> }>();

export async function connectorFor(connectionId: string): Promise<Connector> {
  const current = await db().connection.findUnique({ where: { id: connectionId }, select: { updatedAt: true } });
  if (!current) throw new AppError('NOT_FOUND', `No connection ${connectionId}.`);
  const version = current.updatedAt.getTime();
  const cached = connectors.get(connectionId);
  if (cached && cached.version >= version) return cached.connector;
  const entry = { version, connector: loadConnector(connectionId) };
  connectors.set(connectionId, entry);
  // A failed load is not kept: the next call tries again.
  entry.connector.catch(() => connectors.get(connectionId) === entry && connectors.delete(connectionId));
  return entry.connector;
}

async function loadConnector(connectionId: string): Promise<Connector> {
  const connection = await db().connection.findUnique({ where: { id: connectionId } });
  if (!connection) throw new AppError('NOT_FOUND', `No connection ${connectionId}.`);
  const credentials = decryptStoredCredentials(connection);
  const limits = connection.requestLimits ? requestLimitsSchema.parse(connection.requestLimits) : undefined;
  return buildConnector(connection.system, connection.baseUrl, credentials, limits);
}

function need(credentials: Record<string, string>, name: string): string {
  const value = credentials[name];
  if (!value) throw new AppError('BAD_REQUEST', `The connection's credentials lack ${name}.`);
  return value;
}

function buildConnector(
  system: SystemName,
  baseUrl: string,
  credentials: Record<string, string>,
  limits: RequestLimits | undefined,
): Connector {
  switch (system) {
    case 'salesforce':
      return createSalesforceConnector({
        instanceUrl: baseUrl,
        credentials: {
          clientId: need(credentials, 'clientId'),
          clientSecret: need(credentials, 'clientSecret'),
          tokenUrl: need(credentials, 'tokenUrl'),
        },
        limits,
      });
    case 'netsuite':
      return createNetSuiteConnector({
        baseUrl,
        accountId: need(credentials, 'accountId'),
        credentials: {
          consumerKey: need(credentials, 'consumerKey'),
          consumerSecret: need(credentials, 'consumerSecret'),
          tokenId: need(credentials, 'tokenId'),
          tokenSecret: need(credentials, 'tokenSecret'),
        },
        limits,
      });
    case 'stripe':
      return createStripeConnector({ baseUrl, secretKey: need(credentials, 'secretKey'), limits });
  }
}
