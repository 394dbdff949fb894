import { SYSTEM_LABELS } from '@/lib/system-labels';
import { db, type Tx } from '@/server/db/client';
import type { SystemName } from '@/server/domain/canonical/canonical-record';
import { AppError } from '@/server/errors';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import type { AuditContext } from '@/server/services/audit/audit-context';
import { CREDENTIAL_FIELDS } from '@/lib/connection-credentials';
import { maskCredentials } from './credential-fields';
import { decryptStoredCredentials, saveConnection } from './connections';

export interface ConnectionChange {
  name: string;
  system: SystemName;
  baseUrl: string;
  legalEntityIds: string[];
  enabled: boolean;
  /** New credentials; on an edit, fields left out keep their stored value. */
  credentials: Record<string, string>;
}

function fieldError(field: string, message: string): AppError {
  return new AppError('BAD_REQUEST', message, { field });
}

/** Checks what the database cannot: the URL's scheme, known entities, complete credentials. */
async function validate(tx: Tx, change: ConnectionChange, credentials: Record<string, string>) {
  if (!change.name.trim()) throw fieldError('name', 'Give the connection a name.');
  let url: URL | null = null;
  try {
    url = new URL(change.baseUrl);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw fieldError(
      'baseUrl',
      `The base URL "${change.baseUrl}" is not an http(s) address; enter one such as https://example.my.salesforce.com.`,
    );
  }
  if (change.legalEntityIds.length === 0) {
    throw fieldError('legalEntityIds', 'Choose at least one legal entity this connection serves.');
  }
  const known = new Set((await tx.legalEntity.findMany({ select: { id: true } })).map((e) => e.id));
  const unknown = change.legalEntityIds.filter((id) => !known.has(id));
  if (unknown.length) {
    throw fieldError(
      'legalEntityIds',
      `Unknown legal entit${unknown.length === 1 ? 'y' : 'ies'} ${unknown.join(', ')}; choose from ${[...known].sort().join(', ')}.`,
    );
  }
  const missing = CREDENTIAL_FIELDS[change.system].filter((f) => !credentials[f.key]?.trim());
  if (missing.length) {
    throw fieldError(
      `credentials.${missing[0]!.key}`,
      `A ${SYSTEM_LABELS[change.system]} connection needs ${missing.map((f) => f.label.toLowerCase()).join(', ')}.`,
    );
  }
}

/** Only what an admin may see of a connection for the audit log: never a credential, only its mask. */
function auditView(change: ConnectionChange, credentials: Record<string, string>) {
  return {
    name: change.name,
    system: change.system,
    baseUrl: change.baseUrl,
    legalEntityIds: change.legalEntityIds,
    enabled: change.enabled,
    credentials: maskCredentials(change.system, credentials),
  };
}

/** The credentials an admin may set for the system (not those we store ourselves, e.g. the webhook's), filled in. */
function entered(system: SystemName, credentials: Record<string, string>): Record<string, string> {
  const known = new Set<string>(CREDENTIAL_FIELDS[system].map((f) => f.key));
  return Object.fromEntries(Object.entries(credentials).filter(([k, v]) => known.has(k) && v.trim() !== ''));
}

export async function createConnection(change: ConnectionChange, context: AuditContext): Promise<{ id: string }> {
  return db().$transaction(async (tx) => {
    if (await tx.connection.findUnique({ where: { name: change.name } })) {
      throw fieldError('name', `A connection named "${change.name}" already exists; choose another name.`);
    }
    const credentials = entered(change.system, change.credentials);
    await validate(tx, change, credentials);
    const { id } = await saveConnection(tx, { ...change, credentials });
    await appendAuditEvent(tx, {
      ...context,
      action: 'connection.created',
      target: { type: 'Connection', id },
      after: auditView(change, credentials),
    });
    return { id };
  });
}

/**
 * Edits a connection; credentials given replace the stored ones field by field ("rotate"), the
 * rest are kept (re-encrypted, as they are bound to the base URL).
 */
export async function updateConnection(
  id: string,
  change: Omit<ConnectionChange, 'system'>,
  context: AuditContext,
): Promise<{ id: string }> {
  return db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<
      { id: string }[]
    >`SELECT id::text FROM "Connection" WHERE id = ${id}::uuid FOR UPDATE`;
    const existing = rows.length ? await tx.connection.findUnique({ where: { id } }) : null;
    if (!existing) throw new AppError('NOT_FOUND', 'That connection no longer exists.');
    const full: ConnectionChange = { ...change, system: existing.system };
    if (change.name !== existing.name && (await tx.connection.findUnique({ where: { name: change.name } }))) {
      throw fieldError('name', `A connection named "${change.name}" already exists; choose another name.`);
    }
    const stored = decryptStoredCredentials(existing);
    const given = entered(existing.system, change.credentials);
    const credentials = { ...stored, ...given };
    await validate(tx, full, credentials);
    if (change.name !== existing.name) await tx.connection.update({ where: { id }, data: { name: change.name } });
    await saveConnection(tx, { ...full, credentials });
    const before = {
      name: existing.name,
      system: existing.system,
      baseUrl: existing.baseUrl,
      legalEntityIds: existing.legalEntityIds,
      enabled: existing.enabled,
      credentials: maskCredentials(existing.system, stored),
    };
    const rotated = CREDENTIAL_FIELDS[existing.system]
      .filter((f) => given[f.key] !== undefined && given[f.key] !== stored[f.key])
      .map((f) => f.key);
    await appendAuditEvent(tx, {
      ...context,
      action: rotated.length ? 'connection.credentials_replaced' : 'connection.updated',
      target: { type: 'Connection', id },
      before,
      after: { ...auditView(full, credentials), credentialsReplaced: rotated },
    });
    return { id };
  });
}
